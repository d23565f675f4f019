package io.github.fer4j.cli;

import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.MetricsSummary;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.task.Task;
import io.github.fer4j.train.Checkpoints;
import io.github.fer4j.train.Setting;
import io.github.fer4j.train.Settings;
import io.github.fer4j.train.Sitting;
import io.github.fer4j.train.Trainer;
import io.github.fer4j.train.TrainerFamily;
import io.github.fer4j.train.TrainingHistory;
import io.github.fer4j.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code fer train}: fits one model with the trainer of its family and writes it with its per-epoch history. The
 * training options go by name to the family, which refuses those it does not take; nothing here knows the families.
 */
@Command(name = "train", header = "Train a model: linear, or a CNN (needs fer-pytorch.jar)", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a classifier on the Training split; PublicTest is used for validation (and for keeping the best "
                + "epoch). Writes the model (one self-describing file) and its per-epoch history as CSV next to it "
                + "(happy.fer -> happy.history.csv). Same seed and data give the same model. An option that does not apply to "
                + "the chosen --model is refused, naming the models it is for.")
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

    @Option(names = "--describe", description = "Print what would be trained (layers, parameters) and exit.")
    boolean describe;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Models that train in sittings (cnn): the checkpoint written after every epoch. Default: the model's "
                    + "name with .ckpt (cnn.fer -> cnn.ckpt).")
    Path checkpoint;

    @Option(names = "--resume", description = "Models that train in sittings (cnn): go on from the checkpoint, with the same "
            + "settings and data, exactly where it stopped.")
    boolean resume;

    @Option(names = "--sitting", paramLabel = "EPOCHS",
            description = "Models that train in sittings (cnn): run at most this many epochs now, then stop (the checkpoint keeps "
                    + "the run for --resume).")
    Integer sitting;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model (e.g. emotions.fer).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Task parsedTask = parsedTask();
        Trainer trainer = trainer(parsedTask);
        PrintWriter stdout = spec.commandLine().getOut();
        if (describe) {
            stdout.print(trainer.describe(parsedTask));
            stdout.flush();
            return 0;
        }
        boolean sittings = resume || checkpoint != null || sitting != null;
        if (sittings && !trainer.resumable()) {
            throw usage("--resume, --checkpoint and --sitting are for --model " + String.join(" or ", resumableKinds()));
        }
        if (sitting != null && sitting < 1) {
            throw usage("--sitting must be at least 1 epoch");
        }
        if (Files.isDirectory(out)) {
            // Said before any training, not after it.
            throw new InvalidInputException(out + ": is a folder; give a file name to write");
        }
        Path checkpointFile = checkpoint != null ? checkpoint : sibling(out, ".ckpt");
        if (trainer.resumable()) {
            if (resume && !Files.isRegularFile(checkpointFile)) {
                throw InvalidInputException.at(checkpointFile, "no checkpoint to resume from");
            }
            if (!resume && Files.exists(checkpointFile)) {
                throw InvalidInputException.at(checkpointFile, "a checkpoint of an earlier run is here; add --resume to go on "
                        + "with it, or remove it to start over");
            }
        }

        long seed = Settings.of(given()).whole("seed", 1);
        DataOptions.Loaded loaded = dataOptions.load(seed, parsedTask == Task.FERPLUS);
        TrainingHistory history = new TrainingHistory();
        List<TrainingListener> listeners = new ArrayList<>(List.of(history, trainer.resumable()
                ? Progress.longTraining("train " + model, System.err) : Progress.training("train " + model)));
        if (trainer.resumable()) {
            listeners.add(new Checkpoints(checkpointFile));
        }
        if (sitting != null) {
            listeners.add(new Sitting(sitting));
        }
        Optional<Classifier> fitted = resume
                ? trainer.resume(loaded.faces(), parsedTask, checkpointFile, listeners)
                : trainer.fit(loaded.faces(), parsedTask, listeners);
        Path historyFile = historyPath(out);
        history.writeCsv(historyFile);
        if (fitted.isEmpty()) {
            stdout.printf(Locale.ROOT, "stopped after epoch %d of %d as asked; the run is in %s%n", history.epochs().size(),
                    Settings.of(given()).integer("epochs", 30), checkpointFile);
            stdout.println("go on with the same command and --resume");
            stdout.println("history: " + historyFile);
            return 0;
        }
        Classifier trained = fitted.get();
        ModelFile.save(trained, out);
        stdout.printf(Locale.ROOT, "trained %s (%s) on %s (%s) in %s, %d epochs, kept epoch %d%s%n", trained.kind(),
                trainer.describe(parsedTask).lines().findFirst().orElse("").trim(), parsedTask, loaded.faces().source(),
                duration(history.totalSeconds()), history.epochs().size(), history.bestEpoch(),
                history.stoppedEarly() ? " (stopped early)" : "");
        MetricsSummary v = trained.info().metrics().get("PublicTest");
        if (v != null) {
            stdout.printf(Locale.ROOT, "PublicTest: accuracy %.4f  ACA %.4f  macro F1 %.4f%s%n", v.accuracy(), v.aca(), v.macroF1(),
                    v.isBinary() ? String.format(Locale.ROOT, "  F1 %.4f", v.f1()) : "");
        }
        stdout.println("model:   " + out);
        stdout.println("history: " + historyFile);
        if (trainer.resumable()) {
            stdout.println("checkpoint: " + checkpointFile);
        }
        return 0;
    }

    /** The trainer of the --model's family, from the training options given; what it does not take is refused. */
    private Trainer trainer(Task parsedTask) {
        TrainerFamily family;
        try {
            family = TrainerFamily.of(model);
        } catch (InvalidInputException e) {
            throw usage("unknown --model '" + model + "' (expected " + String.join(", ", TrainerFamily.trainableKinds()) + ")");
        }
        try {
            Trainer trainer = family.trainer(model, Settings.of(given()));
            trainer.checkTask(parsedTask);
            return trainer;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The training options given on the command line, by name without dashes, as typed. */
    private Map<String, String> given() {
        Map<String, String> out = new LinkedHashMap<>();
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        Set<String> names = new TreeSet<>();
        TrainerFamily.all().forEach(f -> names.addAll(f.settingNames()));
        for (String name : names) {
            if (parsed.hasMatchedOption("--" + name)) {
                List<String> values = parsed.matchedOption("--" + name).originalStringValues();
                out.put(name, values.isEmpty() ? "true" : values.get(values.size() - 1));
            }
        }
        return out;
    }

    /**
     * Adds every family's training settings to {@code fer train} as options, described by the families themselves: a
     * setting that means something else in each family says so per model kind.
     */
    static void addFamilySettings(CommandLine.Model.CommandSpec train) {
        Map<String, Setting> first = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> byDescription = new LinkedHashMap<>();
        List<TrainerFamily> families = new ArrayList<>(TrainerFamily.all());
        families.sort(java.util.Comparator.comparing(f -> new TreeSet<>(f.kinds()).first()));
        for (TrainerFamily family : families) {
            String kinds = String.join(", ", new TreeSet<>(family.kinds()));
            for (Setting setting : family.settings()) {
                first.putIfAbsent(setting.name(), setting);
                byDescription.computeIfAbsent(setting.name(), n -> new LinkedHashMap<>())
                        .computeIfAbsent(setting.description(), d -> new ArrayList<>()).add(kinds);
            }
        }
        for (Setting setting : first.values()) {
            List<String> parts = new ArrayList<>();
            byDescription.get(setting.name()).forEach((description, kinds) -> parts.add(String.join(", ", kinds) + ": " + description));
            OptionSpec.Builder option = OptionSpec.builder("--" + setting.name()).description(String.join(" ", parts));
            if (setting.isFlag()) {
                option.arity("0").type(boolean.class);
            } else {
                option.paramLabel(setting.label()).type(String.class);
            }
            train.addOption(option.build());
        }
    }

    private static Set<String> resumableKinds() {
        Set<String> kinds = new TreeSet<>();
        for (TrainerFamily family : TrainerFamily.all()) {
            for (String kind : family.kinds()) {
                if (family.trainer(kind, Settings.of()).resumable()) {
                    kinds.add(kind);
                }
            }
        }
        return kinds;
    }

    private static String duration(double seconds) {
        return seconds >= 120 ? String.format(Locale.ROOT, "%.1f min", seconds / 60) : String.format(Locale.ROOT, "%.1f s", seconds);
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
