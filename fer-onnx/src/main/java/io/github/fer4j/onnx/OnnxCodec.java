package io.github.fer4j.onnx;

import com.google.gson.JsonObject;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelCodec;
import io.github.fer4j.model.ModelInfo;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Stores an ONNX model inside a fer4j model file (an ensemble's member): the graph as it was loaded in {@code model.onnx},
 * its input layout as sidecar JSON under {@code onnxLayout}, and where it came from.
 */
public final class OnnxCodec implements ModelCodec {
    static final String GRAPH = "model.onnx";

    @Override
    public Set<String> kinds() {
        return Set.of(OnnxClassifier.KIND);
    }

    @Override
    public Encoded encode(Classifier model) {
        OnnxClassifier onnx = (OnnxClassifier) model;
        JsonObject description = new JsonObject();
        description.addProperty("source", onnx.source());
        description.addProperty("fer4jGraph", onnx.fer4jGraph());
        description.add("onnxLayout", onnx.layout().toJson());
        return new Encoded(description, Map.of(GRAPH, onnx.graphBytes()));
    }

    @Override
    public Classifier decode(JsonObject description, Map<String, byte[]> entries) throws IOException {
        byte[] graph = entries.get(GRAPH);
        if (graph == null) {
            throw new IOException("no " + GRAPH + " entry");
        }
        if (!description.has("onnxLayout") || !description.get("onnxLayout").isJsonObject()) {
            throw new IOException("no onnxLayout object in model.json");
        }
        String source = description.has("source") ? description.get("source").getAsString() : GRAPH;
        OnnxInputLayout layout = OnnxInputLayout.parse(description.getAsJsonObject("onnxLayout"), GRAPH + " (from " + source + ") onnxLayout");
        return OnnxClassifier.of(graph, source, layout, null).withInfo(ModelInfo.fromJson(description.getAsJsonObject("info")));
    }
}
