package io.github.fer4j.study;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Split;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.eval.ThresholdSweep;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.task.Task;
import io.github.fer4j.train.ClassWeights;
import io.github.fer4j.train.LearningRate;
import io.github.fer4j.train.Settings;
import io.github.fer4j.train.Trainer;
import io.github.fer4j.train.TrainerFamily;
import io.github.fer4j.train.TrainingHistory;
import io.github.fer4j.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The seeds' study, done right: seed 000's runs as written (binary logistic regression, the step-decay run,
 * 7-class softmax), then the same models with tuned settings, all judged on PublicTest with every metric, the
 * tuned ones also on PrivateTest once. Writes one folder per run (model, history CSV, metrics JSON) and
 * {@code summary.json} + {@code summary.md} last, so a folder with a summary is a finished study.
 */
public final class SeedStudy {
    /** What the seeds published (seed 000, PublicTest-sized test set of 3,589 faces). */
    public static final double SEEDS_BINARY_ACA = 0.5078;
    public static final double SEEDS_BINARY_ACA_04 = 0.5056;
    public static final double SEEDS_BINARY_ACA_06 = 0.5062;
    public static final double SEEDS_F_MEASURE = 0.40;
    public static final double SEEDS_MULTICLASS_ACA = 0.1368;
    public static final String SUMMARY = "summary.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * @param epochs      epochs of the as-written runs (the seeds ran 40,000; the default finishes in minutes)
     * @param stepEvery   epochs between the step-decay run's divisions by 10 (the seeds: 500 of 5,000)
     * @param tunedEpochs epochs of the tuned runs
     * @param seed        the seeds used 1
     * @param sweepEpochs epochs of each cell of the learning-rate x batch-size sweep; 0 skips the sweep
     * @param cnn         settings of a short CNN run added to the study (for example {@code epochs=5}); null: no CNN
     */
    public record Config(int epochs, int stepEvery, int tunedEpochs, long seed, int sweepEpochs, Settings cnn) {
        public Config(int epochs, int stepEvery, int tunedEpochs, long seed, int sweepEpochs) {
            this(epochs, stepEvery, tunedEpochs, seed, sweepEpochs, null);
        }

        public static Config defaults() {
            return new Config(30, 3, 30, 1, 10);
        }

        /** The same study with a CNN run of these settings (the CNN family must be on the class path). */
        public Config withCnn(Settings settings) {
            return new Config(epochs, stepEvery, tunedEpochs, seed, sweepEpochs, settings);
        }
    }

    /** The run ids of the study, which the report arranges. */
    public static final String BINARY_AS_WRITTEN = "binary-as-written";
    public static final String BINARY_STEP_DECAY = "binary-step-decay";
    public static final String MULTICLASS_AS_WRITTEN = "multiclass-as-written";
    public static final String BINARY_TUNED = "binary-tuned";
    public static final String MULTICLASS_TUNED = "multiclass-tuned";
    public static final String MULTICLASS_CNN = "multiclass-cnn";

    /** The sweep the study runs: softmax on 7 emotions, learning rate x batch size. */
    public Sweep.Grid sweepGrid() {
        return new Sweep.Grid(Task.EMOTIONS, "softmax", Settings.of("epochs", String.valueOf(config.sweepEpochs()),
                "schedule", "cosine", "l2", "1e-4", "seed", String.valueOf(config.seed())), List.of(1e-4, 1e-3, 1e-2),
                List.of(32, 100, 256));
    }

    /** One run of the study: its trainer, and whether it is tuned (tuned runs are also scored on PrivateTest). */
    public record Run(String id, String title, Task task, Trainer trainer, boolean tuned) { }

    private final Config config;
    private final Consumer<String> log;
    /** Listeners for a training run, by the run's name (progress bars, logs). */
    private final Function<String, List<TrainingListener>> listeners;

    public SeedStudy(Config config, Consumer<String> log, Function<String, List<TrainingListener>> listeners) {
        this.config = config;
        this.log = log;
        this.listeners = listeners;
    }

    /** The runs, in order. */
    public List<Run> runs() {
        SgdConfig asWritten = SgdConfig.defaults().with(c -> {
            c.epochs = config.epochs();
            c.batchSize = 100;
            c.learningRate = LearningRate.constant(1e-5);
            c.l2 = 0;
            c.seed = config.seed();
        });
        SgdConfig tuned = SgdConfig.defaults().with(c -> { c.epochs = config.tunedEpochs(); c.seed = config.seed(); });
        List<Run> runs = new ArrayList<>(List.of(
                new Run(BINARY_AS_WRITTEN, "Happy vs rest, logistic regression, seed 000's settings (lr 1e-5, batch 100)",
                        Task.HAPPY, LinearTrainer.logistic(asWritten), false),
                new Run(BINARY_STEP_DECAY, "Happy vs rest, logistic regression, step decay from 0.01 (/10 every "
                        + config.stepEvery() + " epochs)", Task.HAPPY,
                        LinearTrainer.logistic(asWritten.with(c -> c.learningRate = new LearningRate.StepDecay(0.01, 0.1, config.stepEvery()))),
                        false),
                new Run(MULTICLASS_AS_WRITTEN, "7 emotions, softmax regression, seed 000's settings (lr 1e-5, batch 100)",
                        Task.EMOTIONS, LinearTrainer.softmax(asWritten), false),
                new Run(BINARY_TUNED, "Happy vs rest, logistic regression, tuned (balanced classes, lr 1e-3 cosine, L2 1e-4)",
                        Task.HAPPY, LinearTrainer.logistic(tuned.with(c -> c.classWeights = ClassWeights.BALANCED)), true),
                new Run(MULTICLASS_TUNED, "7 emotions, softmax regression, tuned (lr 1e-3 cosine, L2 1e-4)",
                        Task.EMOTIONS, LinearTrainer.softmax(tuned), true)));
        if (config.cnn() != null) {
            Settings cnn = config.cnn().has("seed") ? config.cnn() : config.cnn().with("seed", config.seed());
            Trainer trainer = TrainerFamily.of("cnn").trainer("cnn", cnn);
            runs.add(new Run(MULTICLASS_CNN, "7 emotions, CNN, a short run (" + cnn + ")", Task.EMOTIONS, trainer, true));
        }
        return runs;
    }

    /** Runs the whole study on {@code faces} and writes it to {@code out}; returns the summary. */
    public JsonObject run(FaceSet faces, boolean synthetic, Path out) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw io.github.fer4j.data.InvalidInputException.at(out, "is a file, not an output folder");
        }
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve(SUMMARY));
        JsonObject summary = new JsonObject();
        summary.add("data", describeData(faces, synthetic));
        JsonObject cfg = new JsonObject();
        cfg.addProperty("epochs", config.epochs());
        cfg.addProperty("stepEvery", config.stepEvery());
        cfg.addProperty("tunedEpochs", config.tunedEpochs());
        cfg.addProperty("seed", config.seed());
        cfg.addProperty("sweepEpochs", config.sweepEpochs());
        if (config.cnn() != null) {
            cfg.addProperty("cnn", config.cnn().toString());
        }
        summary.add("config", cfg);
        JsonArray runs = new JsonArray();
        Map<String, Map<Split, Evaluation>> byId = new java.util.LinkedHashMap<>();
        Classifier bestMulticlass = null;
        for (Run run : runs()) {
            log.accept("run " + run.id() + ": " + run.title());
            Classifier model = run.trainer().fitAll(faces, run.task(), runListeners(run));
            Map<Split, Evaluation> evaluations = evaluate(run, model, faces);
            runs.add(save(run, model, evaluations, out.resolve(run.id())));
            byId.put(run.id(), evaluations);
            if (run.id().equals(MULTICLASS_TUNED)) {
                bestMulticlass = model;
            }
        }
        summary.add("runs", runs);
        List<Examples.Face> examples = new ArrayList<>(Examples.samples(faces, 8));
        if (bestMulticlass != null && faces.has(Split.PUBLIC_TEST)) {
            examples.addAll(Examples.predictions(bestMulticlass, faces, 16));
            summary.addProperty("predictionsFrom", MULTICLASS_TUNED);
        }
        Examples.write(out, examples);
        summary.addProperty("examples", Examples.JSON);
        if (config.sweepEpochs() > 0) {
            log.accept("sweep: learning rate x batch size, softmax on 7 emotions, " + config.sweepEpochs() + " epochs each");
            new Sweep(sweepGrid(), log, id -> listeners.apply("sweep " + id)).run(faces, out.resolve("sweep"));
            summary.addProperty("sweep", "sweep/" + Sweep.SUMMARY);
        }
        summary.add("seedsPublished", seedsPublished());
        String table = comparisonTable(byId, synthetic);
        summary.addProperty("comparisonTable", table);
        AtomicFiles.writeString(out.resolve("summary.md"), "# fer4j reproduction of the seeds' study\n\n"
                + "Data: " + faces.source() + (synthetic ? " (synthetic faces: the seeds' numbers are for FER2013 and do not compare)" : "")
                + "\n\n" + table);
        AtomicFiles.writeString(out.resolve(SUMMARY), GSON.toJson(summary));
        return summary;
    }

    private final java.util.Map<String, TrainingHistory> histories = new java.util.HashMap<>();

    private List<TrainingListener> runListeners(Run run) {
        TrainingHistory history = new TrainingHistory();
        histories.put(run.id(), history);
        List<TrainingListener> all = new ArrayList<>(listeners.apply(run.id()));
        all.add(history);
        return all;
    }

    /** A finished run on PublicTest, and on PrivateTest (once) for a tuned run. */
    private Map<Split, Evaluation> evaluate(Run run, Classifier model, FaceSet faces) {
        Map<Split, Evaluation> out = new java.util.LinkedHashMap<>();
        for (Split split : run.tuned() ? List.of(Split.PUBLIC_TEST, Split.PRIVATE_TEST) : List.of(Split.PUBLIC_TEST)) {
            int[] idx = faces.indices(split);
            if (idx.length > 0) {
                out.put(split, Evaluation.on(model, faces, idx));
            }
        }
        return out;
    }

    /** Writes a finished run's model, history and metrics; returns its entry of the summary. */
    private JsonObject save(Run run, Classifier model, Map<Split, Evaluation> evaluations, Path dir) throws IOException {
        TrainingHistory history = histories.get(run.id());
        Files.createDirectories(dir);
        ModelFile.save(model, dir.resolve("model.fer"));
        history.writeCsv(dir.resolve("history.csv"));
        JsonObject result = new JsonObject();
        result.addProperty("id", run.id());
        result.addProperty("title", run.title());
        result.addProperty("task", run.task().cliName());
        result.addProperty("model", model.kind());
        result.addProperty("tuned", run.tuned());
        result.add("training", model.info().training().toJson());
        result.addProperty("trainingSeconds", history.totalSeconds());
        result.addProperty("modelFile", run.id() + "/model.fer");
        result.addProperty("historyCsv", run.id() + "/history.csv");
        JsonObject metrics = new JsonObject();
        for (Map.Entry<Split, Evaluation> e : evaluations.entrySet()) {
            Split split = e.getKey();
            Evaluation evaluation = e.getValue();
            JsonObject json = evaluation.toJson();
            json.addProperty("split", split.csvName());
            json.addProperty("run", run.id());
            AtomicFiles.writeString(dir.resolve("metrics-" + split.csvName() + ".json"), GSON.toJson(json));
            metrics.add(split.csvName(), json);
            log.accept(String.format(Locale.ROOT, "  %s %s: accuracy %.4f  ACA %.4f%s", run.id(), split.csvName(),
                    evaluation.accuracy(), evaluation.aca(),
                    evaluation.isBinary() ? String.format(Locale.ROOT, "  F1 %.4f  AP %.4f", evaluation.f1(),
                            evaluation.precisionRecall().averagePrecision()) : ""));
        }
        result.add("metrics", metrics);
        return result;
    }

    private static JsonObject describeData(FaceSet faces, boolean synthetic) {
        JsonObject data = new JsonObject();
        data.addProperty("source", faces.source());
        data.addProperty("sha256", faces.sha256());
        data.addProperty("synthetic", synthetic);
        data.addProperty("faces", faces.size());
        JsonObject counts = new JsonObject();
        faces.counts().forEach((split, c) -> counts.add(split.csvName(), GSON.toJsonTree(c)));
        data.add("countsBySplitAndEmotion", counts);
        return data;
    }

    private static JsonObject seedsPublished() {
        JsonObject s = new JsonObject();
        s.addProperty("binaryAca", SEEDS_BINARY_ACA);
        s.addProperty("binaryAcaThreshold04", SEEDS_BINARY_ACA_04);
        s.addProperty("binaryAcaThreshold06", SEEDS_BINARY_ACA_06);
        s.addProperty("fMeasure", SEEDS_F_MEASURE);
        s.addProperty("multiclassAca", SEEDS_MULTICLASS_ACA);
        s.addProperty("source", "seed 000 (Volcinski), Table 1 and sections 3.3-3.4");
        return s;
    }

    /** The seeds' published numbers beside ours, as a Markdown table. */
    static String comparisonTable(Map<String, Map<Split, Evaluation>> runs, boolean synthetic) {
        StringBuilder t = new StringBuilder();
        boolean cnn = runs.containsKey(MULTICLASS_CNN);
        t.append("| metric | seeds (published) | fer4j, seeds' settings | fer4j, step decay | fer4j, tuned (PublicTest) | fer4j, tuned (PrivateTest) |")
                .append(cnn ? " fer4j, CNN (PublicTest) | fer4j, CNN (PrivateTest) |\n" : "\n");
        t.append("|---|---|---|---|---|---|").append(cnn ? "---|---|\n" : "\n");
        row(t, "binary ACA, threshold 0.5", SEEDS_BINARY_ACA, runs, r -> sweepAca(r, 0.5));
        row(t, "binary ACA, threshold 0.4", SEEDS_BINARY_ACA_04, runs, r -> sweepAca(r, 0.4));
        row(t, "binary ACA, threshold 0.6", SEEDS_BINARY_ACA_06, runs, r -> sweepAca(r, 0.6));
        row(t, "binary F-measure (Happy, threshold 0.5)", SEEDS_F_MEASURE, runs, Evaluation::f1);
        row(t, "binary accuracy", Double.NaN, runs, Evaluation::accuracy);
        row(t, "multiclass ACA", SEEDS_MULTICLASS_ACA, runs, Evaluation::aca);
        row(t, "multiclass accuracy", Double.NaN, runs, Evaluation::accuracy);
        if (synthetic) {
            t.append("\nThese runs used synthetic faces: the seeds' column is for FER2013 and is shown only for layout.\n");
        }
        return t.toString();
    }

    private static double sweepAca(Evaluation evaluation, double threshold) {
        for (ThresholdSweep.Row row : evaluation.thresholdSweep()) {
            if (Math.abs(row.threshold() - threshold) < 1e-9) {
                return row.aca();
            }
        }
        return Double.NaN;
    }

    private static void row(StringBuilder t, String label, double seeds, Map<String, Map<Split, Evaluation>> runs,
                            ToDoubleFunction<Evaluation> metric) {
        boolean binary = label.startsWith("binary");
        String asWritten = binary ? BINARY_AS_WRITTEN : MULTICLASS_AS_WRITTEN;
        String step = binary ? BINARY_STEP_DECAY : null;
        String tuned = binary ? BINARY_TUNED : MULTICLASS_TUNED;
        t.append("| ").append(label).append(" | ").append(Double.isNaN(seeds) ? "—" : format(seeds)).append(" | ")
                .append(cell(runs, asWritten, Split.PUBLIC_TEST, metric)).append(" | ")
                .append(step == null ? "—" : cell(runs, step, Split.PUBLIC_TEST, metric)).append(" | ")
                .append(cell(runs, tuned, Split.PUBLIC_TEST, metric)).append(" | ")
                .append(cell(runs, tuned, Split.PRIVATE_TEST, metric)).append(" |");
        if (runs.containsKey(MULTICLASS_CNN)) {
            t.append(' ').append(binary ? "—" : cell(runs, MULTICLASS_CNN, Split.PUBLIC_TEST, metric)).append(" | ")
                    .append(binary ? "—" : cell(runs, MULTICLASS_CNN, Split.PRIVATE_TEST, metric)).append(" |");
        }
        t.append('\n');
    }

    private static String cell(Map<String, Map<Split, Evaluation>> runs, String id, Split split,
                               ToDoubleFunction<Evaluation> metric) {
        Evaluation e = runs.getOrDefault(id, Map.of()).get(split);
        return e == null ? "—" : format(metric.applyAsDouble(e));
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.4f", v);
    }
}
