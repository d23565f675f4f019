package io.github.fer4j.eval;

/** False- and true-positive rates at every distinct score, from (0,0) to (1,1), and the area under it. */
public record RocCurve(double[] falsePositiveRate, double[] truePositiveRate, double auc) {

    public static RocCurve of(int[] truth, float[] score) {
        int[] order = Ranking.byScoreDescending(score);
        long positives = Ranking.positives(truth);
        long negatives = truth.length - positives;
        int points = Ranking.distinctScores(score, order) + 1;
        double[] fpr = new double[points];
        double[] tpr = new double[points];
        long tp = 0;
        long fp = 0;
        int k = 1;
        double auc = 0;
        for (int i = 0; i < order.length; i++) {
            if (truth[order[i]] == 1) {
                tp++;
            } else {
                fp++;
            }
            if (i == order.length - 1 || score[order[i + 1]] != score[order[i]]) {
                fpr[k] = negatives == 0 ? 0 : (double) fp / negatives;
                tpr[k] = positives == 0 ? 0 : (double) tp / positives;
                // Trapezoid between consecutive points: ties make a diagonal step, as they should.
                auc += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
                k++;
            }
        }
        return new RocCurve(fpr, tpr, auc);
    }
}
