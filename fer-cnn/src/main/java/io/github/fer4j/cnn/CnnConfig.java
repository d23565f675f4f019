package io.github.fer4j.cnn;

import com.google.gson.JsonObject;
import io.github.fer4j.train.ClassWeights;
import io.github.fer4j.train.EpochSelection;
import io.github.fer4j.train.LearningRate;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * How a CNN is trained. Mini-batch SGD with Nesterov momentum and weight decay (not on biases and batch-norm
 * parameters); the learning rate rises linearly over {@code warmupEpochs} and then follows a cosine down to zero
 * at the last epoch; cross-entropy with optional label smoothing and class weights; random views of each face
 * (shift, rotation, scale, mirror) drawn from {@code seed}. Built with named values from {@link #defaults}, the one
 * place the defaults live: {@code CnnConfig.defaults(Architecture.FERNET9, 50, 1).with(c -> c.labelSmoothing = 0)}.
 *
 * @param architecture   the network design
 * @param epochs         passes over Training; the schedule is laid out over all of them
 * @param batchSize      faces per step
 * @param learningRate   peak learning rate, reached at the end of the warm-up
 * @param warmupEpochs   epochs of linear warm-up from zero (may be fractional)
 * @param momentum       Nesterov momentum
 * @param weightDecay    L2 on convolution and dense weights
 * @param labelSmoothing share of the target spread evenly over all classes (0 = none)
 * @param classWeights   none, or balanced (each class weighs n / (classes x its count))
 * @param softTargets    FER+ only: learn the taggers' vote distribution instead of the majority class
 * @param augmentation   the random views used in training
 * @param seed           seeds initial weights, shuffling, views and dropout
 */
public record CnnConfig(Architecture architecture, int epochs, int batchSize, double learningRate, double warmupEpochs,
                        double momentum, double weightDecay, double labelSmoothing, ClassWeights classWeights,
                        boolean softTargets, Augmentation augmentation, long seed) {

    public CnnConfig {
        require(epochs >= 1, "epochs must be at least 1");
        require(batchSize >= 2, "the batch size must be at least 2 (batch norm needs two faces)");
        require(learningRate > 0 && Double.isFinite(learningRate), "the learning rate must be positive");
        require(warmupEpochs >= 0 && warmupEpochs < epochs, "warm-up must be shorter than the run");
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1)");
        require(weightDecay >= 0, "weight decay must not be negative");
        require(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1)");
        require(augmentation.maxShift() >= 0 && augmentation.maxShift() <= 8, "shift must be 0..8 pixels");
        require(augmentation.maxRotationDegrees() >= 0 && augmentation.maxRotationDegrees() <= 45, "rotation must be 0..45 degrees");
        require(augmentation.maxScale() >= 0 && augmentation.maxScale() < 0.5, "scale jitter must be in [0, 0.5)");
    }

    /**
     * The settings used for the shipped model, for an architecture, a number of epochs and a seed: batch 64, peak
     * rate 0.01 after a warm-up of one epoch (a quarter of an epoch for a one-epoch run), Nesterov
     * momentum 0.9, weight decay 5e-4, label smoothing 0.1, shifts of 3 px, rotations of 10 degrees, 10 % scale
     * and mirror images.
     */
    public static CnnConfig defaults(Architecture architecture, int epochs, long seed) {
        return new CnnConfig(architecture, epochs, 64, 0.01, epochs > 1 ? 1 : 0.25, 0.9, 5e-4, 0.1, ClassWeights.NONE,
                false, new Augmentation(3, 10, 0.1, true), seed);
    }

    /** A copy with some values changed: {@code config.with(c -> c.labelSmoothing = 0)}; checked as constructed. */
    public CnnConfig with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return new CnnConfig(b.architecture, b.epochs, b.batchSize, b.learningRate, b.warmupEpochs, b.momentum, b.weightDecay,
                b.labelSmoothing, b.classWeights, b.softTargets, b.augmentation, b.seed);
    }

    /** The values of a configuration being changed by {@link #with}, named as the record's. */
    public static final class Builder {
        public Architecture architecture;
        public int epochs;
        public int batchSize;
        public double learningRate;
        public double warmupEpochs;
        public double momentum;
        public double weightDecay;
        public double labelSmoothing;
        public ClassWeights classWeights;
        public boolean softTargets;
        public Augmentation augmentation;
        public long seed;

        private Builder(CnnConfig c) {
            architecture = c.architecture;
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            warmupEpochs = c.warmupEpochs;
            momentum = c.momentum;
            weightDecay = c.weightDecay;
            labelSmoothing = c.labelSmoothing;
            classWeights = c.classWeights;
            softTargets = c.softTargets;
            augmentation = c.augmentation;
            seed = c.seed;
        }
    }

    /** The learning rate over the run: a linear warm-up to the peak, then a cosine down to zero at the last step. */
    public LearningRate schedule() {
        return LearningRate.cosine(learningRate).afterWarmUp(warmupEpochs);
    }

    /** The epoch kept: the best PublicTest accuracy (the run always goes to its last epoch). */
    public EpochSelection selection() {
        return EpochSelection.bestValidationAccuracy();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("architecture", architecture.id());
        json.addProperty("optimizer", "sgd-nesterov");
        json.addProperty("epochs", epochs);
        json.addProperty("batchSize", batchSize);
        json.addProperty("learningRate", learningRate);
        json.addProperty("schedule", "linear warm-up, then cosine to 0");
        json.addProperty("warmupEpochs", warmupEpochs);
        json.addProperty("momentum", momentum);
        json.addProperty("weightDecay", weightDecay);
        json.addProperty("labelSmoothing", labelSmoothing);
        json.addProperty("classWeights", classWeights.name().toLowerCase(Locale.ROOT));
        if (softTargets) {
            json.addProperty("targets", "FER+ vote distribution");
        }
        JsonObject views = new JsonObject();
        views.addProperty("maxShift", augmentation.maxShift());
        views.addProperty("maxRotationDegrees", augmentation.maxRotationDegrees());
        views.addProperty("maxScale", augmentation.maxScale());
        views.addProperty("mirror", augmentation.mirror());
        json.add("augmentation", views);
        json.addProperty("seed", seed);
        return json;
    }
}
