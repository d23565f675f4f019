package io.github.fer4j.cnn;

import io.github.fer4j.train.Settings;
import io.github.fer4j.train.Trainer;
import io.github.fer4j.train.TrainerFamily;
import java.util.Locale;
import java.util.Set;

/** The convolutional networks as a {@link TrainerFamily}: named settings into a {@link CnnConfig} on its defaults. */
public final class CnnFamily implements TrainerFamily {
    private static final Set<String> SETTINGS = Set.of("epochs", "batch", "lr", "l2", "momentum", "class-weights", "seed",
            "architecture", "warmup", "label-smoothing", "soft-targets", "augment");

    @Override
    public Set<String> kinds() {
        return Set.of(CnnClassifier.KIND);
    }

    @Override
    public Set<String> settings() {
        return SETTINGS;
    }

    @Override
    public Trainer trainer(String kind, Settings s) {
        TrainerFamily.requireKnown(kind, s, SETTINGS);
        Architecture architecture = Architecture.named(s.text("architecture", Architecture.FERNET9.id()));
        int epochs = s.integer("epochs", 30);
        CnnConfig defaults = CnnConfig.defaults(architecture, epochs, s.whole("seed", 1));
        return new CnnTrainer(defaults
                .withBatchSize(s.integer("batch", defaults.batchSize()))
                .withLearningRate(s.number("lr", defaults.learningRate()))
                .withWarmupEpochs(s.number("warmup", defaults.warmupEpochs()))
                .withMomentum(s.number("momentum", defaults.momentum()))
                .withWeightDecay(s.number("l2", defaults.weightDecay()))
                .withLabelSmoothing(s.number("label-smoothing", defaults.labelSmoothing()))
                .withClassWeights(s.classWeights("class-weights"))
                .withSoftTargets(s.flag("soft-targets"))
                .withAugmentation(s.has("augment") ? augmentation(s.text("augment", "")) : defaults.augmentation()));
    }

    /** Parses "none" or a comma list of shift:PX, rotate:DEGREES, scale:FRACTION and flip. */
    static Augmentation augmentation(String spec) {
        double shift = 0;
        double rotate = 0;
        double scale = 0;
        boolean flip = false;
        if (!spec.trim().equalsIgnoreCase("none")) {
            for (String part : spec.split(",")) {
                String[] kv = part.trim().split(":", 2);
                String key = kv[0].trim().toLowerCase(Locale.ROOT);
                if (key.equals("flip") && kv.length == 1) {
                    flip = true;
                    continue;
                }
                if (kv.length != 2) {
                    throw new IllegalArgumentException("--augment: '" + part.trim() + "' needs a value (e.g. shift:3)");
                }
                double value;
                try {
                    value = Double.parseDouble(kv[1].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--augment: '" + kv[1].trim() + "' in '" + part.trim() + "' is not a number");
                }
                switch (key) {
                    case "shift" -> shift = value;
                    case "rotate" -> rotate = value;
                    case "scale" -> scale = value;
                    default -> throw new IllegalArgumentException("--augment: unknown '" + key
                            + "' (expected shift, rotate, scale, flip or none)");
                }
            }
        }
        return new Augmentation(shift, rotate, scale, flip);
    }
}
