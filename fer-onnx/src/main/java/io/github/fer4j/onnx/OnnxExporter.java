package io.github.fer4j.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.gson.Gson;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.linear.LinearClassifier;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.Version;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a fer4j model as one whole ONNX graph: gray levels 0..255 as float32 {@code [N, 1, 48, 48]} in (dynamic
 * batch), class probabilities {@code [N, classes]} out, with every step between (crop, normalisation, test-time views,
 * ensemble mixing) inside the graph and fer4j's facts in {@code metadata_props}. Any ONNX runtime then gives fer4j's
 * answers with no fer4j code. One small writer per model kind; a model that has no ONNX form is refused with the reason.
 */
public final class OnnxExporter {
    /** The graph's input and output names. */
    public static final String INPUT = "pixels";
    public static final String OUTPUT = "probabilities";

    private OnnxExporter() {
    }

    /** Writes {@code model} (read from {@code source}, named in errors) to {@code target}, completely or not at all. */
    public static void export(Classifier model, String source, Path target) throws IOException {
        byte[] bytes = toBytes(model, source);
        AtomicFiles.write(target, out -> out.write(bytes));
    }

    /** The ONNX file's bytes; an InvalidInputException naming {@code source} when the model has no ONNX form. */
    public static byte[] toBytes(Classifier model, String source) {
        try {
            return graphBytes(model);
        } catch (NotExpressible e) {
            throw new InvalidInputException(source + ": cannot be exported to ONNX: " + e.getMessage());
        }
    }

    /** The ONNX file's bytes; NotExpressible says why a model has no ONNX form. */
    static byte[] graphBytes(Classifier model) {
        OnnxGraph graph = new OnnxGraph("fer4j_" + model.kind());
        graph.input(INPUT, -1, 1, FaceSet.SIDE, FaceSet.SIDE);
        String probabilities = probabilities(graph, INPUT, model);
        graph.output(probabilities, OUTPUT, -1, model.classNames().size());
        ModelProto proto = graph.model(Version.current(), "fer4j " + model.kind() + " model for " + model.task().cliName()
                + ": gray faces 0..255 [N,1,48,48] in, class probabilities out", metadata(model));
        return proto.toByteArray();
    }

    /** fer4j's facts about the graph, so that the file describes itself (see {@link OnnxMetadata}). */
    static Map<String, String> metadata(Classifier model) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(OnnxMetadata.FORMAT, OnnxMetadata.FORMAT_VALUE);
        m.put(OnnxMetadata.KIND, model.kind());
        m.put(OnnxMetadata.TASK, model.task().cliName());
        m.put(OnnxMetadata.CLASS_NAMES, new Gson().toJson(model.classNames()));
        m.put(OnnxMetadata.INPUT_LAYOUT, OnnxMetadata.INPUT_LAYOUT_VALUE);
        m.put(OnnxMetadata.OUTPUT_LAYOUT, "float32 [N, " + model.classNames().size() + "]: class probabilities in the order of "
                + OnnxMetadata.CLASS_NAMES + ", summing to 1");
        m.put(OnnxMetadata.CROP, crop(model));
        m.put(OnnxMetadata.TTA, tta(model));
        m.put(OnnxMetadata.NORMALIZATION, "inside the graph");
        return m;
    }

    private static String crop(Classifier model) {
        if (model instanceof CnnModel cnn) {
            int side = cnn.architecture().inputSide();
            return "centre " + side + "x" + side + " of the 48x48 face, inside the graph";
        }
        if (model instanceof EnsembleClassifier ensemble) {
            StringBuilder s = new StringBuilder("per member:");
            for (int m = 0; m < ensemble.members().size(); m++) {
                s.append(m == 0 ? " " : "; ").append(ensemble.memberNames().get(m)).append(": ").append(crop(ensemble.members().get(m)));
            }
            return s.toString();
        }
        return "the whole 48x48 face";
    }

    private static String tta(Classifier model) {
        if (model instanceof CnnModel cnn) {
            return cnn.testTimeAugmentation().id();
        }
        if (model instanceof EnsembleClassifier ensemble) {
            StringBuilder s = new StringBuilder();
            for (int m = 0; m < ensemble.members().size(); m++) {
                s.append(m == 0 ? "" : "; ").append(ensemble.memberNames().get(m)).append(": ").append(tta(ensemble.members().get(m)));
            }
            return s.toString();
        }
        return "none";
    }

    /** Adds the nodes that turn {@code pixels} into {@code model}'s probabilities, in its class order; returns that value. */
    static String probabilities(OnnxGraph graph, String pixels, Classifier model) {
        if (model instanceof LinearClassifier linear) {
            return LinearGraph.probabilities(graph, pixels, linear);
        }
        if (model instanceof CnnModel cnn) {
            return CnnGraph.probabilities(graph, pixels, cnn);
        }
        if (model instanceof EnsembleClassifier ensemble) {
            return EnsembleGraph.probabilities(graph, pixels, ensemble);
        }
        if (model instanceof OnnxClassifier) {
            throw new NotExpressible("it is an ONNX model already; use its .onnx file as it is");
        }
        throw new NotExpressible("fer4j has no ONNX writer for '" + model.kind() + "' models");
    }

    /** A model, or a part of one, that has no ONNX form; the message says why. */
    static final class NotExpressible extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotExpressible(String reason) {
            super(reason);
        }
    }
}
