package io.github.fer4j.pytorch;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import com.google.gson.JsonObject;
import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnConfig;
import io.github.fer4j.cnn.Crops;
import io.github.fer4j.cnn.Distillation;
import io.github.fer4j.cnn.Initialization;
import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Split;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import io.github.fer4j.train.EpochSelection;
import io.github.fer4j.train.EpochStats;
import io.github.fer4j.train.LearningRate;
import io.github.fer4j.train.Trainer;
import io.github.fer4j.train.TrainingListener;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Trains a {@link CnnClassifier} on the Training split and keeps the epoch with the best PublicTest accuracy.
 *
 * <p>The run hands its whole state to the listeners after every epoch ({@link TrainingListener#onCheckpoint}; the
 * {@link io.github.fer4j.train.Checkpoints} listener writes it), asks them before every epoch whether to pause
 * ({@link io.github.fer4j.train.Sitting}), and {@link #resume} goes on from such a file.
 *
 * <p>Everything random is drawn from the seed and the epoch number: the shuffle, the views of each face and the
 * dropout masks of epoch {@code e} depend on nothing else. With the checkpoint written after every epoch (the
 * parameters, the optimizer's velocities, the step count), a run that is stopped and resumed computes the same
 * numbers as one that never stopped.
 */
public final class CnnTrainer implements Trainer {
    private final CnnConfig config;
    /** Null when the targets are the labels alone. */
    private final Distillation distillation;
    /** Null when the network starts from random weights. */
    private final Initialization init;

    public CnnTrainer(CnnConfig config) {
        this(config, null, null);
    }

    /** A trainer that distils {@code distillation}'s teacher into the network (null: the labels alone). */
    public CnnTrainer(CnnConfig config, Distillation distillation) {
        this(config, distillation, null);
    }

    /**
     * A trainer that distils {@code distillation}'s teacher into the network (null: the labels alone) and starts from
     * {@code init}'s trained network (null: random weights).
     */
    public CnnTrainer(CnnConfig config, Distillation distillation, Initialization init) {
        this.config = config;
        this.distillation = distillation;
        this.init = init;
    }

    public CnnConfig config() {
        return config;
    }

    /** The teacher and its weight; empty when the targets are the labels alone. */
    public Optional<Distillation> distillation() {
        return Optional.ofNullable(distillation);
    }

    @Override
    public String kind() {
        return CnnClassifier.KIND;
    }

    @Override
    public String describe(Task task) {
        return config.architecture().describe(task.classCount());
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public Optional<Classifier> fit(FaceSet faces, Task task, List<TrainingListener> listeners) throws IOException {
        return run(faces, task, null, listeners);
    }

    @Override
    public Optional<Classifier> resume(FaceSet faces, Task task, Path checkpoint, List<TrainingListener> listeners)
            throws IOException {
        return run(faces, task, checkpoint, listeners);
    }

    /** Trains from the start, or from {@code checkpoint} when it is not null; empty when a listener paused the run. */
    private Optional<Classifier> run(FaceSet faces, Task task, Path checkpoint, List<TrainingListener> listeners)
            throws IOException {
        int[] trainIdx = faces.indices(Split.TRAINING);
        int[] valIdx = faces.indices(Split.PUBLIC_TEST);
        if (trainIdx.length < config.batchSize()) {
            throw new InvalidInputException(faces.source() + ": " + trainIdx.length + " Training faces, fewer than one batch of "
                    + config.batchSize());
        }
        if (config.softTargets() && (task != Task.FERPLUS || !faces.hasFerPlusVotes())) {
            throw new InvalidInputException(faces.source() + ": soft targets are FER+ vote distributions; they need the FER+ "
                    + "labels (--labels ferplus)");
        }
        int[] trainLabels = task.labels(faces, trainIdx);
        int[] valLabels = task.labels(faces, valIdx);
        int classes = task.classCount();
        double[] classWeights = config.classWeights().weights(trainLabels, classes);
        String teacherSha256 = distillation == null ? null : distillation.sha256();
        String initSha256 = init == null ? null : init.sha256();
        // A fine-tuned network keeps the normalisation its weights were trained with.
        StoredCnn start = init == null ? null : init.load(config.architecture(), task);
        float[] meanStd = start != null ? new float[] {start.mean(), start.std()} : meanAndStd(faces, trainIdx);
        JsonObject run = runDescription(faces, task, trainIdx.length, valIdx.length, teacherSha256, initSha256);

        Architecture architecture = config.architecture();
        Crops crops = new Crops(architecture.inputSide(), meanStd[0], meanStd[1]);
        int side = crops.side();
        int batches = trainIdx.length / config.batchSize();
        long totalSteps = (long) batches * config.epochs();
        LearningRate schedule = config.schedule();

        Engine engine = Engines.pytorch();
        try (NDManager manager = engine.newBaseManager()) {
            engine.setRandomSeed((int) config.seed());
            Block block = Networks.build(architecture, classes);
            block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                    XavierInitializer.FactorType.IN, 1), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, side, side));
            PairList<String, Parameter> parameters = block.getParameters();
            MomentumSgd optimizer = new MomentumSgd(config.momentum(), config.weightDecay());
            CnnClassifier view = new CnnClassifier(task, architecture, manager, block, meanStd[0], meanStd[1],
                    TestTimeAugmentation.NONE, ModelInfo.NONE);

            int epoch = 0;
            long step = 0;
            byte[] best = null;
            EpochSelection.Tracker selection = config.selection().tracker();
            List<EpochStats> history = new ArrayList<>();
            if (start != null && checkpoint == null) {
                load(block, architecture, manager, start.parameters(), init.model());
            }
            if (checkpoint != null) {
                Checkpoint saved = Checkpoint.read(checkpoint);
                List<String> changed = Checkpoint.differences(saved.run(), run);
                if (!changed.isEmpty()) {
                    throw InvalidInputException.at(checkpoint, "was written by a different run; to resume, give the same "
                            + "settings and data. Differences: " + String.join("; ", changed));
                }
                load(block, config.architecture(), manager, saved.parameters(), checkpoint);
                optimizer.load(saved.optimizer(), manager, parameters);
                epoch = saved.epoch();
                step = saved.step();
                best = saved.bestParameters();
                history.addAll(saved.history());
            }
            // Loaded parameters are new arrays: gradients are switched on once they are all in place.
            for (Parameter p : parameters.values()) {
                if (p.requiresGradient()) {
                    p.getArray().setRequiresGradient(true);
                }
            }
            for (TrainingListener l : listeners) {
                l.onStart(config.epochs());
            }
            // Replaying the history puts the best-epoch rule and every listener where the run left them.
            for (EpochStats s : history) {
                selection.onEpoch(s);
                listeners.forEach(l -> l.onEpoch(s));
            }

            float[] teacher = null;
            if (distillation != null) {
                long t0 = System.nanoTime();
                listeners.forEach(l -> l.onNote(String.format(Locale.ROOT,
                        "distillation: reading the teacher %s on %,d Training faces...", distillation.teacher(), trainIdx.length)));
                teacher = distillation.teach(faces, trainIdx, task);
                double seconds = (System.nanoTime() - t0) / 1e9;
                listeners.forEach(l -> l.onNote(String.format(Locale.ROOT,
                        "distillation: the teacher's probabilities in %.1f s; targets are %.2f teacher + %.2f label",
                        seconds, distillation.weight(), 1 - distillation.weight())));
            }
            ParameterStore store = new ParameterStore(manager, false);
            byte[] pixels = faces.pixelArray();
            float[] input = new float[config.batchSize() * crops.size()];
            float[] targets = new float[config.batchSize() * classes];
            while (epoch < config.epochs()) {
                int next = epoch + 1;
                if (listeners.stream().anyMatch(l -> l.pauseBefore(next))) {
                    return Optional.empty();
                }
                epoch = next;
                long started = System.nanoTime();
                engine.setRandomSeed((int) (config.seed() * 1_000_003L + epoch));
                SplittableRandom random = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + epoch);
                int[] order = shuffled(trainIdx.length, random);
                double lossSum = 0;
                double lastRate = 0;
                for (int b = 0; b < batches; b++) {
                    for (int k = 0; k < config.batchSize(); k++) {
                        int row = order[b * config.batchSize() + k];
                        Crops.View v = config.augmentation().isNone() ? Crops.View.CENTRE : Crops.View.random(config.augmentation(), random);
                        crops.render(pixels, trainIdx[row] * FaceSet.PIXELS, v, input, k * crops.size());
                        fillTarget(targets, k * classes, faces, trainIdx[row], trainLabels[row], classes, classWeights,
                                teacher, row);
                    }
                    lastRate = schedule.at((double) step / batches, config.epochs());
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        NDArray x = manager.create(input, new Shape(config.batchSize(), 1, side, side));
                        NDArray t = manager.create(targets, new Shape(config.batchSize(), classes));
                        try (GradientCollector collector = engine.newGradientCollector()) {
                            NDArray logits = block.forward(store, new NDList(x), true).singletonOrThrow();
                            NDArray loss = logits.logSoftmax(1).mul(t).sum(new int[] {1}).neg().mean();
                            collector.backward(loss);
                            lossSum += loss.getFloat();
                        }
                        optimizer.step(parameters, lastRate);
                    }
                    step++;
                    double meanLoss = lossSum / (b + 1);
                    int done = b + 1;
                    int e = epoch;
                    listeners.forEach(l -> l.onBatch(e, done, batches, meanLoss));
                }
                double validationLoss = Double.NaN;
                double accuracy = Double.NaN;
                double aca = Double.NaN;
                if (valIdx.length > 0) {
                    float[][] probs = view.probabilities(faces, valIdx);
                    Evaluation evaluation = Evaluation.of(task.classNames(), valLabels, probs);
                    accuracy = evaluation.accuracy();
                    aca = evaluation.aca();
                    validationLoss = crossEntropy(probs, valLabels);
                }
                EpochStats stats = new EpochStats(epoch, lossSum / batches, validationLoss, accuracy, aca, lastRate,
                        (System.nanoTime() - started) / 1e9);
                history.add(stats);
                selection.onEpoch(stats);
                if (selection.improved()) {
                    best = CnnClassifier.parameterBytes(block);
                }
                Checkpoint state = new Checkpoint(run, epoch, step, selection.bestEpoch(), selection.bestValue(),
                        List.copyOf(history), CnnClassifier.parameterBytes(block), best, optimizer.save());
                for (TrainingListener l : listeners) {
                    l.onCheckpoint(epoch, state::write);
                }
                listeners.forEach(l -> l.onEpoch(stats));
            }
            int finalBest = selection.bestEpoch();
            listeners.forEach(l -> l.onEnd(finalBest, false));

            JsonObject settings = config.toJson();
            if (distillation != null) {
                settings.add("distillation", distillation.toJson(teacherSha256));
            }
            if (init != null) {
                settings.add("init", init.toJson(initSha256));
            }
            settings.addProperty("steps", totalSteps);
            ModelInfo info = ModelInfo.trained(new ModelInfo.TrainingRecord(settings, finalBest, null,
                            history.stream().mapToDouble(EpochStats::seconds).sum()),
                    new ModelInfo.DataProvenance(faces.source(), faces.sha256(), trainIdx.length, valIdx.length,
                            ModelInfo.DataProvenance.shares(task.classNames(), trainLabels)));
            CnnClassifier trained = CnnClassifier.restore(task, architecture, meanStd[0], meanStd[1], best, info);
            if (valIdx.length > 0) {
                trained = trained.withInfo(info.withMetrics(Split.PUBLIC_TEST.csvName(),
                        Evaluation.on(trained, faces, valIdx).summary()));
            }
            return Optional.of(trained);
        }
    }

    /** The run's identity, compared on resume: the settings, the task and the data. */
    private JsonObject runDescription(FaceSet faces, Task task, int trainFaces, int validationFaces, String teacherSha256,
                                      String initSha256) {
        JsonObject run = config.toJson();
        if (distillation != null) {
            run.add("distillation", distillation.toJson(teacherSha256));
        }
        if (init != null) {
            run.add("init", init.toJson(initSha256));
        }
        run.addProperty("task", task.cliName());
        JsonObject data = new JsonObject();
        data.addProperty("source", faces.source());
        data.addProperty("sha256", faces.sha256());
        data.addProperty("trainingFaces", trainFaces);
        data.addProperty("validationFaces", validationFaces);
        run.add("data", data);
        return run;
    }

    /**
     * The target distribution of one face, times its class weight: the label (or, with soft targets, the share of
     * FER+ votes each class got), mixed with the teacher's probabilities when distilling ({@link Distillation}), then
     * with the uniform distribution by the label smoothing.
     */
    private void fillTarget(float[] targets, int at, FaceSet faces, int face, int label, int classes, double[] classWeights,
                            float[] teacher, int row) {
        double smooth = config.labelSmoothing();
        double w = classWeights[label];
        double taught = teacher == null ? 0 : distillation.weight();
        int votes = 0;
        if (config.softTargets()) {
            for (int c = 0; c < classes; c++) {
                votes += faces.ferPlusVotes(face, c);
            }
        }
        for (int c = 0; c < classes; c++) {
            double p = votes > 0 ? (double) faces.ferPlusVotes(face, c) / votes : (c == label ? 1 : 0);
            if (teacher != null) {
                p = taught * teacher[row * classes + c] + (1 - taught) * p;
            }
            targets[at + c] = (float) (w * (smooth / classes + (1 - smooth) * p));
        }
    }

    private static void load(Block block, Architecture architecture, NDManager manager, byte[] parameters, Path from) {
        try {
            CnnClassifier.checkLayout(block, parameters, architecture);
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(parameters)));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw InvalidInputException.at(from, "damaged checkpoint parameters: " + e.getMessage());
        }
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The mean and standard deviation of the Training gray levels, scaled to [0, 1]. */
    static float[] meanAndStd(FaceSet faces, int[] trainIdx) {
        byte[] pixels = faces.pixelArray();
        double sum = 0;
        double squares = 0;
        for (int i : trainIdx) {
            for (int p = i * FaceSet.PIXELS, end = p + FaceSet.PIXELS; p < end; p++) {
                int g = pixels[p] & 0xff;
                sum += g;
                squares += (double) g * g;
            }
        }
        double n = (double) trainIdx.length * FaceSet.PIXELS;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(squares / n - mean * mean, 1e-6));
        return new float[] {(float) (mean / 255), (float) Math.max(std / 255, 1e-3)};
    }

    private static double crossEntropy(float[][] probs, int[] labels) {
        double sum = 0;
        for (int k = 0; k < labels.length; k++) {
            sum -= Math.log(Math.max(probs[k][labels[k]], 1e-12));
        }
        return sum / labels.length;
    }
}
