package io.github.fer4j.cnn;

import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.train.Setting;
import io.github.fer4j.train.Settings;
import io.github.fer4j.train.Trainer;
import io.github.fer4j.train.TrainerFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The convolutional networks as a {@link TrainerFamily}: named settings into a {@link CnnConfig} on its defaults. The
 * settings are known wherever fer-cnn is; the training itself needs a {@link CnnTraining} (fer-pytorch's) on the class
 * path, and without one a run is refused in one line that says what to add.
 */
public final class CnnFamily implements TrainerFamily {
    private static final List<Setting> SETTINGS = List.of(
            Setting.value("epochs", "N", "Passes over Training; the schedule is laid out over all of them. Default: 30."),
            Setting.value("lr", "RATE", "Peak learning rate, reached at the end of the warm-up. Default: 0.01."),
            Setting.value("batch", "N", "Mini-batch size. Default: 64."),
            Setting.value("l2", "DECAY", "Weight decay on convolution and dense weights. Default: 0.0005."),
            Setting.value("momentum", "MU", "Nesterov momentum in [0, 1). Default: 0.9."),
            Setting.value("class-weights", "MODE", "none or balanced. Default: none."),
            Setting.value("seed", "N", "Seeds the initial weights, the shuffling, the views, dropout and synthetic data. Default: 1."),
            Setting.value("architecture", "NAME", "fernet9 (9 weight layers, 1.76 M parameters), vgg10 (a wider VGG-style net, "
                    + "7.0 M), resnet18 (ResNet-18 for 44x44 crops, 11.2 M), or tiny and tinyres (for smoke tests). The wider "
                    + "ones are meant for the GPU trainer in trainer/; here they train too, slowly. Default: fernet9."),
            Setting.value("warmup", "EPOCHS", "Epochs of linear warm-up before the cosine decay. Default: 1 (0.25 for one epoch)."),
            Setting.value("label-smoothing", "EPS", "Share of each target spread evenly over the classes; 0 = off. Default: 0.1."),
            Setting.flag("soft-targets", "With --labels ferplus: learn each face's FER+ vote distribution instead of its majority."),
            Setting.value("augment", "SPEC", "Random views in training, 'none' or any of shift:PX, rotate:DEGREES, scale:FRACTION, "
                    + "flip. Default: shift:3,rotate:10,scale:0.1,flip."),
            Setting.value("teacher", "MODEL", "Distil a trained model (an ensemble, typically) into this network: each "
                    + "Training face's target mixes the teacher's probabilities for it with its label."),
            Setting.value("init", "MODEL", "Fine-tune: start from this trained CNN (same architecture and task; a file of fer "
                    + "train or fer import-torch) and keep its input normalisation, instead of random weights."),
            Setting.value("teacher-weight", "W", "With --teacher: the teacher's share of each target, in (0, 1]. Default: "
                    + Distillation.DEFAULT_WEIGHT + "."));

    @Override
    public Set<String> kinds() {
        return Set.of(CnnModel.KIND);
    }

    @Override
    public List<Setting> settings() {
        return SETTINGS;
    }

    @Override
    public Trainer trainer(String kind, Settings s) {
        TrainerFamily.requireKnown(kind, s, settingNames());
        Architecture architecture = Architecture.named(s.text("architecture", Architecture.FERNET9.id()));
        int epochs = s.integer("epochs", 30);
        CnnConfig defaults = CnnConfig.defaults(architecture, epochs, s.whole("seed", 1));
        if (s.has("teacher-weight") && !s.has("teacher")) {
            throw new IllegalArgumentException("--teacher-weight needs --teacher (the model to distil)");
        }
        Distillation distillation = s.has("teacher")
                ? new Distillation(Path.of(s.text("teacher", "")), s.number("teacher-weight", Distillation.DEFAULT_WEIGHT))
                : null;
        CnnTraining training = ServiceLoader.load(CnnTraining.class).findFirst()
                .orElseThrow(() -> new InvalidInputException("--model cnn trains on " + CnnTraining.MISSING));
        return training.trainer(defaults.with(c -> {
            c.batchSize = s.integer("batch", c.batchSize);
            c.learningRate = s.number("lr", c.learningRate);
            c.warmupEpochs = s.number("warmup", c.warmupEpochs);
            c.momentum = s.number("momentum", c.momentum);
            c.weightDecay = s.number("l2", c.weightDecay);
            c.labelSmoothing = s.number("label-smoothing", c.labelSmoothing);
            c.classWeights = s.classWeights("class-weights");
            c.softTargets = s.flag("soft-targets");
            c.augmentation = s.has("augment") ? augmentation(s.text("augment", "")) : c.augmentation;
        }), distillation, s.has("init") ? new Initialization(Path.of(s.text("init", ""))) : null);
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
