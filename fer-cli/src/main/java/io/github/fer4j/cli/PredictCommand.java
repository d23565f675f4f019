package io.github.fer4j.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.data.Printable;
import io.github.fer4j.vision.Annotator;
import io.github.fer4j.vision.ImageDecoder;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.OcclusionMap;
import io.github.fer4j.vision.RecognizedFace;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fer predict}: photos in, faces and emotions out. */
@Command(name = "predict", header = "Read the emotions of the faces in photos", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Find the faces in photos and read their emotions: a table on stdout, and optionally annotated images, "
                + "JSON, CSV and the 48x48 crops. Files, folders and glob patterns are accepted. A photo without a face is "
                + "reported as such; a file that is not an image gets one line on stderr and the batch goes on (exit 2 at the "
                + "end if any file could not be read).")
final class PredictCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PHOTO", description = "Photo files, folders or glob patterns (JPEG, PNG, BMP, GIF, WebP).")
    List<String> inputs;

    @Mixin
    RecognizerOptions recognizerOptions;

    @Option(names = "--out", paramLabel = "DIR", description = "Write each photo annotated with boxes, labels and bars here.")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every result as JSON here.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per face (or per photo without faces) here.")
    Path csv;

    @Option(names = "--crops", paramLabel = "DIR", description = "Save the 48x48 crop the model saw for each face here.")
    Path crops;

    @Option(names = "--explain", paramLabel = "DIR",
            description = "Write why each face was read as it was into DIR: PHOTO-faceN-why.png, the crop the model saw (4x) with "
                    + "an occlusion-sensitivity map over it: red where hiding a 12 px patch lowers the answer's probability, "
                    + "blue where it raises it. Each map costs 49 more classifications of the face; --json gets its grid.")
    Path explain;

    @Override
    public Integer call() throws Exception {
        PhotoFiles.Expanded expanded = PhotoFiles.expand(inputs);
        PrintWriter stdout = spec.commandLine().getOut();
        int bad = 0;
        for (String missing : expanded.unmatched()) {
            System.err.println("fer: " + Printable.of(missing) + ": no such file, folder or matching photo");
            bad++;
        }
        EmotionRecognizer recognizer = recognizerOptions.recognizer();
        JsonArray results = new JsonArray();
        StringBuilder table = new StringBuilder("file,face,x,y,width,height,dominant");
        recognizer.model().classNames().forEach(c -> table.append(',').append(c));
        table.append(",note\n");
        for (Path photo : expanded.photos()) {
            JsonObject result = new JsonObject();
            result.addProperty("file", photo.toString());
            BufferedImage image;
            try {
                // Detection reads gray; colour is decoded only when annotated photos are written.
                ImageDecoder.Decoded decoded = out == null ? recognizer.decoder().decodeLumaReporting(photo)
                        : recognizer.decoder().decodeReporting(photo);
                image = decoded.image();
                if (!decoded.warnings().isEmpty()) {
                    JsonArray warnings = new JsonArray();
                    decoded.warnings().forEach(w -> {
                        warnings.add(w);
                        System.err.println("fer: " + photo + ": warning: " + w);
                    });
                    result.add("warnings", warnings);
                }
            } catch (InvalidInputException e) {
                System.err.println("fer: " + e.getMessage());
                result.addProperty("error", e.getMessage());
                results.add(result);
                table.append(csvText(photo.toString())).append(",,,,,,").append(",".repeat(recognizer.model().classNames().size()))
                        .append(csvText("error: " + e.getMessage())).append('\n');
                bad++;
                continue;
            }
            List<RecognizedFace> faces = recognizer.recognize(image);
            result.addProperty("width", image.getWidth());
            result.addProperty("height", image.getHeight());
            JsonArray list = new JsonArray();
            for (int i = 0; i < faces.size(); i++) {
                RecognizedFace face = faces.get(i);
                JsonObject faceJson = face.toJson();
                list.add(faceJson);
                if (explain != null) {
                    OcclusionMap map = recognizer.explain(face);
                    faceJson.add("explain", map.toJson());
                    Files.createDirectories(explain);
                    BufferedImage why = map.render(face.crop(), 4);
                    AtomicFiles.write(explain.resolve(stem(photo) + "-face" + (i + 1) + "-why.png"), o -> ImageIO.write(why, "png", o));
                }
                FaceBox b = face.box();
                stdout.printf(Locale.ROOT, "%s  face %d  box %d,%d %dx%d  %-8s %.2f  |%s%n", photo, i + 1, b.x(), b.y(), b.width(),
                        b.height(), face.dominant(), face.probability(face.dominant()), probabilities(face));
                table.append(csvText(photo.toString())).append(',').append(i + 1).append(',').append(b.x()).append(',')
                        .append(b.y()).append(',').append(b.width()).append(',').append(b.height()).append(',').append(face.dominant());
                face.probabilities().values().forEach(p -> table.append(String.format(Locale.ROOT, ",%.4f", p)));
                table.append(",\n");
                if (crops != null) {
                    Files.createDirectories(crops);
                    BufferedImage crop = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
                    crop.getRaster().setDataElements(0, 0, 48, 48, face.crop());
                    Path target = crops.resolve(stem(photo) + "-face" + (i + 1) + ".png");
                    AtomicFiles.write(target, o -> ImageIO.write(crop, "png", o));
                }
            }
            result.add("faces", list);
            if (faces.isEmpty()) {
                result.addProperty("noFaceReason", "no frontal face of at least " + recognizerOptions.minFace(RecognizerOptions.PHOTO_MIN_FACE) + " px was found");
                stdout.printf("%s  no face found%n", photo);
                table.append(csvText(photo.toString())).append(",0,,,,,").append(",".repeat(recognizer.model().classNames().size()))
                        .append("no face found\n");
            }
            if (out != null) {
                BufferedImage annotated = Annotator.annotate(image, faces);
                String format = photo.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g$") ? "jpg" : "png";
                Path target = out.resolve(stem(photo) + "." + format);
                AtomicFiles.write(target, o -> ImageIO.write(annotated, format, o));
            }
            results.add(result);
        }
        if (json != null) {
            JsonObject all = new JsonObject();
            all.addProperty("model", recognizer.modelName());
            all.addProperty("detector", recognizer.detector().kind().name().toLowerCase(Locale.ROOT));
            all.addProperty("priorCorrection", recognizer.priorCorrection());
            all.add("photos", results);
            AtomicFiles.writeString(json, new GsonBuilder().setPrettyPrinting().create().toJson(all));
        }
        if (csv != null) {
            AtomicFiles.writeString(csv, table.toString());
        }
        stdout.flush();
        System.err.printf(Locale.ROOT, "fer: %d photos, %d could not be read%n", expanded.photos().size(), bad - expanded.unmatched().size());
        expanded.skippedLine().ifPresent(line -> System.err.println("fer: " + line));
        return bad == 0 ? 0 : 2;
    }

    private static String probabilities(RecognizedFace face) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : face.probabilities().entrySet()) {
            s.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue()));
        }
        return s.toString();
    }

    private static String stem(Path photo) {
        String name = photo.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String csvText(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
