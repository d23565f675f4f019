package io.github.fer4j.linear;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.train.LearningRate;
import io.github.fer4j.train.Settings;
import io.github.fer4j.train.Trainer;
import io.github.fer4j.train.TrainerFamily;
import java.util.Set;

/**
 * The linear models (logistic and softmax regression) as a {@link TrainerFamily}: reads named settings into an
 * {@link SgdConfig} built on {@link SgdConfig#defaults()}, and a feature set with its HOG and LBP settings.
 */
public final class LinearFamily implements TrainerFamily {
    private static final Set<String> SETTINGS = Set.of("epochs", "batch", "lr", "schedule", "l2", "momentum",
            "class-weights", "early-stopping", "seed", "features", "hog-cell", "hog-block", "hog-bins", "lbp-grid");

    @Override
    public Set<String> kinds() {
        return Set.of(LogisticRegression.KIND, SoftmaxRegression.KIND);
    }

    @Override
    public Set<String> settings() {
        return SETTINGS;
    }

    @Override
    public Trainer trainer(String kind, Settings s) {
        TrainerFamily.requireKnown(kind, s, SETTINGS);
        SgdConfig defaults = SgdConfig.defaults();
        int epochs = s.integer("epochs", defaults.epochs());
        SgdConfig config = defaults.withEpochs(epochs)
                .withBatchSize(s.integer("batch", defaults.batchSize()))
                .withLearningRate(LearningRate.parse(s.text("schedule", defaults.learningRate().describe()),
                        s.number("lr", defaults.learningRate().rate())))
                .withL2(s.number("l2", defaults.l2()))
                .withMomentum(s.number("momentum", defaults.momentum()))
                .withClassWeights(s.classWeights("class-weights"))
                .withPatience(s.integer("early-stopping", 0))
                .withSeed(s.whole("seed", defaults.seed()));
        String features = s.text("features", "pixels");
        return new LinearTrainer(LinearTrainer.Objective.of(kind), FeatureExtractor.named(features, featureSettings(features, s)), config);
    }

    /** The HOG and LBP settings as the settings of the chosen feature set. */
    private static JsonObject featureSettings(String features, Settings s) {
        JsonObject hog = new JsonObject();
        hog.addProperty("cell", s.integer("hog-cell", 6));
        hog.addProperty("block", s.integer("hog-block", 2));
        hog.addProperty("bins", s.integer("hog-bins", 9));
        JsonObject lbp = new JsonObject();
        lbp.addProperty("grid", s.integer("lbp-grid", 6));
        JsonArray parts = new JsonArray();
        for (String part : features.split("\\+")) {
            parts.add(part.trim().equals("hog") ? hog : part.trim().equals("lbp") ? lbp : new JsonObject());
        }
        if (parts.size() > 1) {
            JsonObject all = new JsonObject();
            all.add("parts", parts);
            return all;
        }
        return parts.get(0).getAsJsonObject();
    }
}
