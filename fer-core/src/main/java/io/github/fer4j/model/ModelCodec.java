package io.github.fer4j.model;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the model kinds of one module. Modules register theirs with {@link java.util.ServiceLoader}
 * (META-INF/services), so the model file format does not need to know every model kind.
 */
public interface ModelCodec {
    /** The kinds this codec handles, as stored under "kind" in model.json. */
    Set<String> kinds();

    /** The model's description (merged into model.json) and its binary entries, by entry name. */
    record Encoded(JsonObject description, Map<String, byte[]> entries) { }

    Encoded encode(Classifier model) throws IOException;

    /** Rebuilds a model from model.json and the file's other entries; throws IOException naming what is wrong. */
    Classifier decode(JsonObject description, Map<String, byte[]> entries) throws IOException;

    /** The task named in model.json. */
    static io.github.fer4j.task.Task task(JsonObject description) throws IOException {
        return io.github.fer4j.task.Task.parse(description.get("task").getAsString())
                .orElseThrow(() -> new IOException("unknown task " + description.get("task")));
    }
}
