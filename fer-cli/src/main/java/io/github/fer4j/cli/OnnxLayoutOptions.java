package io.github.fer4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.onnx.OnnxClassifier;
import io.github.fer4j.onnx.OnnxInputLayout;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --onnx-*}: describes a foreign ONNX model on the command line, field for field as its sidecar JSON would
 * ({@code --onnx-side 64} is the sidecar's {@code "side": 64}). Shared by every command that takes {@code --model}.
 */
final class OnnxLayoutOptions {
    static final String SOURCE = "the --onnx-* options";

    @Option(names = "--onnx-class-names", paramLabel = "A,B,...", split = ",",
            description = "A foreign .onnx model's class names in the order of its output columns (sidecar field classNames). "
                    + "Giving any --onnx-* option describes the model on the command line instead of by its sidecar MODEL.onnx.json.")
    String[] classNames;

    @Option(names = "--onnx-side", paramLabel = "PX", description = "Its input side; the 48x48 face is resized bilinearly (side). Default: the graph's.")
    Integer side;

    @Option(names = "--onnx-color", description = "Its input has three channels (the gray level in each) (color).")
    Boolean color;

    @Option(names = "--onnx-layout", paramLabel = "NCHW|NHWC", description = "Its input layout (layout). Default: NCHW.")
    String layout;

    @Option(names = "--onnx-scale", paramLabel = "X", description = "Gray levels 0..255 are multiplied by this (scale), e.g. 0.00392157 for 0..1. Default: 1.")
    Float scale;

    @Option(names = "--onnx-mean", paramLabel = "M[,M,M]", split = ",", description = "Subtracted after scaling, one or one per channel (mean). Default: 0.")
    float[] mean;

    @Option(names = "--onnx-std", paramLabel = "S[,S,S]", split = ",", description = "Then divided by, one or one per channel (std). Default: 1.")
    float[] std;

    @Option(names = "--onnx-scores", paramLabel = "probabilities|logits", description = "What its output holds (scores); logits get a softmax. Default: probabilities.")
    String scores;

    @Option(names = "--onnx-input", paramLabel = "NAME", description = "Its input's name, when it has several (input).")
    String input;

    @Option(names = "--onnx-output", paramLabel = "NAME", description = "Its output's name; default the first (output).")
    String output;

    boolean given() {
        return classNames != null || side != null || color != null || layout != null || scale != null || mean != null
                || std != null || scores != null || input != null || output != null;
    }

    /** The model: as the options describe it when any is given (an .onnx file only), else through ModelFile.load. */
    Classifier load(Path model) {
        if (!given()) {
            return io.github.fer4j.vision.BuiltInModels.resolve(model);
        }
        if (!model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            throw InvalidInputException.at(model, "the --onnx-* options describe .onnx models only");
        }
        return OnnxClassifier.load(model, OnnxInputLayout.parse(json(), SOURCE));
    }

    /** The options as sidecar JSON. */
    private JsonObject json() {
        JsonObject json = new JsonObject();
        if (classNames != null) {
            JsonArray names = new JsonArray();
            for (String n : classNames) {
                names.add(n.trim());
            }
            json.add("classNames", names);
        }
        if (side != null) {
            json.addProperty("side", side);
        }
        if (color != null) {
            json.addProperty("color", color);
        }
        if (layout != null) {
            json.addProperty("layout", layout);
        }
        if (scale != null) {
            json.addProperty("scale", scale);
        }
        if (mean != null) {
            json.add("mean", numbers(mean));
        }
        if (std != null) {
            json.add("std", numbers(std));
        }
        if (scores != null) {
            json.addProperty("scores", scores);
        }
        if (input != null) {
            json.addProperty("input", input);
        }
        if (output != null) {
            json.addProperty("output", output);
        }
        return json;
    }

    /** One number stays a number (it applies to every channel); several become an array. */
    private static com.google.gson.JsonElement numbers(float[] values) {
        if (values.length == 1) {
            return new com.google.gson.JsonPrimitive(values[0]);
        }
        JsonArray a = new JsonArray();
        for (float v : values) {
            a.add(v);
        }
        return a;
    }
}
