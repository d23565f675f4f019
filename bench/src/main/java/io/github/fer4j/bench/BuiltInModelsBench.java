package io.github.fer4j.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.onnx.OnnxInt8Engine;
import io.github.fer4j.onnx.OnnxRuntimeEngine;
import io.github.fer4j.vision.BuiltInModels;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.PhotoLabels;
import io.github.fer4j.vision.RecognizedFace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Measures every built-in model as a user gets it and writes fer-models' {@code builtin-models.json}, which {@code fer models}
 * prints and DefaultModelGateTest holds the models to:
 * <ul>
 *   <li>FER2013 PrivateTest accuracy and ACA (and PublicTest), on the exact fp32 engine with the views the model file names,
 *   as {@code fer evaluate} scores it;</li>
 *   <li>the development photos (../shared/data/devphotos: a photo without a face found counts as a miss), as
 *   {@code fer evaluate-photos} reads them by default: the int8 engine, Haar faces, whole-frame reading, prior correction
 *   0.5;</li>
 *   <li>milliseconds per 640x480 photo with one face (a PublicTest face drawn on a plain background, as bench/serve.sh
 *   posts), decode to answer, on the int8 engine with one thread, as {@code fer predict} runs it: the median of 60 after 15
 *   to warm up;</li>
 *   <li>the file's size and SHA-256.</li>
 * </ul>
 * Usage: {@code BuiltInModelsBench OUT.json FER2013.csv.gz DEVPHOTOS_DIR}.
 */
public final class BuiltInModelsBench {
    private static final int WARM_UP = 15;
    private static final int TIMED = 60;

    private BuiltInModelsBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Path photos = Path.of(args[2]);
        FaceSet faces = Fer2013Reader.read(data);
        PhotoLabels labels = PhotoLabels.read(photos.resolve("labels.csv"));
        Path photo = Files.createTempFile("fer-bench-photo", ".jpg");
        BenchPhoto.write(photo, faces.face(faces.indices(Split.PUBLIC_TEST)[4]));

        JsonObject record = new JsonObject();
        record.addProperty("program", "bench/builtin-models.sh (BuiltInModelsBench)");
        record.addProperty("date", LocalDate.now().toString());
        record.addProperty("machine", machine());
        record.addProperty("data", data.getFileName() + " (sha256 " + faces.sha256() + ")");
        record.addProperty("devPhotos", labels.entries().size() + " labelled photos in " + photos.getFileName());
        JsonObject models = new JsonObject();
        for (BuiltInModels.BuiltIn builtIn : BuiltInModels.all()) {
            JsonObject m = new JsonObject();
            byte[] bytes = BuiltInModels.bytes(builtIn);
            m.addProperty("file", builtIn.file());
            m.addProperty("sizeBytes", bytes.length);
            m.addProperty("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));

            System.setProperty(CnnEngine.PROPERTY, OnnxRuntimeEngine.ID);
            Classifier exact = BuiltInModels.load(builtIn.name());
            for (Split split : List.of(Split.PUBLIC_TEST, Split.PRIVATE_TEST)) {
                Evaluation e = Evaluation.on(exact, faces, faces.indices(split));
                JsonObject s = new JsonObject();
                s.addProperty("faces", faces.indices(split).length);
                s.addProperty("accuracy", e.accuracy());
                s.addProperty("aca", e.aca());
                s.addProperty("engine", OnnxRuntimeEngine.ID);
                m.add(split == Split.PUBLIC_TEST ? "publicTest" : "privateTest", s);
                System.out.printf(Locale.ROOT, "%s %s: accuracy %.4f ACA %.4f%n", builtIn.name(), split.csvName(), e.accuracy(), e.aca());
            }

            System.setProperty(CnnEngine.PROPERTY, OnnxInt8Engine.ID);
            System.setProperty(OnnxRuntimeEngine.THREADS, "1");
            EmotionRecognizer recognizer = EmotionRecognizer.create(BuiltInModels.load(builtIn.name()), builtIn.name(),
                    EmotionRecognizer.Options.defaults());
            m.add("devPhotos", devPhotos(recognizer, photos, labels));
            m.add("photo", timing(recognizer, photo));
            System.clearProperty(OnnxRuntimeEngine.THREADS);
            System.clearProperty(CnnEngine.PROPERTY);
            models.add(builtIn.name(), m);
        }
        record.add("models", models);
        Files.deleteIfExists(photo);
        AtomicFiles.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(record) + "\n");
        System.out.println("wrote " + out);
    }

    /** Accuracy and ACA over every labelled photo (no face found = a miss), as fer evaluate-photos counts them. */
    private static JsonObject devPhotos(EmotionRecognizer recognizer, Path dir, PhotoLabels labels) {
        List<String> classes = recognizer.model().classNames();
        int k = classes.size();
        long[] support = new long[k];
        long[] right = new long[k];
        int noFace = 0;
        for (PhotoLabels.Entry entry : labels.entries()) {
            int truth = classes.indexOf(entry.emotion().displayName());
            support[truth]++;
            List<RecognizedFace> found = recognizer.recognize(dir.resolve(entry.photo()));
            if (found.isEmpty()) {
                noFace++;
            } else if (found.get(0).dominant().equals(classes.get(truth))) {
                right[truth]++;
            }
        }
        double aca = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            if (support[c] > 0) {
                aca += (double) right[c] / support[c];
                present++;
            }
        }
        JsonObject o = new JsonObject();
        o.addProperty("photos", labels.entries().size());
        o.addProperty("noFace", noFace);
        o.addProperty("accuracy", (double) Arrays.stream(right).sum() / labels.entries().size());
        o.addProperty("aca", aca / present);
        o.addProperty("engine", recognizer.engine());
        System.out.printf(Locale.ROOT, "%s development photos: accuracy %.4f ACA %.4f (%d without a face)%n", recognizer.modelName(),
                o.get("accuracy").getAsDouble(), o.get("aca").getAsDouble(), noFace);
        return o;
    }

    /** The median time of {@code recognize(photo file)} over {@link #TIMED} runs after {@link #WARM_UP}. */
    private static JsonObject timing(EmotionRecognizer recognizer, Path photo) {
        for (int i = 0; i < WARM_UP; i++) {
            recognizer.recognize(photo);
        }
        double[] ms = new double[TIMED];
        for (int i = 0; i < TIMED; i++) {
            long t0 = System.nanoTime();
            if (recognizer.recognize(photo).isEmpty()) {
                throw new IllegalStateException("no face found in the timing photo");
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        JsonObject o = new JsonObject();
        o.addProperty("milliseconds", ms[TIMED / 2]);
        o.addProperty("fastestMilliseconds", ms[0]);
        o.addProperty("photo", "640x480 JPEG, one face");
        o.addProperty("engine", recognizer.engine() + ", 1 thread");
        System.out.printf(Locale.ROOT, "%s: %.1f ms per photo (median; fastest %.1f)%n", recognizer.modelName(), ms[TIMED / 2], ms[0]);
        return o;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (Exception e) {
            // not Linux: the CPU stays unnamed
        }
        String load = "";
        try {
            load = ", load average " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            // not Linux
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores" + load + ", Java "
                + System.getProperty("java.version");
    }
}
