package io.github.fer4j.cnn;

import com.google.gson.JsonObject;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.model.ModelCodec;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Stores a CNN in the fer4j model file: the architecture name, crop side, input normalization and default
 * test-time augmentation in model.json; the parameters in DJL's own format in {@code parameters.djl}.
 */
public final class CnnCodec implements ModelCodec {
    /** The model-file entry that holds the parameters. */
    public static final String PARAMETERS = "parameters.djl";

    @Override
    public Set<String> kinds() {
        return Set.of(CnnModel.KIND);
    }

    @Override
    public Encoded encode(Classifier model) throws IOException {
        StoredCnn cnn = ((CnnModel) model).stored();
        JsonObject description = new JsonObject();
        description.addProperty("architecture", cnn.architecture().id());
        description.addProperty("inputSide", cnn.architecture().inputSide());
        JsonObject normalization = new JsonObject();
        normalization.addProperty("mean", cnn.mean());
        normalization.addProperty("std", cnn.std());
        description.add("normalization", normalization);
        description.addProperty("testTimeAugmentation", cnn.tta().id());
        description.addProperty("parameters", cnn.architecture().parameters(cnn.task().classCount()));
        description.addProperty("multiplyAddsPerFace", cnn.architecture().multiplyAdds(cnn.task().classCount()));
        return new Encoded(description, Map.of(PARAMETERS, cnn.parameters()));
    }

    @Override
    public Classifier decode(JsonObject description, Map<String, byte[]> entries) throws IOException {
        Task task = ModelCodec.task(description);
        Architecture architecture;
        try {
            architecture = Architecture.named(description.get("architecture").getAsString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        byte[] parameters = entries.get(PARAMETERS);
        if (parameters == null) {
            throw new IOException("no " + PARAMETERS + " entry");
        }
        JsonObject normalization = description.getAsJsonObject("normalization");
        float mean = normalization.get("mean").getAsFloat();
        float std = normalization.get("std").getAsFloat();
        TestTimeAugmentation tta = TestTimeAugmentation.NONE;
        if (description.has("testTimeAugmentation")) {
            try {
                tta = TestTimeAugmentation.named(description.get("testTimeAugmentation").getAsString());
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        StoredCnn stored = new StoredCnn(task, architecture, mean, std, tta,
                ModelInfo.fromJson(description.getAsJsonObject("info")), parameters);
        return CnnEngine.selected().open(stored);
    }
}
