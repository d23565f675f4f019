package io.github.fer4j.linear;

import com.google.gson.JsonObject;
import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.features.Standardizer;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelCodec;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Model-file entries of the linear models: {@code weights.bin} (W row-major, then b) and
 * {@code standardizer.bin} (mean, then std), float32 little-endian.
 */
public final class LinearModelCodec implements ModelCodec {
    private static final String WEIGHTS = "weights.bin";
    private static final String STANDARDIZER = "standardizer.bin";

    @Override
    public Set<String> kinds() {
        return Set.of(LogisticRegression.KIND, SoftmaxRegression.KIND);
    }

    @Override
    public Encoded encode(Classifier classifier) {
        LinearClassifier model = (LinearClassifier) classifier;
        JsonObject json = new JsonObject();
        JsonObject features = new JsonObject();
        features.addProperty("name", model.features().name());
        features.add("settings", model.features().settings());
        features.addProperty("dimension", model.features().dimension());
        json.add("features", features);
        JsonObject preprocessing = new JsonObject();
        preprocessing.addProperty("input", "48x48 gray levels 0..255, row-major");
        preprocessing.addProperty("standardization", "(x - mean) / std per feature, fitted on Training");
        preprocessing.addProperty("entry", STANDARDIZER);
        json.add("preprocessing", preprocessing);
        JsonObject weights = new JsonObject();
        weights.addProperty("entry", WEIGHTS);
        weights.addProperty("dtype", "float32-le");
        weights.addProperty("outputs", model.model().outputs());
        weights.addProperty("dimension", model.model().dimension());
        weights.addProperty("layout", "W[outputs][dimension] row-major, then b[outputs]");
        json.add("weights", weights);
        json.addProperty("loss", model.loss().name());
        return new Encoded(json, Map.of(
                WEIGHTS, ModelFile.floats(model.model().weights(), model.model().bias()),
                STANDARDIZER, ModelFile.floats(model.standardizer().mean(), model.standardizer().std())));
    }

    @Override
    public Classifier decode(JsonObject json, Map<String, byte[]> entries) throws IOException {
        Task task = ModelCodec.task(json);
        JsonObject featureJson = json.getAsJsonObject("features");
        FeatureExtractor features = FeatureExtractor.named(featureJson.get("name").getAsString(),
                featureJson.getAsJsonObject("settings"));
        JsonObject weightJson = json.getAsJsonObject("weights");
        int outputs = weightJson.get("outputs").getAsInt();
        int dimension = weightJson.get("dimension").getAsInt();
        LinearTrainer.Objective objective = LinearTrainer.Objective.of(json.get("kind").getAsString());
        int expected = objective.outputs(task);
        if (outputs != expected) {
            throw new IOException("weights have " + outputs + " outputs but a " + objective.kind() + " model of "
                    + task.cliName() + " has " + expected);
        }
        if (dimension != features.dimension()) {
            throw new IOException("weights have " + dimension + " inputs but the " + features.name()
                    + " features have " + features.dimension());
        }
        byte[] w = entries.get(WEIGHTS);
        float[] weights = ModelFile.floats(w, 0, outputs * dimension, WEIGHTS);
        float[] bias = ModelFile.floats(w, outputs * dimension, outputs, WEIGHTS);
        byte[] s = entries.get(STANDARDIZER);
        Standardizer standardizer = new Standardizer(ModelFile.floats(s, 0, dimension, STANDARDIZER),
                ModelFile.floats(s, dimension, dimension, STANDARDIZER));
        LinearModel model = new LinearModel(weights, bias, outputs, dimension);
        return objective.build(task, features, standardizer, model, ModelInfo.fromJson(json.getAsJsonObject("info")));
    }
}
