package io.github.fer4j.cli;

import com.google.gson.JsonObject;
import io.github.fer4j.cnn.CnnClassifier;
import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.linear.ClassWeights;
import io.github.fer4j.linear.LearningRate;
import io.github.fer4j.linear.LinearClassifier;
import io.github.fer4j.linear.LogisticRegression;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.linear.SoftmaxRegression;
import io.github.fer4j.linear.TrainingHistory;
import io.github.fer4j.linear.TrainingListener;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.task.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fer train}: fits one model and writes it with its per-epoch history. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a classifier on the Training split; PublicTest is used for validation and early stopping. Writes the model (one self-describing file) and its per-epoch history as CSV next to it (happy.fer -> happy.history.csv). Same seed and data give the same model bytes.")
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--task", defaultValue = "emotions", paramLabel = "TASK",
            description = "happy (Happy vs the rest), emotions (7 classes) or ferplus (FER+ labels, 8 classes). Default: ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--model", defaultValue = "softmax", paramLabel = "KIND",
            description = "logistic (binary tasks), softmax, or cnn (a convolutional network, see --architecture). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--architecture", defaultValue = "fernet9", paramLabel = "NAME",
            description = "cnn only: fernet9 (9 weight layers, 1.76 M parameters) or tiny (for smoke tests). Default: ${DEFAULT-VALUE}.")
    String architecture;

    @Option(names = "--describe", description = "cnn only: print the architecture's layers, parameters and multiply-adds, and exit.")
    boolean describe;

    @Option(names = "--features", defaultValue = "pixels", paramLabel = "SET",
            description = "pixels, hog, lbp or hog+lbp (fitted on Training, stored in the model). Default: ${DEFAULT-VALUE}.")
    String features;

    @Option(names = "--hog-cell", defaultValue = "6", paramLabel = "PX", description = "HOG cell size (divides 48). Default: ${DEFAULT-VALUE}.")
    int hogCell;

    @Option(names = "--hog-block", defaultValue = "2", paramLabel = "CELLS", description = "HOG block size in cells. Default: ${DEFAULT-VALUE}.")
    int hogBlock;

    @Option(names = "--hog-bins", defaultValue = "9", paramLabel = "N", description = "HOG orientation bins. Default: ${DEFAULT-VALUE}.")
    int hogBins;

    @Option(names = "--lbp-grid", defaultValue = "6", paramLabel = "N", description = "LBP regions a side. Default: ${DEFAULT-VALUE}.")
    int lbpGrid;

    @Option(names = "--epochs", defaultValue = "30", description = "Passes over Training. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--lr", paramLabel = "RATE", description = "Initial (cnn: peak) learning rate. Default: 0.001; cnn 0.01.")
    Double learningRate;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "SCHEDULE",
            description = "constant, step:FACTOR:EVERY (seed 000: step:0.1:500) or cosine[:MIN]. Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size. Default: 100; cnn 64.")
    Integer batch;

    @Option(names = "--l2", description = "L2 weight decay. Default: 0.0001; cnn 0.0005 (weights only).")
    Double l2;

    @Option(names = "--momentum", description = "Momentum in [0, 1): heavy-ball for linear models, Nesterov for cnn. Default: 0; cnn 0.9.")
    Double momentum;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "EPOCHS",
            description = "cnn: epochs of linear learning-rate warm-up before the cosine decay. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--label-smoothing", defaultValue = "0.1", paramLabel = "EPS",
            description = "cnn: share of each target spread evenly over the classes; 0 = off. Default: ${DEFAULT-VALUE}.")
    double labelSmoothing;

    @Option(names = "--soft-targets", description = "cnn with --labels ferplus: learn each face's FER+ vote distribution instead of its majority class.")
    boolean softTargets;

    @Option(names = "--augment", defaultValue = "shift:3,rotate:10,scale:0.1,flip", paramLabel = "SPEC",
            description = "cnn: random views in training, 'none' or any of shift:PX, rotate:DEGREES, scale:FRACTION, flip. Default: ${DEFAULT-VALUE}.")
    String augment;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "cnn: the checkpoint written after every epoch. Default: the model's name with .ckpt (cnn.fer -> cnn.ckpt).")
    Path checkpoint;

    @Option(names = "--resume", description = "cnn: go on from the checkpoint, with the same settings and data, exactly where it stopped.")
    boolean resume;

    @Option(names = "--sitting", paramLabel = "EPOCHS",
            description = "cnn: run at most this many epochs now, then stop (the checkpoint keeps the run for --resume).")
    Integer sitting;

    @Option(names = "--class-weights", defaultValue = "none", paramLabel = "MODE",
            description = "none or balanced (each class weighs n / (classes x its count)). Default: ${DEFAULT-VALUE}.")
    String classWeights;

    @Option(names = "--early-stopping", defaultValue = "0", paramLabel = "PATIENCE",
            description = "Stop after this many epochs without a better validation loss and keep the best epoch; 0 = off.")
    int patience;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds the initial weights, the shuffling and synthetic data. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model (e.g. emotions.fer).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (model.equals(CnnClassifier.KIND) || describe) {
            return new CnnTraining(this).call();
        }
        if (resume || checkpoint != null || sitting != null) {
            throw usage("--resume, --checkpoint and --sitting are for --model cnn");
        }
        Task parsedTask = parsedTask();
        SgdConfig config;
        FeatureExtractor extractor;
        ClassWeights weights;
        try {
            weights = ClassWeights.valueOf(classWeights.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("unknown --class-weights '" + classWeights + "' (expected none or balanced)");
        }
        try {
            extractor = FeatureExtractor.named(features, featureSettings());
            config = new SgdConfig(epochs, batch == null ? 100 : batch,
                    LearningRate.parse(schedule, learningRate == null ? 0.001 : learningRate, epochs),
                    l2 == null ? 1e-4 : l2, momentum == null ? 0 : momentum, weights, patience, seed);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (!model.equals(LogisticRegression.KIND) && !model.equals(SoftmaxRegression.KIND)) {
            throw usage("unknown --model '" + model + "' (expected logistic, softmax or cnn)");
        }
        if (model.equals(LogisticRegression.KIND) && !parsedTask.isBinary()) {
            throw usage("logistic regression separates two classes: use --task happy, or --model softmax");
        }

        if (java.nio.file.Files.isDirectory(out)) {
            // Said before any training, not after it.
            throw new io.github.fer4j.data.InvalidInputException(out + ": is a folder; give a file name to write");
        }
        DataOptions.Loaded loaded = dataOptions.load(seed, parsedTask == Task.FERPLUS);
        TrainingHistory history = new TrainingHistory();
        List<TrainingListener> listeners = List.of(history, Progress.training("train " + model));
        LinearClassifier fitted = model.equals(LogisticRegression.KIND)
                ? LogisticRegression.fit(loaded.faces(), parsedTask, extractor, config, listeners)
                : SoftmaxRegression.fit(loaded.faces(), parsedTask, extractor, config, listeners);
        ModelFile.save(fitted, out);
        Path historyFile = historyPath(out);
        history.writeCsv(historyFile);

        var err = spec.commandLine().getOut();
        err.printf(Locale.ROOT, "trained %s on %s (%s) in %.1f s, %d epochs%s%n", model, parsedTask, loaded.faces().source(),
                history.totalSeconds(), history.epochs().size(),
                history.stoppedEarly() ? " (stopped early, kept epoch " + history.bestEpoch() + ")" : "");
        JsonObject metrics = fitted.info().getAsJsonObject("metrics");
        if (metrics != null && metrics.has("PublicTest")) {
            JsonObject v = metrics.getAsJsonObject("PublicTest");
            err.printf(Locale.ROOT, "PublicTest: accuracy %.4f  ACA %.4f  macro F1 %.4f%s%n", v.get("accuracy").getAsDouble(),
                    v.get("aca").getAsDouble(), v.get("macroF1").getAsDouble(),
                    v.has("f1") ? String.format(Locale.ROOT, "  F1 %.4f", v.get("f1").getAsDouble()) : "");
        }
        err.println("model:   " + out);
        err.println("history: " + historyFile);
        return 0;
    }

    /** The task asked for; FER+ labels make it the 8-class FER+ task. */
    Task parsedTask() {
        Task parsed = Task.parse(task).orElseThrow(() -> usage("unknown --task '" + task + "' (expected happy, emotions or ferplus)"));
        if (dataOptions.ferPlusLabels()) {
            if (parsed == Task.HAPPY) {
                throw usage("--labels ferplus has 8 classes; it does not go with --task happy");
            }
            parsed = Task.FERPLUS;
        }
        return parsed;
    }

    /** The HOG and LBP options as the settings of the chosen feature set. */
    private JsonObject featureSettings() {
        JsonObject hog = new JsonObject();
        hog.addProperty("cell", hogCell);
        hog.addProperty("block", hogBlock);
        hog.addProperty("bins", hogBins);
        JsonObject lbp = new JsonObject();
        lbp.addProperty("grid", lbpGrid);
        com.google.gson.JsonArray parts = new com.google.gson.JsonArray();
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

    /** happy.fer -> happy.history.csv, beside the model. */
    static Path historyPath(Path model) {
        return sibling(model, ".history.csv");
    }

    /** The model's name with another ending, beside it: cnn.fer -> cnn.ckpt. */
    static Path sibling(Path model, String ending) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ending);
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
