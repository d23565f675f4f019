package io.github.fer4j.eval;

import io.github.fer4j.model.Classifier;
import java.util.ArrayList;
import java.util.List;

/**
 * How far a model's confidence can be trusted: the faces binned by the probability of the class it picked (15 equal
 * bins of confidence), each bin's mean confidence against its accuracy (the reliability diagram), the expected
 * calibration error ECE = sum_b (n_b / N) |accuracy_b - confidence_b|, and the negative log-likelihood of the truth.
 */
public record Calibration(List<Bin> bins, double expectedCalibrationError, double negativeLogLikelihood) {
    public static final int BINS = 15;

    /** One bin of confidence [from, to): how many faces fell in it, their mean confidence and their accuracy. */
    public record Bin(double from, double to, long count, double confidence, double accuracy) { }

    public Calibration {
        bins = List.copyOf(bins);
    }

    public static Calibration of(int[] truth, float[][] probabilities) {
        long[] count = new long[BINS];
        double[] confidence = new double[BINS];
        long[] right = new long[BINS];
        double nll = 0;
        for (int i = 0; i < truth.length; i++) {
            int predicted = Classifier.mostProbable(probabilities[i]);
            double p = probabilities[i][predicted];
            int b = Math.min(BINS - 1, (int) (p * BINS));
            count[b]++;
            confidence[b] += p;
            if (predicted == truth[i]) {
                right[b]++;
            }
            nll -= Math.log(Math.max(probabilities[i][truth[i]], 1e-12));
        }
        List<Bin> bins = new ArrayList<>();
        double ece = 0;
        for (int b = 0; b < BINS; b++) {
            double conf = count[b] == 0 ? Double.NaN : confidence[b] / count[b];
            double acc = count[b] == 0 ? Double.NaN : (double) right[b] / count[b];
            bins.add(new Bin((double) b / BINS, (double) (b + 1) / BINS, count[b], conf, acc));
            if (count[b] > 0) {
                ece += (double) count[b] / truth.length * Math.abs(acc - conf);
            }
        }
        return new Calibration(bins, ece, truth.length == 0 ? Double.NaN : nll / truth.length);
    }
}
