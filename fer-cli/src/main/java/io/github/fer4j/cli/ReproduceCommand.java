package io.github.fer4j.cli;

import io.github.fer4j.report.Report;
import io.github.fer4j.study.SeedStudy;
import io.github.fer4j.train.Settings;
import io.github.fer4j.train.TrainerFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fer reproduce}: the seeds' whole study in one command. */
@Command(name = "reproduce", header = "Run the seeds' study: models, metrics, figures, report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the seeds' study: Happy-vs-rest logistic regression with seed 000's settings (lr 1e-5, batch 100, "
                + "seed 1), the step-decay run, 7-class softmax regression, then the same models tuned, and a learning-rate x "
                + "batch-size sweep. Writes every metric on PublicTest (tuned models also on PrivateTest), history CSVs, models, "
                + "a summary table that puts the seeds' published numbers (binary ACA 0.5078, F 0.40, multiclass ACA 0.1368) "
                + "beside ours, every figure (PNG and SVG) and index.html.")
final class ReproduceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--out", defaultValue = "results", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--epochs", defaultValue = "30",
            description = "Epochs of the runs with the seeds' settings (they ran 40,000). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--step-every", paramLabel = "EPOCHS",
            description = "Epochs between the step-decay run's divisions by 10 (the seeds: 500 of 5,000). Default: epochs / 10.")
    Integer stepEvery;

    @Option(names = "--tuned-epochs", defaultValue = "30", description = "Epochs of the tuned runs. Default: ${DEFAULT-VALUE}.")
    int tunedEpochs;

    @Option(names = "--seed", defaultValue = "1", description = "The seeds used 1. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--sweep-epochs", defaultValue = "10", paramLabel = "EPOCHS",
            description = "Epochs per cell of the learning-rate x batch-size sweep; 0 skips it. Default: ${DEFAULT-VALUE}.")
    int sweepEpochs;

    @Option(names = "--with-cnn", description = "Add a short CNN run (7 emotions) to the study table and the report.")
    boolean withCnn;

    @Option(names = "--cnn-epochs", defaultValue = "5", paramLabel = "EPOCHS",
            description = "Epochs of the --with-cnn run. Default: ${DEFAULT-VALUE}.")
    int cnnEpochs;

    @Option(names = "--cnn-architecture", defaultValue = "fernet9", paramLabel = "NAME",
            description = "Network of the --with-cnn run: fernet9 or tiny. Default: ${DEFAULT-VALUE}.")
    String cnnArchitecture;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || tunedEpochs < 1 || sweepEpochs < 0 || (stepEvery != null && stepEvery < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--epochs, --tuned-epochs and --step-every must be at least 1");
        }
        int every = stepEvery != null ? stepEvery : Math.max(1, epochs / 10);
        DataOptions.Loaded loaded = dataOptions.load(seed);
        SeedStudy.Config config = new SeedStudy.Config(epochs, every, tunedEpochs, seed, sweepEpochs);
        if (withCnn) {
            config = config.withCnn(Settings.of("epochs", String.valueOf(cnnEpochs), "architecture", cnnArchitecture));
            try {
                TrainerFamily.of("cnn").trainer("cnn", config.cnn().with("seed", seed));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        SeedStudy study = new SeedStudy(config,
                line -> System.err.println("fer: " + line),
                run -> List.of(run.equals(SeedStudy.MULTICLASS_CNN) ? Progress.longTraining(run, System.err) : Progress.training(run)));
        var summary = study.run(loaded.faces(), loaded.synthetic(), out);
        Report.render(out);
        var stdout = spec.commandLine().getOut();
        stdout.println();
        stdout.println(loaded.synthetic()
                ? "Seeds' study on SYNTHETIC faces (no --data given): the pipeline runs end to end; the numbers are not FER2013's."
                : "Seeds' study on " + loaded.faces().source() + " (numbers on PublicTest unless marked PrivateTest):");
        stdout.println();
        stdout.print(summary.get("comparisonTable").getAsString());
        stdout.println();
        stdout.println("results: " + out.toAbsolutePath().normalize() + " (summary.json, summary.md, one folder per run)");
        stdout.println("report:  " + out.resolve(Report.INDEX).toAbsolutePath().normalize());
        stdout.flush();
        return 0;
    }
}
