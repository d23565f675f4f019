package io.github.fer4j.linear;

/**
 * Chooses the kernels once: the Vector API ones when the JVM has the {@code jdk.incubator.vector} module (the
 * {@code fer} launcher and the tests add it), plain Java otherwise, so fer4j works as a library in any JVM 17+.
 */
final class LinearKernels {
    /** True when the Vector API kernels are in use. */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private LinearKernels() {
    }

    static void scores(float[] w, float[] b, int k, int d, float[] x, int xo, float[] out, int o) {
        if (VECTOR) {
            VectorKernels.scores(w, b, k, d, x, xo, out, o);
        } else {
            ScalarKernels.scores(w, b, k, d, x, xo, out, o);
        }
    }

    /** The scores of the batch rows r in [from, to): out[o + (r - from)*k + c] = b[c] + w_c . x[rows[r]*d ..]. */
    static void scores(float[] w, float[] b, int k, int d, float[] x, int[] rows, int from, int to, float[] out, int o) {
        if (VECTOR) {
            VectorKernels.scores(w, b, k, d, x, rows, from, to, out, o);
        } else {
            for (int r = from; r < to; r++) {
                ScalarKernels.scores(w, b, k, d, x, rows[r] * d, out, o + (r - from) * k);
            }
        }
    }

    /** g[c*d + j] += sum_r coef[co + (r - from)*k + c] * x[rows[r]*d + j] over the batch rows r in [from, to). */
    static void accumulate(float[] g, int k, int d, float[] x, int[] rows, int from, int to, float[] coef, int co) {
        if (VECTOR) {
            VectorKernels.accumulate(g, k, d, x, rows, from, to, coef, co);
        } else {
            ScalarKernels.accumulate(g, k, d, x, rows, from, to, coef, co);
        }
    }
}
