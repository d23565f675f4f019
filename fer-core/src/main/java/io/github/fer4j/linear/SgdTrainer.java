package io.github.fer4j.linear;

import io.github.fer4j.eval.ConfusionMatrix;
import io.github.fer4j.features.FeatureMatrix;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.train.EpochSelection;
import io.github.fer4j.train.EpochStats;
import io.github.fer4j.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mini-batch stochastic gradient descent for a linear model under any {@link Loss}: seeded random start,
 * seeded shuffling, L2, momentum, class weights, a learning-rate schedule and optional early stopping on the
 * validation split (the best epoch's weights are kept). Same seed and data give bit-identical weights.
 */
public final class SgdTrainer {
    /** Batch rows scored and then added to the gradient together: 16 rows of 2304 floats are 147 KB, in L2. */
    static final int ROWS_IN_CACHE = 16;
    /** Standard deviation of the random initial weights. */
    static final double INIT_STD = 0.01;

    /** A fitted model (null when a listener paused the run) and how the run ended. */
    public record Result(LinearModel model, int bestEpoch, boolean stoppedEarly) {
        public boolean paused() {
            return model == null;
        }
    }

    private final Loss loss;
    private final SgdConfig config;
    private final List<TrainingListener> listeners;

    public SgdTrainer(Loss loss, SgdConfig config, List<TrainingListener> listeners) {
        this.loss = loss;
        this.config = config;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Trains on standardized features. {@code validation} may be null (then there is no early stopping and
     * the last epoch is kept).
     */
    public Result fit(FeatureMatrix train, int[] trainLabels, FeatureMatrix validation, int[] validationLabels,
                      int classes) {
        int n = train.rows();
        int d = train.columns();
        int k = loss.outputs(classes);
        double[] classWeight = config.classWeights().weights(trainLabels, classes);
        SplittableRandom random = new SplittableRandom(config.seed());

        float[] w = new float[k * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * INIT_STD);
        }
        LinearModel model = new LinearModel(w, new float[k], k, d);
        float[] gradW = new float[k * d];
        float[] gradB = new float[k];
        float[] velocityW = config.momentum() > 0 ? new float[k * d] : null;
        float[] velocityB = config.momentum() > 0 ? new float[k] : null;
        int batch = Math.min(config.batchSize(), n);
        float[] scores = new float[batch * k];
        float[] coef = new float[batch * k];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }

        EpochSelection.Tracker selection = config.selection().tracker();
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.add(0, selection);
        all.forEach(l -> l.onStart(config.epochs()));
        LinearModel best = null;
        int epoch = 0;
        while (epoch < config.epochs()) {
            int next = epoch + 1;
            if (all.stream().anyMatch(l -> l.pauseBefore(next))) {
                return new Result(null, selection.bestEpoch(), false);
            }
            long start = System.nanoTime();
            double rate = config.rateAt(epoch);
            shuffle(order, random);
            double lossSum = 0;
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                lossSum += lossAndGradient(model, loss, train, trainLabels, order, from, to, classWeight, gradW, gradB,
                        scores, coef) * (to - from);
                update(model, gradW, gradB, velocityW, velocityB, rate);
            }
            epoch = next;
            double[] val = validation == null ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                    : validate(model, validation, validationLabels, classes, classWeight);
            EpochStats stats = new EpochStats(epoch, lossSum / n, val[0], val[1], val[2], rate,
                    (System.nanoTime() - start) / 1e9);
            all.forEach(l -> l.onEpoch(stats));
            if (selection.improved()) {
                // The last epoch needs no copy: the model itself is kept when nothing later replaces it.
                best = config.selection().metric() == EpochSelection.Metric.LAST ? null : model.copy();
            }
            if (selection.shouldStop()) {
                break;
            }
        }
        LinearModel result = best != null ? best : model;
        int chosen = selection.bestEpoch();
        boolean early = selection.shouldStop();
        all.forEach(l -> l.onEnd(chosen, early));
        return new Result(result, chosen, early);
    }

    /**
     * Mean class-weighted loss of the batch rows {@code order[from .. to)} and its gradient:
     * gradW = (1/B) sum_r w_{y_r} (dL/ds_r) x_r^T + l2 W, gradB = (1/B) sum_r w_{y_r} dL/ds_r.
     * The L2 term is in the gradient, not in the returned loss.
     */
    public static double lossAndGradient(LinearModel model, Loss loss, FeatureMatrix x, int[] labels, int[] order,
                                         int from, int to, double[] classWeight, float[] gradW, float[] gradB,
                                         float[] scores, float[] coef) {
        int k = model.outputs();
        int d = model.dimension();
        float[] values = x.values();
        double total = 0;
        int size = to - from;
        Arrays.fill(gradW, 0f);
        Arrays.fill(gradB, 0f);
        // A few rows at a time, so the rows the scores pulled from memory are still in cache for the gradient; each
        // gradient element still adds the batch rows in order, so the grouping does not change a bit.
        for (int group = from; group < to; group += ROWS_IN_CACHE) {
            int end = Math.min(to, group + ROWS_IN_CACHE);
            int go = (group - from) * k;
            LinearKernels.scores(model.weights(), model.bias(), k, d, values, order, group, end, scores, go);
            for (int r = group; r < end; r++) {
                int row = order[r];
                int o = (r - from) * k;
                double weight = classWeight[labels[row]];
                total += weight * loss.lossAndGradient(scores, o, k, labels[row], coef);
                for (int c = 0; c < k; c++) {
                    coef[o + c] = (float) (coef[o + c] * weight / size);
                }
            }
            LinearKernels.accumulate(gradW, k, d, values, order, group, end, coef, go);
        }
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < k; c++) {
                gradB[c] += coef[r * k + c];
            }
        }
        return total / size;
    }

    /** Adds the L2 term and takes the step: v = mu v + g; w -= rate v (plain SGD when mu = 0). */
    private void update(LinearModel model, float[] gradW, float[] gradB, float[] velocityW, float[] velocityB,
                        double rate) {
        float[] w = model.weights();
        float[] b = model.bias();
        float l2 = (float) config.l2();
        float lr = (float) rate;
        float mu = (float) config.momentum();
        for (int i = 0; i < w.length; i++) {
            float g = gradW[i] + l2 * w[i];
            if (velocityW != null) {
                velocityW[i] = mu * velocityW[i] + g;
                g = velocityW[i];
            }
            w[i] -= lr * g;
        }
        for (int c = 0; c < b.length; c++) {
            float g = gradB[c];
            if (velocityB != null) {
                velocityB[c] = mu * velocityB[c] + g;
                g = velocityB[c];
            }
            b[c] -= lr * g;
        }
    }

    /** Class-weighted mean loss, accuracy and ACA on the validation rows. */
    private double[] validate(LinearModel model, FeatureMatrix x, int[] labels, int classes, double[] classWeight) {
        int k = model.outputs();
        int d = model.dimension();
        float[] scores = new float[k];
        float[] probs = new float[classes];
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        double total = 0;
        double weights = 0;
        for (int i = 0; i < x.rows(); i++) {
            model.scores(x.values(), i * d, scores, 0);
            double weight = classWeight[labels[i]];
            total += weight * loss.loss(scores, 0, k, labels[i]);
            weights += weight;
            loss.probabilities(scores, 0, k, probs, 0);
            cm.add(labels[i], Classifier.mostProbable(probs));
        }
        return new double[] {total / weights, cm.accuracy(), cm.aca()};
    }
    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
