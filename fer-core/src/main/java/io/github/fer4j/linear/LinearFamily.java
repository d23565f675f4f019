package io.github.fer4j.linear;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.train.EpochSelection;
import io.github.fer4j.train.LearningRate;
import io.github.fer4j.train.Setting;
import io.github.fer4j.train.Settings;
import io.github.fer4j.train.Trainer;
import io.github.fer4j.train.TrainerFamily;
import java.util.List;
import java.util.Set;

/**
 * The linear models (logistic and softmax regression) as a {@link TrainerFamily}: reads named settings into an
 * {@link SgdConfig} built on {@link SgdConfig#defaults()}, and a feature set with its HOG and LBP settings.
 */
public final class LinearFamily implements TrainerFamily {
    private static final List<Setting> SETTINGS = List.of(
            Setting.value("epochs", "N", "Passes over Training. Default: 30."),
            Setting.value("lr", "RATE", "Initial learning rate. Default: 0.001."),
            Setting.value("schedule", "SCHEDULE", "constant, step:FACTOR:EVERY (seed 000: step:0.1:500) or cosine[:MIN]. Default: cosine."),
            Setting.value("batch", "N", "Mini-batch size. Default: 100."),
            Setting.value("l2", "DECAY", "L2 weight decay. Default: 0.0001."),
            Setting.value("momentum", "MU", "Heavy-ball momentum in [0, 1). Default: 0."),
            Setting.value("class-weights", "MODE", "none or balanced (each class weighs n / (classes x its count)). Default: none."),
            Setting.value("early-stopping", "PATIENCE", "Stop after this many epochs without a lower PublicTest loss and keep the "
                    + "best epoch; 0 = off. Default: 0."),
            Setting.value("seed", "N", "Seeds the initial weights, the shuffling and synthetic data. Default: 1."),
            Setting.value("features", "SET", "pixels, hog, lbp or hog+lbp (fitted on Training, stored in the model). Default: pixels."),
            Setting.value("hog-cell", "PX", "HOG cell size (divides 48). Default: 6."),
            Setting.value("hog-block", "CELLS", "HOG block size in cells. Default: 2."),
            Setting.value("hog-bins", "N", "HOG orientation bins. Default: 9."),
            Setting.value("lbp-grid", "N", "LBP regions a side. Default: 6."));

    @Override
    public Set<String> kinds() {
        return Set.of(LogisticRegression.KIND, SoftmaxRegression.KIND);
    }

    @Override
    public List<Setting> settings() {
        return SETTINGS;
    }

    @Override
    public Trainer trainer(String kind, Settings s) {
        TrainerFamily.requireKnown(kind, s, settingNames());
        SgdConfig config = SgdConfig.defaults().with(c -> {
            c.epochs = s.integer("epochs", c.epochs);
            c.batchSize = s.integer("batch", c.batchSize);
            c.learningRate = LearningRate.parse(s.text("schedule", c.learningRate.describe()), s.number("lr", c.learningRate.rate()));
            c.l2 = s.number("l2", c.l2);
            c.momentum = s.number("momentum", c.momentum);
            c.classWeights = s.classWeights("class-weights");
            c.selection = EpochSelection.lowestValidationLoss(s.integer("early-stopping", 0));
            c.seed = s.whole("seed", c.seed);
        });
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
