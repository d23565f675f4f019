package io.github.fer4j.onnx;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How an ONNX graph wants its faces and what its output means: the input side (a 48x48 face is resized bilinearly),
 * gray or colour (the gray level repeated in three channels), NCHW or NHWC, the value fed {@code (gray * scale - mean)
 * / std} per channel, the class names in output order, and whether the output is probabilities or logits. A graph
 * exported by fer4j carries it in its metadata; a foreign one is described by a sidecar JSON beside it
 * ({@code model.onnx.json}) or by the same fields given on the command line.
 *
 * @param source where the description came from, named in errors (the sidecar file, say)
 */
public record OnnxInputLayout(String source, String input, String output, Integer side, boolean color, boolean channelsLast,
                              float scale, float[] mean, float[] std, List<String> classNames, boolean logits) {
    /** The sidecar fields, as written in {@code model.onnx.json}. */
    public static final Set<String> FIELDS = Set.of("input", "output", "side", "color", "layout", "scale", "mean", "std",
            "classNames", "labels", "scores", "description");

    public int channels() {
        return color ? 3 : 1;
    }

    /** The sidecar of {@code model}: the same name with {@code .json} added. */
    public static Path sidecarOf(Path model) {
        return model.resolveSibling(model.getFileName() + ".json");
    }

    /** Reads a sidecar file; a wrong or unknown field is an InvalidInputException naming the file and the field. */
    public static OnnxInputLayout read(Path sidecar) {
        String text;
        try {
            text = Files.readString(sidecar, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InvalidInputException.at(sidecar, "cannot read the ONNX sidecar: " + e.getMessage());
        }
        JsonElement json;
        try {
            json = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw InvalidInputException.at(sidecar, "not valid JSON: " + e.getMessage());
        }
        if (!json.isJsonObject()) {
            throw InvalidInputException.at(sidecar, "expected a JSON object with the fields " + new java.util.TreeSet<>(FIELDS));
        }
        return parse(json.getAsJsonObject(), sidecar.toString(), sidecar.toAbsolutePath().getParent());
    }

    /** The layout of a graph fer4j exported: 48x48 gray levels 0..255, probabilities out, in the given class order. */
    public static OnnxInputLayout fer4j(List<String> classNames, String source) {
        return new OnnxInputLayout(source, null, null, FaceSet.SIDE, false, false, 1f, new float[] {0f}, new float[] {1f},
                List.copyOf(classNames), false);
    }

    /** Reads the fields of a sidecar (or of command-line options written as one); {@code source} is named in errors. */
    public static OnnxInputLayout parse(JsonObject json, String source) {
        return parse(json, source, null);
    }

    /**
     * As {@link #parse(JsonObject, String)}, for a sidecar in {@code folder} (the model's), whose field {@code labels}
     * may name a file there: the class names one a line, in the order of the output columns, instead of
     * {@code classNames}. A file outside the folder, or named by an absolute path, is refused ({@link ModelFolder}).
     * Without a folder (command-line options, a layout stored in an ensemble) {@code labels} is refused.
     */
    public static OnnxInputLayout parse(JsonObject json, String source, Path folder) {
        for (String key : json.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new InvalidInputException(source + ": unknown field '" + key + "' (expected " + new java.util.TreeSet<>(FIELDS) + ")");
            }
        }
        String input = text(json, "input", source, null);
        String output = text(json, "output", source, null);
        Integer side = null;
        if (json.has("side")) {
            JsonPrimitive p = primitive(json, "side", source);
            if (!p.isNumber() || p.getAsDouble() != Math.rint(p.getAsDouble()) || p.getAsInt() < 8 || p.getAsInt() > 1024) {
                throw field(source, "side", "must be a whole number of pixels from 8 to 1024, not " + p);
            }
            side = p.getAsInt();
        }
        boolean color = false;
        if (json.has("color")) {
            JsonPrimitive p = primitive(json, "color", source);
            if (!p.isBoolean()) {
                throw field(source, "color", "must be true (three channels, the gray level in each) or false (one gray channel), not " + p);
            }
            color = p.getAsBoolean();
        }
        String layout = text(json, "layout", source, "NCHW").toUpperCase(Locale.ROOT);
        if (!layout.equals("NCHW") && !layout.equals("NHWC")) {
            throw field(source, "layout", "must be NCHW or NHWC, not " + json.get("layout"));
        }
        float scale = number(json, "scale", source, 1f);
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw field(source, "scale", "must be a positive number (1 for gray levels 0..255, 1/255 for 0..1), not " + scale);
        }
        int channels = color ? 3 : 1;
        float[] mean = perChannel(json, "mean", source, channels, 0f);
        float[] std = perChannel(json, "std", source, channels, 1f);
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw field(source, "std", "must be positive, not " + s);
            }
        }
        JsonElement names;
        if (json.has("labels")) {
            if (json.has("classNames")) {
                throw field(source, "labels", "and classNames exclude each other: give the class names in one of them");
            }
            names = labels(text(json, "labels", source, null), source, folder);
        } else if (json.has("classNames")) {
            names = json.get("classNames");
        } else {
            throw field(source, "classNames", "is missing: list the class names in the order of the graph's output columns "
                    + "(or name a file of them, one a line, beside the model: labels)");
        }
        String namesField = json.has("labels") ? "labels" : "classNames";
        if (!names.isJsonArray() || names.getAsJsonArray().isEmpty()) {
            throw field(source, namesField, "must be a non-empty array of strings, not " + names);
        }
        List<String> classNames = new ArrayList<>();
        for (JsonElement e : names.getAsJsonArray()) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
                throw field(source, namesField, "must hold strings only, found " + e);
            }
            classNames.add(e.getAsString());
        }
        String scores = text(json, "scores", source, "probabilities");
        if (!scores.equals("probabilities") && !scores.equals("logits")) {
            throw field(source, "scores", "must be probabilities or logits (softmax applied by fer4j), not " + json.get("scores"));
        }
        return new OnnxInputLayout(source, input, output, side, color, layout.equals("NHWC"), scale, mean, std,
                List.copyOf(classNames), scores.equals("logits"));
    }

    /** The class names of a labels file beside the model: one a line, blank lines skipped, as a JSON array. */
    private static JsonElement labels(String written, String source, Path folder) {
        if (folder == null) {
            throw field(source, "labels", "names a file, which only a sidecar beside its model may do; give classNames");
        }
        Path file;
        try {
            file = ModelFolder.resolve(folder, written);
        } catch (ModelFolder.Refused e) {
            throw field(source, "labels", "'" + written + "' " + e.getMessage());
        }
        JsonArray names = new JsonArray();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw field(source, "labels", "'" + written + "' cannot be read as UTF-8 text: " + e.getMessage());
        }
        if (names.isEmpty()) {
            throw field(source, "labels", "'" + written + "' holds no class names (one a line)");
        }
        return names;
    }

    /** This layout as sidecar JSON (how an ONNX member of an ensemble is stored). */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        if (input != null) {
            json.addProperty("input", input);
        }
        if (output != null) {
            json.addProperty("output", output);
        }
        if (side != null) {
            json.addProperty("side", side);
        }
        json.addProperty("color", color);
        json.addProperty("layout", channelsLast ? "NHWC" : "NCHW");
        json.addProperty("scale", scale);
        json.add("mean", floats(mean));
        json.add("std", floats(std));
        json.add("classNames", new Gson().toJsonTree(classNames));
        json.addProperty("scores", logits ? "logits" : "probabilities");
        return json;
    }

    /** The same layout with the side filled in (from the graph's input shape). */
    OnnxInputLayout withSide(int side) {
        return new OnnxInputLayout(source, input, output, side, color, channelsLast, scale, mean, std, classNames, logits);
    }

    private static JsonArray floats(float[] values) {
        JsonArray a = new JsonArray();
        for (float v : values) {
            a.add(v);
        }
        return a;
    }

    static InvalidInputException field(String source, String field, String reason) {
        return new InvalidInputException(source + ": field '" + field + "' " + reason);
    }

    private static JsonPrimitive primitive(JsonObject json, String key, String source) {
        JsonElement e = json.get(key);
        if (!e.isJsonPrimitive()) {
            throw field(source, key, "must be a single value, not " + e);
        }
        return e.getAsJsonPrimitive();
    }

    private static String text(JsonObject json, String key, String source, String otherwise) {
        if (!json.has(key)) {
            return otherwise;
        }
        JsonPrimitive p = primitive(json, key, source);
        if (!p.isString()) {
            throw field(source, key, "must be a string, not " + p);
        }
        return p.getAsString();
    }

    private static float number(JsonObject json, String key, String source, float otherwise) {
        if (!json.has(key)) {
            return otherwise;
        }
        JsonPrimitive p = primitive(json, key, source);
        if (!p.isNumber()) {
            throw field(source, key, "must be a number, not " + p);
        }
        return p.getAsFloat();
    }

    /** One number for every channel, or an array of one per channel. */
    private static float[] perChannel(JsonObject json, String key, String source, int channels, float otherwise) {
        if (!json.has(key)) {
            float[] out = new float[channels];
            Arrays.fill(out, otherwise);
            return out;
        }
        JsonElement e = json.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            float[] out = new float[channels];
            Arrays.fill(out, e.getAsFloat());
            return out;
        }
        if (e.isJsonArray() && e.getAsJsonArray().size() == channels) {
            float[] out = new float[channels];
            for (int c = 0; c < channels; c++) {
                JsonElement v = e.getAsJsonArray().get(c);
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                    throw field(source, key, "must hold numbers only, found " + v);
                }
                out[c] = v.getAsFloat();
            }
            return out;
        }
        throw field(source, key, "must be a number or an array of " + channels + " numbers (one per channel), not " + e);
    }
}
