package io.github.fer4j.linear;

import com.google.gson.JsonObject;
import io.github.fer4j.train.ClassWeights;
import io.github.fer4j.train.EpochSelection;
import io.github.fer4j.train.LearningRate;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Hyper-parameters of mini-batch SGD for the linear models, given before training (as scikit-learn estimators take
 * them). Built with named values from {@link #defaults()}, the one place the defaults live:
 * {@code SgdConfig.defaults().with(c -> { c.epochs = 10; c.learningRate = LearningRate.constant(1e-5); })}.
 *
 * @param epochs        passes over the training data
 * @param batchSize     examples per update
 * @param learningRate  the schedule, including the initial rate, laid out over {@code epochs}
 * @param l2            weight decay: adds l2 * w to the gradient (biases excluded)
 * @param momentum      heavy-ball momentum in [0, 1); 0 is plain SGD
 * @param classWeights  loss weight per class
 * @param selection     which epoch is kept and when the run stops early (on the validation split)
 * @param seed          seeds the random initial weights and the shuffling
 */
public record SgdConfig(int epochs, int batchSize, LearningRate learningRate, double l2, double momentum,
                        ClassWeights classWeights, EpochSelection selection, long seed) {
    public SgdConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (l2 < 0) {
            throw new IllegalArgumentException("L2 must not be negative, got " + l2);
        }
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (selection.metric() == EpochSelection.Metric.VALIDATION_ACCURACY) {
            throw new IllegalArgumentException("the linear models stop early on validation loss");
        }
    }

    /** fer4j's settings for the linear models: 30 epochs, batch 100, lr 1e-3 with a cosine, L2 1e-4, seed 1. */
    public static SgdConfig defaults() {
        return new SgdConfig(30, 100, LearningRate.cosine(1e-3), 1e-4, 0, ClassWeights.NONE, EpochSelection.LAST, 1);
    }

    /** A copy with some values changed: {@code config.with(c -> { c.epochs = 10; c.seed = 2; })}; checked as constructed. */
    public SgdConfig with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return new SgdConfig(b.epochs, b.batchSize, b.learningRate, b.l2, b.momentum, b.classWeights, b.selection, b.seed);
    }

    /** Early stopping after {@code patience} epochs without a lower validation loss; 0 keeps the last epoch. */
    public SgdConfig withPatience(int patience) {
        return with(c -> c.selection = EpochSelection.lowestValidationLoss(patience));
    }

    /** The values of a configuration being changed by {@link #with}, named as the record's. */
    public static final class Builder {
        public int epochs;
        public int batchSize;
        public LearningRate learningRate;
        public double l2;
        public double momentum;
        public ClassWeights classWeights;
        public EpochSelection selection;
        public long seed;

        private Builder(SgdConfig c) {
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            l2 = c.l2;
            momentum = c.momentum;
            classWeights = c.classWeights;
            selection = c.selection;
            seed = c.seed;
        }
    }

    /** The rate of each epoch (0-based). */
    public double rateAt(int epoch) {
        return learningRate.at(epoch, epochs);
    }

    /** The configuration as model files record it. */
    public JsonObject toJson() {
        JsonObject training = new JsonObject();
        training.addProperty("optimizer", "sgd");
        training.addProperty("epochs", epochs);
        training.addProperty("batchSize", batchSize);
        training.addProperty("learningRate", learningRate.rate());
        training.addProperty("schedule", learningRate.describe());
        training.addProperty("l2", l2);
        training.addProperty("momentum", momentum);
        training.addProperty("classWeights", classWeights.name().toLowerCase(Locale.ROOT));
        training.addProperty("earlyStoppingPatience", selection.patience());
        training.addProperty("seed", seed);
        return training;
    }
}
