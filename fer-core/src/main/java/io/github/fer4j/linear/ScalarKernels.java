package io.github.fer4j.linear;

/**
 * The same two products as {@link VectorKernels} in plain Java, for a JVM started without the Vector API module
 * (a library user's application, say). About 3x slower; also reproducible, with its own summation order.
 */
final class ScalarKernels {
    private ScalarKernels() {
    }

    /** out[o + c] = b[c] + sum_j w[c*d + j] * x[xo + j] for c in [0, k). */
    static void scores(float[] w, float[] b, int k, int d, float[] x, int xo, float[] out, int o) {
        for (int c = 0; c < k; c++) {
            // Four partial sums, so the additions do not wait on one another.
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int wo = c * d;
            int j = 0;
            for (; j + 4 <= d; j += 4) {
                s0 += w[wo + j] * x[xo + j];
                s1 += w[wo + j + 1] * x[xo + j + 1];
                s2 += w[wo + j + 2] * x[xo + j + 2];
                s3 += w[wo + j + 3] * x[xo + j + 3];
            }
            float sum = (s0 + s1) + (s2 + s3);
            for (; j < d; j++) {
                sum += w[wo + j] * x[xo + j];
            }
            out[o + c] = sum + b[c];
        }
    }

    /** g[c*d + j] += sum_r coef[co + (r - from)*k + c] * x[rows[r]*d + j] over the batch rows r in [from, to). */
    static void accumulate(float[] g, int k, int d, float[] x, int[] rows, int from, int to, float[] coef, int co) {
        for (int r = from; r < to; r++) {
            int xo = rows[r] * d;
            for (int c = 0; c < k; c++) {
                float a = coef[co + (r - from) * k + c];
                int go = c * d;
                for (int j = 0; j < d; j++) {
                    g[go + j] += a * x[xo + j];
                }
            }
        }
    }
}
