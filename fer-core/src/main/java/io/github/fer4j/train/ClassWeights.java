package io.github.fer4j.train;

/** How much each class counts in the loss: all the same, or "balanced" (n / (classes * count of the class)). */
public enum ClassWeights {
    NONE,
    BALANCED;

    /** The weight of each class given the training labels. */
    public double[] weights(int[] labels, int classes) {
        double[] w = new double[classes];
        java.util.Arrays.fill(w, 1);
        if (this == BALANCED) {
            long[] counts = new long[classes];
            for (int y : labels) {
                counts[y]++;
            }
            for (int c = 0; c < classes; c++) {
                w[c] = counts[c] == 0 ? 0 : (double) labels.length / (classes * counts[c]);
            }
        }
        return w;
    }
}
