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

    static void accumulate(float[] g, int k, int d, float[] x, int[] rows, int from, int to, float[] coef) {
        if (VECTOR) {
            VectorKernels.accumulate(g, k, d, x, rows, from, to, coef);
        } else {
            ScalarKernels.accumulate(g, k, d, x, rows, from, to, coef);
        }
    }
}
