package io.github.fer4j.ensemble;

import java.util.Arrays;

/**
 * Chooses an ensemble's weights and temperature on validation faces (PublicTest), by the negative log-likelihood of
 * the true classes: weights by coordinate search (each member's weight scaled up or down while that lowers the NLL),
 * the temperature by golden-section search on log T in [1/4, 4]. Deterministic: same probabilities, same answer.
 */
public final class EnsembleFit {
    private static final double[] STEPS = {0.0, 0.5, 0.8, 1.25, 2.0};

    private EnsembleFit() {
    }

    /** Mean -log p(truth) of the ensemble's combined probabilities; {@code each[m][i]} is member m's output for face i. */
    public static double negativeLogLikelihood(EnsembleClassifier ensemble, float[][][] each, int[] truth) {
        double sum = 0;
        float[][] one = new float[each.length][];
        for (int i = 0; i < truth.length; i++) {
            for (int m = 0; m < each.length; m++) {
                one[m] = each[m][i];
            }
            sum -= Math.log(Math.max(ensemble.combine(one)[truth[i]], 1e-12));
        }
        return sum / truth.length;
    }

    /** Weights that lower the NLL, starting from the ensemble's own; at most {@code rounds} passes over the members. */
    public static double[] weights(EnsembleClassifier ensemble, float[][][] each, int[] truth, int rounds) {
        double[] best = ensemble.weights();
        double bestNll = negativeLogLikelihood(ensemble, each, truth);
        for (int round = 0; round < rounds; round++) {
            boolean changed = false;
            for (int m = 0; m < best.length; m++) {
                for (double step : STEPS) {
                    double[] w = Arrays.copyOf(best, best.length);
                    w[m] *= step;
                    if (Arrays.stream(w).sum() <= 0) {
                        continue;
                    }
                    double nll = negativeLogLikelihood(ensemble.withWeights(w), each, truth);
                    if (nll < bestNll - 1e-9) {
                        bestNll = nll;
                        best = ensemble.withWeights(w).weights();
                        changed = true;
                    }
                }
            }
            if (!changed) {
                break;
            }
        }
        return best;
    }

    /** The temperature in [1/4, 4] with the lowest NLL (golden-section search on log T). */
    public static double temperature(EnsembleClassifier ensemble, float[][][] each, int[] truth) {
        double lo = Math.log(0.25);
        double hi = Math.log(4);
        double g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo);
        double b = lo + g * (hi - lo);
        double fa = negativeLogLikelihood(ensemble.withTemperature(Math.exp(a)), each, truth);
        double fb = negativeLogLikelihood(ensemble.withTemperature(Math.exp(b)), each, truth);
        for (int i = 0; i < 40; i++) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - g * (hi - lo);
                fa = negativeLogLikelihood(ensemble.withTemperature(Math.exp(a)), each, truth);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + g * (hi - lo);
                fb = negativeLogLikelihood(ensemble.withTemperature(Math.exp(b)), each, truth);
            }
        }
        return Math.exp((lo + hi) / 2);
    }
}
