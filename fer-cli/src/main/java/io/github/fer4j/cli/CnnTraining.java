package io.github.fer4j.cli;

import com.google.gson.JsonObject;
import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.Augmentation;
import io.github.fer4j.cnn.CnnClassifier;
import io.github.fer4j.cnn.CnnConfig;
import io.github.fer4j.cnn.CnnTrainer;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.linear.ClassWeights;
import io.github.fer4j.linear.TrainingHistory;
import io.github.fer4j.linear.TrainingListener;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.task.Task;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code fer train --model cnn}: the convolutional network, with its checkpoint after every epoch. */
final class CnnTraining implements Callable<Integer> {
    private final TrainCommand command;

    CnnTraining(TrainCommand command) {
        this.command = command;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.spec.commandLine().getOut();
        Architecture architecture;
        try {
            architecture = Architecture.named(command.architecture);
        } catch (IllegalArgumentException e) {
            throw command.usage(e.getMessage());
        }
        Task task = command.parsedTask();
        if (command.describe) {
            out.print(architecture.describe(task.classCount()));
            out.flush();
            return 0;
        }
        if (!command.features.equals("pixels")) {
            throw command.usage("--features is for the linear models; the cnn reads the pixels");
        }
        CnnConfig config;
        try {
            ClassWeights weights = ClassWeights.valueOf(command.classWeights.trim().toUpperCase(Locale.ROOT));
            config = new CnnConfig(architecture, command.epochs, orElse(command.batch, 64), orElse(command.learningRate, 0.01),
                    command.warmup, orElse(command.momentum, 0.9), orElse(command.l2, 5e-4), command.labelSmoothing, weights,
                    command.softTargets, augmentation(command.augment), command.seed);
        } catch (IllegalArgumentException e) {
            throw command.usage(e.getMessage());
        }
        Path modelFile = command.out;
        if (Files.isDirectory(modelFile)) {
            throw new InvalidInputException(modelFile + ": is a folder; give a file name to write");
        }
        Path checkpoint = command.checkpoint != null ? command.checkpoint : TrainCommand.sibling(modelFile, ".ckpt");
        if (command.resume && !Files.isRegularFile(checkpoint)) {
            throw InvalidInputException.at(checkpoint, "no checkpoint to resume from");
        }
        if (!command.resume && Files.exists(checkpoint)) {
            throw InvalidInputException.at(checkpoint, "a checkpoint of an earlier run is here; add --resume to go on with it, "
                    + "or remove it to start over");
        }
        int sitting = command.sitting == null ? Integer.MAX_VALUE : command.sitting;
        if (sitting < 1) {
            throw command.usage("--sitting must be at least 1 epoch");
        }
        DataOptions.Loaded loaded = command.dataOptions.load(command.seed, task == Task.FERPLUS);
        TrainingHistory history = new TrainingHistory();
        List<TrainingListener> listeners = List.of(history, Progress.longTraining("train cnn", System.err));
        Optional<CnnClassifier> fitted = new CnnTrainer(config, listeners)
                .fit(loaded.faces(), task, checkpoint, command.resume, sitting);
        Path historyFile = TrainCommand.historyPath(modelFile);
        history.writeCsv(historyFile);
        if (fitted.isEmpty()) {
            int done = history.epochs().size();
            out.printf(Locale.ROOT, "stopped after epoch %d of %d as asked; the run is in %s%n", done, command.epochs, checkpoint);
            out.println("go on with the same command and --resume");
            out.println("history: " + historyFile);
            return 0;
        }
        CnnClassifier model = fitted.get();
        ModelFile.save(model, modelFile);
        out.printf(Locale.ROOT, "trained cnn (%s, %,d parameters) on %s (%s) in %.1f min, %d epochs, kept epoch %d%n",
                architecture.id(), architecture.parameters(task.classCount()), task, loaded.faces().source(),
                history.totalSeconds() / 60, history.epochs().size(), history.bestEpoch());
        JsonObject metrics = model.info().getAsJsonObject("metrics");
        if (metrics != null && metrics.has("PublicTest")) {
            JsonObject v = metrics.getAsJsonObject("PublicTest");
            out.printf(Locale.ROOT, "PublicTest: accuracy %.4f  ACA %.4f  macro F1 %.4f%n", v.get("accuracy").getAsDouble(),
                    v.get("aca").getAsDouble(), v.get("macroF1").getAsDouble());
        }
        out.println("model:      " + modelFile);
        out.println("history:    " + historyFile);
        out.println("checkpoint: " + checkpoint);
        return 0;
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

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
