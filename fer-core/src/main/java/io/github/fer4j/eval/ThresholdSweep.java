package io.github.fer4j.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Binary metrics at a range of thresholds on the positive-class probability: 0.05 to 0.95 in 0.05 steps,
 * which include the seeds' 0.4, 0.5 and 0.6 (marked).
 */
public final class ThresholdSweep {
    /** One threshold's metrics; {@code seeds} marks the thresholds of the seeds' Table 1. */
    public record Row(double threshold, double precision, double recall, double f1, double accuracy, double aca,
                      boolean seeds) { }

    private ThresholdSweep() {
    }

    public static List<Row> of(int[] truth, float[] score) {
        List<Row> rows = new ArrayList<>();
        for (int step = 1; step <= 19; step++) {
            double t = step / 20.0;
            rows.add(at(truth, score, t, step == 8 || step == 10 || step == 12));
        }
        return rows;
    }

    /** Metrics of "positive when score >= threshold". */
    public static Row at(int[] truth, float[] score, double threshold, boolean seeds) {
        ConfusionMatrix cm = new ConfusionMatrix(2);
        for (int i = 0; i < truth.length; i++) {
            cm.add(truth[i], score[i] >= threshold ? 1 : 0);
        }
        return new Row(threshold, cm.precision(1), cm.recall(1), cm.f1(1), cm.accuracy(), cm.aca(), seeds);
    }
}
