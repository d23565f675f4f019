package io.github.fer4j.features;

/**
 * Per-feature standardization {@code z = (x - mean) / std}, fitted on Training and stored in the model so
 * that prediction sees exactly what training saw.
 */
public final class Standardizer {
    private final float[] mean;
    private final float[] std;

    public Standardizer(float[] mean, float[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean and std lengths differ");
        }
        this.mean = mean;
        this.std = std;
    }

    /** Fits mean and standard deviation over the first {@code n} rows of an n x d matrix. */
    public static Standardizer fit(float[] x, int n, int d) {
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        for (int i = 0; i < n; i++) {
            int o = i * d;
            for (int j = 0; j < d; j++) {
                double v = x[o + j];
                sum[j] += v;
                sumSq[j] += v * v;
            }
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            double m = sum[j] / n;
            double var = Math.max(0, sumSq[j] / n - m * m);
            mean[j] = (float) m;
            // A constant feature carries nothing; dividing by 1 keeps it at zero instead of blowing it up.
            std[j] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
        }
        return new Standardizer(mean, std);
    }

    /** Standardizes rows [0, n) of an n x d matrix in place. */
    public void applyInPlace(float[] x, int n) {
        int d = mean.length;
        for (int i = 0; i < n; i++) {
            apply(x, i * d);
        }
    }

    /** Standardizes one row starting at {@code offset} in place. */
    public void apply(float[] x, int offset) {
        for (int j = 0; j < mean.length; j++) {
            x[offset + j] = (x[offset + j] - mean[j]) / std[j];
        }
    }

    public int dimension() {
        return mean.length;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }
}
