package io.github.fer4j.eval;

/**
 * Counts of (true class, predicted class) pairs, and what they say: accuracy, per-class precision, recall
 * and F1, ACA (the mean of the diagonal of the row-normalized matrix, i.e. mean per-class recall or balanced
 * accuracy) and macro F1. Classes with no true examples are left out of ACA, as balanced accuracy does.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    public ConfusionMatrix(int classes) {
        this.counts = new long[classes][classes];
    }

    /** A matrix from counts, {@code counts[truth][predicted]}. */
    public static ConfusionMatrix of(long[][] counts) {
        ConfusionMatrix cm = new ConfusionMatrix(counts.length);
        for (int t = 0; t < counts.length; t++) {
            System.arraycopy(counts[t], 0, cm.counts[t], 0, counts.length);
        }
        return cm;
    }

    public void add(int truth, int predicted) {
        counts[truth][predicted]++;
    }

    public int classes() {
        return counts.length;
    }

    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            copy[t] = counts[t].clone();
        }
        return copy;
    }

    /** Each row divided by its total (a row with no examples stays zero). */
    public double[][] rowNormalized() {
        double[][] out = new double[counts.length][counts.length];
        for (int t = 0; t < counts.length; t++) {
            long row = support(t);
            for (int p = 0; p < counts.length; p++) {
                out[t][p] = row == 0 ? 0 : (double) counts[t][p] / row;
            }
        }
        return out;
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    /** True examples of a class. */
    public long support(int c) {
        long n = 0;
        for (long v : counts[c]) {
            n += v;
        }
        return n;
    }

    /** Examples predicted as a class. */
    public long predicted(int c) {
        long n = 0;
        for (long[] row : counts) {
            n += row[c];
        }
        return n;
    }

    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        long n = total();
        return n == 0 ? 0 : (double) correct / n;
    }

    /** TP / (TP + FN); 0 for a class with no examples. */
    public double recall(int c) {
        long s = support(c);
        return s == 0 ? 0 : (double) counts[c][c] / s;
    }

    /** TP / (TP + FP); 0 when nothing was predicted as the class. */
    public double precision(int c) {
        long p = predicted(c);
        return p == 0 ? 0 : (double) counts[c][c] / p;
    }

    /** 2 P R / (P + R); 0 when both are 0. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Average per-class accuracy: the mean recall over classes that have examples. */
    public double aca() {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < counts.length; c++) {
            if (support(c) > 0) {
                sum += recall(c);
                present++;
            }
        }
        return present == 0 ? 0 : sum / present;
    }

    /** Mean F1 over classes that occur as truth or as prediction. */
    public double macroF1() {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < counts.length; c++) {
            if (support(c) > 0 || predicted(c) > 0) {
                sum += f1(c);
                present++;
            }
        }
        return present == 0 ? 0 : sum / present;
    }
}
