package io.github.fer4j.study;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Split;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.task.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The faces a report shows, saved beside the results so that the report can be drawn again without the data:
 * samples of every emotion from Training, and a model's predictions on PublicTest (confident correct ones and
 * the most confident mistakes). {@code examples.json} describes them, {@code examples.bin} holds their pixels.
 */
public final class Examples {
    /** One face to show, with what it is and (for predictions) what the model said. */
    public record Face(String group, String truth, String predicted, double probability, byte[] pixels) { }

    public static final String JSON = "examples.json";
    public static final String PIXELS = "examples.bin";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private Examples() {
    }

    /** Up to {@code perEmotion} Training faces of each emotion, in file order. */
    public static List<Face> samples(FaceSet faces, int perEmotion) {
        List<Face> out = new ArrayList<>();
        int[] taken = new int[Task.EMOTIONS.classCount()];
        for (int i : faces.indices(Split.TRAINING)) {
            int e = faces.emotionId(i);
            if (taken[e] < perEmotion) {
                taken[e]++;
                out.add(new Face("sample", Task.EMOTIONS.classNames().get(e), "", Double.NaN, faces.face(i)));
            }
        }
        out.sort(Comparator.comparingInt(f -> Task.EMOTIONS.classNames().indexOf(f.truth())));
        return out;
    }

    /** The {@code count} most confident correct predictions and most confident mistakes on PublicTest. */
    public static List<Face> predictions(Classifier model, FaceSet faces, int count) {
        int[] idx = faces.indices(Split.PUBLIC_TEST);
        float[][] probs = model.probabilities(faces, idx);
        Task task = model.task();
        int[] truths = task.labels(faces, idx);
        Integer[] order = new Integer[idx.length];
        for (int k = 0; k < idx.length; k++) {
            order[k] = k;
        }
        // Most confident first; ties by position, so the choice is reproducible.
        Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -max(probs[k])).thenComparingInt(k -> k));
        List<Face> correct = new ArrayList<>();
        List<Face> wrong = new ArrayList<>();
        for (int k : order) {
            int truth = truths[k];
            int predicted = Classifier.mostProbable(probs[k]);
            List<Face> bucket = truth == predicted ? correct : wrong;
            if (bucket.size() < count) {
                bucket.add(new Face(truth == predicted ? "correct" : "mistake", task.classNames().get(truth),
                        task.classNames().get(predicted), probs[k][predicted], faces.face(idx[k])));
            }
        }
        List<Face> out = new ArrayList<>(correct);
        out.addAll(wrong);
        return out;
    }

    public static void write(Path dir, List<Face> faces) throws IOException {
        JsonArray list = new JsonArray();
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        for (Face f : faces) {
            JsonObject o = new JsonObject();
            o.addProperty("group", f.group());
            o.addProperty("truth", f.truth());
            o.addProperty("predicted", f.predicted());
            if (!Double.isNaN(f.probability())) {
                o.addProperty("probability", f.probability());
            }
            list.add(o);
            pixels.write(f.pixels());
        }
        JsonObject json = new JsonObject();
        json.addProperty("pixelsFile", PIXELS);
        json.addProperty("faceSide", FaceSet.SIDE);
        json.add("faces", list);
        AtomicFiles.write(dir.resolve(PIXELS), out -> pixels.writeTo(out));
        AtomicFiles.writeString(dir.resolve(JSON), GSON.toJson(json));
    }

    public static List<Face> read(Path dir) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve(JSON))).getAsJsonObject();
        byte[] pixels = Files.readAllBytes(dir.resolve(PIXELS));
        JsonArray list = json.getAsJsonArray("faces");
        if (pixels.length != list.size() * FaceSet.PIXELS) {
            throw new IOException(dir.resolve(PIXELS) + ": holds " + pixels.length / FaceSet.PIXELS + " faces, "
                    + dir.resolve(JSON) + " lists " + list.size());
        }
        List<Face> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonObject o = list.get(i).getAsJsonObject();
            out.add(new Face(o.get("group").getAsString(), o.get("truth").getAsString(), o.get("predicted").getAsString(),
                    o.has("probability") ? o.get("probability").getAsDouble() : Double.NaN,
                    Arrays.copyOfRange(pixels, i * FaceSet.PIXELS, (i + 1) * FaceSet.PIXELS)));
        }
        return out;
    }

    private static double max(float[] p) {
        return p[Classifier.mostProbable(p)];
    }
}
