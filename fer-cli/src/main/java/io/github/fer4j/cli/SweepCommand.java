package io.github.fer4j.cli;

import com.google.gson.JsonObject;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.train.Settings;
import io.github.fer4j.train.TrainerFamily;
import io.github.fer4j.report.SweepReport;
import io.github.fer4j.study.Sweep;
import io.github.fer4j.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fer sweep}: a resumable grid search over learning rate x batch size. */
@Command(name = "sweep", header = "Train a learning-rate x batch-size grid (resumable)", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train one model per learning rate x batch size and judge each on PublicTest. Every finished cell is "
                + "saved at once, so running the same command again after an interruption resumes where it stopped. "
                + "Writes sweep.json, sweep.md, heatmaps of accuracy and ACA (PNG and SVG) and sweep.html.")
final class SweepCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--task", defaultValue = "emotions", description = "happy or emotions. Default: ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--model", defaultValue = "softmax", description = "logistic (binary tasks) or softmax (any model that trains takes part; the cnn ignores --schedule). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--lr", split = ",", defaultValue = "0.0001,0.001,0.01", paramLabel = "RATES",
            description = "Learning rates, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<Double> rates;

    @Option(names = "--batch", split = ",", defaultValue = "32,100,256", paramLabel = "SIZES",
            description = "Batch sizes, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<Integer> batches;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs per cell. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--schedule", defaultValue = "cosine", description = "Learning-rate schedule of every cell. Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--l2", defaultValue = "0.0001", description = "L2 weight decay. Default: ${DEFAULT-VALUE}.")
    double l2;

    @Option(names = "--class-weights", defaultValue = "none", description = "none or balanced. Default: ${DEFAULT-VALUE}.")
    String classWeights;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every cell. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "sweep", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Task parsedTask = Task.parse(task).orElseThrow(() -> usage("unknown --task '" + task + "' (expected happy or emotions)"));
        if (epochs < 1 || rates.stream().anyMatch(r -> !(r > 0)) || batches.stream().anyMatch(b -> b < 1)) {
            throw usage("--epochs, every --lr and every --batch must be positive");
        }
        Sweep.Grid grid;
        try {
            grid = new Sweep.Grid(parsedTask, model, Settings.of("epochs", String.valueOf(epochs), "schedule", schedule,
                    "l2", String.valueOf(l2), "class-weights", classWeights, "seed", String.valueOf(seed)), rates, batches);
            TrainerFamily.of(model).trainer(model, grid.settings()).checkTask(parsedTask);
        } catch (IllegalArgumentException | InvalidInputException e) {
            throw usage(e.getMessage());
        }
        DataOptions.Loaded loaded = dataOptions.load(seed);
        Files.createDirectories(out);
        JsonObject summary = new Sweep(grid, line -> System.err.println("fer: " + line),
                id -> List.of(Progress.training(id))).run(loaded.faces(), out);
        Path page = SweepReport.render(out, summary);
        var stdout = spec.commandLine().getOut();
        stdout.print(Files.readString(out.resolve("sweep.md")));
        JsonObject best = summary.getAsJsonObject("bestByAca");
        stdout.printf(Locale.ROOT, "%nbest by ACA: lr %s, batch %d (accuracy %.4f, ACA %.4f)%nreport: %s%n",
                Double.toString(best.get("learningRate").getAsDouble()), best.get("batchSize").getAsInt(),
                best.get("accuracy").getAsDouble(), best.get("aca").getAsDouble(), page.toAbsolutePath().normalize());
        stdout.flush();
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
