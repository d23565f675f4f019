package io.github.fer4j.eval;

/**
 * Precision and recall of "positive when score >= t" at every distinct score t, highest threshold first,
 * with average precision AP = sum_n (R_n - R_{n-1}) P_n (the step-wise area scikit-learn reports) and the
 * threshold of best F1.
 */
public record PrecisionRecallCurve(double[] thresholds, double[] precision, double[] recall, double averagePrecision,
                                   double bestF1, double bestThreshold) {

    /** Builds the curve from binary truths (1 = positive) and positive-class scores. */
    public static PrecisionRecallCurve of(int[] truth, float[] score) {
        int[] order = Ranking.byScoreDescending(score);
        long positives = Ranking.positives(truth);
        int points = Ranking.distinctScores(score, order);
        double[] thresholds = new double[points];
        double[] precision = new double[points];
        double[] recall = new double[points];
        long tp = 0;
        long fp = 0;
        int k = 0;
        double ap = 0;
        double previousRecall = 0;
        double bestF1 = 0;
        double bestThreshold = 0.5;
        for (int i = 0; i < order.length; i++) {
            if (truth[order[i]] == 1) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfTie = i == order.length - 1 || score[order[i + 1]] != score[order[i]];
            if (lastOfTie) {
                double p = (double) tp / (tp + fp);
                double r = positives == 0 ? 0 : (double) tp / positives;
                thresholds[k] = score[order[i]];
                precision[k] = p;
                recall[k] = r;
                ap += (r - previousRecall) * p;
                previousRecall = r;
                double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
                if (f1 > bestF1) {
                    bestF1 = f1;
                    bestThreshold = score[order[i]];
                }
                k++;
            }
        }
        return new PrecisionRecallCurve(thresholds, precision, recall, ap, bestF1, bestThreshold);
    }
}
