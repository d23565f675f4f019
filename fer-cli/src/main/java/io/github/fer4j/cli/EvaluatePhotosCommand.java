package io.github.fer4j.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.eval.ConfusionMatrix;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.report.Figures;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.PhotoLabels;
import io.github.fer4j.vision.RecognizedFace;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fer evaluate-photos}: how the model does on labelled photos, counting photos where no face was found. */
@Command(name = "evaluate-photos", header = "Score the photo path on labelled photos", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate on labelled photos (the seeds' extra photos, Figures 9-10): each photo's largest face is "
                + "classified; photos with no face found get their own column instead of being dropped. Prints the confusion "
                + "matrix, accuracy and ACA (no face counts as a miss) and the same over detected faces only; writes "
                + "metrics.json, predictions.csv and confusion heatmaps (PNG and SVG) to --out.")
final class EvaluatePhotosCommand implements Callable<Integer> {
    static final String NO_FACE = "no face";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of photos.")
    Path dir;

    @Option(names = "--labels", required = true, paramLabel = "CSV",
            description = "A CSV of labelled photos. With a header, its columns are found by name: path (or file, image) and "
                    + "emotion (or label); other columns are ignored. Without one, each line is path,emotion. An emotion "
                    + "is a name (Happy, happiness) or a FER2013 id 0-6. Paths are relative to DIR.")
    Path labels;

    @Option(names = "--out", defaultValue = "photo-results", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin
    RecognizerOptions recognizerOptions;

    /** One labelled photo. */
    /** A labelled photo: where it is, its path as the labels file writes it (for predictions.csv), its emotion. */
    record Labelled(Path photo, Path written, String emotion) { }

    @Override
    public Integer call() throws Exception {
        EmotionRecognizer recognizer = recognizerOptions.recognizer();
        List<String> classes = recognizer.model().classNames();
        List<Labelled> rows = readLabels(classes);
        int k = classes.size();
        ConfusionMatrix detected = new ConfusionMatrix(k);
        long[] noFace = new long[k];
        List<int[]> pairs = new ArrayList<>();
        List<float[]> probabilities = new ArrayList<>();
        // One column per class after the first four: the whole answer for each face, as predict reports it.
        StringBuilder csv = new StringBuilder(CSVFormat.RFC4180.format(header(classes))).append('\n');
        for (Labelled row : rows) {
            int truth = classes.indexOf(row.emotion());
            List<RecognizedFace> faces = recognizer.recognize(row.photo());
            if (faces.isEmpty()) {
                noFace[truth]++;
                csv.append(CSVFormat.RFC4180.format(row.written(), row.emotion(), NO_FACE, "")).append(",".repeat(k)).append('\n');
                continue;
            }
            RecognizedFace face = faces.get(0);
            int predicted = classes.indexOf(face.dominant());
            detected.add(truth, predicted);
            pairs.add(new int[] {truth, predicted});
            float[] p = new float[k];
            for (int c = 0; c < k; c++) {
                p[c] = (float) face.probability(classes.get(c));
            }
            probabilities.add(p);
            csv.append(CSVFormat.RFC4180.format(row.written(), row.emotion(), face.dominant(),
                    String.format(Locale.ROOT, "%.4f", face.probability(face.dominant()))));
            for (float v : p) {
                csv.append(String.format(Locale.ROOT, ",%.4f", v));
            }
            csv.append('\n');
        }
        // Over all photos a photo without a face is a miss: recall_c = correct_c / (support_c + no-face_c).
        double correct = 0;
        double acaSum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            long support = detected.support(c) + noFace[c];
            correct += detected.count(c, c);
            if (support > 0) {
                acaSum += (double) detected.count(c, c) / support;
                present++;
            }
        }
        double accuracy = rows.isEmpty() ? 0 : correct / rows.size();
        double aca = present == 0 ? 0 : acaSum / present;
        long totalNoFace = java.util.Arrays.stream(noFace).sum();

        JsonObject metrics = new JsonObject();
        metrics.addProperty("photos", rows.size());
        metrics.addProperty("noFace", totalNoFace);
        metrics.addProperty("accuracy", accuracy);
        metrics.addProperty("aca", aca);
        JsonArray noFaceByClass = new JsonArray();
        for (long v : noFace) {
            noFaceByClass.add(v);
        }
        metrics.add("noFaceByClass", noFaceByClass);
        metrics.addProperty("model", recognizer.modelName());
        metrics.addProperty("engine", recognizer.engine());
        metrics.addProperty("priorCorrection", recognizer.priorCorrection());
        metrics.addProperty("detector", recognizer.detector().kind().name().toLowerCase(Locale.ROOT));
        if (!pairs.isEmpty()) {
            int[] truths = pairs.stream().mapToInt(p -> p[0]).toArray();
            Evaluation detectedOnly = Evaluation.of(classes, truths, probabilities.toArray(new float[0][]));
            metrics.add("detectedOnly", detectedOnly.toJson());
            Path figures = out.resolve("figures");
            for (boolean normalized : new boolean[] {false, true}) {
                var chart = Figures.confusion("Photos (detected faces)", detectedOnly, normalized);
                String name = normalized ? "confusion-normalized" : "confusion-counts";
                AtomicFiles.write(figures.resolve(name + ".png"), o -> BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG));
                AtomicFiles.write(figures.resolve(name + ".svg"), o -> VectorGraphicsEncoder.saveVectorGraphic(chart, o,
                        VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
            }
        }
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("predictions.csv"), csv.toString());
        AtomicFiles.writeString(out.resolve("metrics.json"), new GsonBuilder().setPrettyPrinting().create().toJson(metrics));

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "model %s (engine: %s, prior correction %s)%n", recognizer.modelName(), recognizer.engine(),
                recognizer.priorCorrection() > 0 ? String.valueOf(recognizer.priorCorrection()) : "none");
        stdout.printf(Locale.ROOT, "%d labelled photos, %d with no face found%n", rows.size(), totalNoFace);
        stdout.printf(Locale.ROOT, "all photos (no face = miss): accuracy %.4f  ACA %.4f%n", accuracy, aca);
        if (!pairs.isEmpty()) {
            stdout.printf(Locale.ROOT, "detected faces only:        accuracy %.4f  ACA %.4f%n", detected.accuracy(), detected.aca());
        }
        stdout.printf("%nconfusion matrix (rows: true, columns: predicted, last: no face found)%n%-10s", "");
        classes.forEach(c -> stdout.printf(" %8s", c.length() > 8 ? c.substring(0, 8) : c));
        stdout.printf(" %8s%n", NO_FACE);
        for (int t = 0; t < k; t++) {
            stdout.printf("%-10s", classes.get(t));
            for (int p = 0; p < k; p++) {
                stdout.printf(" %8d", detected.count(t, p));
            }
            stdout.printf(" %8d%n", noFace[t]);
        }
        stdout.println();
        stdout.println("results: " + out.toAbsolutePath().normalize());
        stdout.flush();
        return 0;
    }

    /** predictions.csv's columns: the photo, its label, the answer and its probability, then each class's probability. */
    private static Object[] header(List<String> classes) {
        List<String> names = new ArrayList<>(List.of("path", "emotion", "predicted", "probability"));
        names.addAll(classes);
        return names.toArray();
    }

    private List<Labelled> readLabels(List<String> classes) {
        PhotoLabels photoLabels = PhotoLabels.read(labels);
        if (!Files.isDirectory(dir)) {
            throw InvalidInputException.at(dir, "not a folder of photos");
        }
        List<Labelled> rows = new ArrayList<>();
        for (PhotoLabels.Entry entry : photoLabels.entries()) {
            String emotion = entry.emotion().displayName();
            if (!classes.contains(emotion)) {
                throw InvalidInputException.at(labels, entry.line(), "unknown emotion '" + emotion + "' (expected one of "
                        + String.join(", ", classes) + ")");
            }
            Path photo = dir.resolve(entry.photo());
            if (!Files.isRegularFile(photo)) {
                throw InvalidInputException.at(labels, entry.line(), "no such photo " + photo);
            }
            rows.add(new Labelled(photo, entry.photo(), emotion));
        }
        return rows;
    }
}
