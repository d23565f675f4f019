package io.github.fer4j.linear;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two products every linear model spends its time in, on the JDK's Vector API (used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}). The species is fixed at
 * 256 bits and lane sums are added in a fixed order, so results are identical from run to run (and between
 * interpreted and compiled code), which the "same seed, same model bytes" promise relies on.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;

    private VectorKernels() {
    }

    /** out[o + c] = b[c] + sum_j w[c*d + j] * x[xo + j] for c in [0, k). */
    static void scores(float[] w, float[] b, int k, int d, float[] x, int xo, float[] out, int o) {
        int c = 0;
        for (; c + 4 <= k; c += 4) {
            dot4(w, c * d, d, x, xo, out, o + c);
        }
        for (; c < k; c++) {
            out[o + c] = dot(w, c * d, d, x, xo);
        }
        for (c = 0; c < k; c++) {
            out[o + c] += b[c];
        }
    }

    /** One dot product sum_j a[ao + j] * x[xo + j] with two accumulators. */
    static float dot(float[] a, int ao, int d, float[] x, int xo) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int j = 0;
        for (; j + 2 * L <= d; j += 2 * L) {
            s0 = FloatVector.fromArray(S, x, xo + j).fma(FloatVector.fromArray(S, a, ao + j), s0);
            s1 = FloatVector.fromArray(S, x, xo + j + L).fma(FloatVector.fromArray(S, a, ao + j + L), s1);
        }
        float sum = laneSum(s0.add(s1));
        for (; j < d; j++) {
            sum += a[ao + j] * x[xo + j];
        }
        return sum;
    }

    /** Four dot products of one input row against four consecutive weight rows, reading x once. */
    private static void dot4(float[] w, int wo, int d, float[] x, int xo, float[] out, int o) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int j = 0;
        for (; j + L <= d; j += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + j);
            s0 = xv.fma(FloatVector.fromArray(S, w, wo + j), s0);
            s1 = xv.fma(FloatVector.fromArray(S, w, wo + d + j), s1);
            s2 = xv.fma(FloatVector.fromArray(S, w, wo + 2 * d + j), s2);
            s3 = xv.fma(FloatVector.fromArray(S, w, wo + 3 * d + j), s3);
        }
        float r0 = laneSum(s0);
        float r1 = laneSum(s1);
        float r2 = laneSum(s2);
        float r3 = laneSum(s3);
        for (; j < d; j++) {
            float xj = x[xo + j];
            r0 += w[wo + j] * xj;
            r1 += w[wo + d + j] * xj;
            r2 += w[wo + 2 * d + j] * xj;
            r3 += w[wo + 3 * d + j] * xj;
        }
        out[o] = r0;
        out[o + 1] = r1;
        out[o + 2] = r2;
        out[o + 3] = r3;
    }

    /**
     * The weight gradient of a mini-batch: g[c*d + j] += sum_r coef[r*k + c] * x[rows[r]*d + j] over the
     * batch rows r in [from, to) (coef is indexed from 0 at row {@code from}). The j-block of g stays in
     * registers while the batch streams past.
     */
    static void accumulate(float[] g, int k, int d, float[] x, int[] rows, int from, int to, float[] coef) {
        int blocked = d - d % (4 * L);
        for (int c = 0; c < k; c++) {
            int go = c * d;
            for (int j = 0; j < blocked; j += 4 * L) {
                FloatVector g0 = FloatVector.fromArray(S, g, go + j);
                FloatVector g1 = FloatVector.fromArray(S, g, go + j + L);
                FloatVector g2 = FloatVector.fromArray(S, g, go + j + 2 * L);
                FloatVector g3 = FloatVector.fromArray(S, g, go + j + 3 * L);
                for (int r = from; r < to; r++) {
                    int xo = rows[r] * d + j;
                    FloatVector cv = FloatVector.broadcast(S, coef[(r - from) * k + c]);
                    g0 = FloatVector.fromArray(S, x, xo).fma(cv, g0);
                    g1 = FloatVector.fromArray(S, x, xo + L).fma(cv, g1);
                    g2 = FloatVector.fromArray(S, x, xo + 2 * L).fma(cv, g2);
                    g3 = FloatVector.fromArray(S, x, xo + 3 * L).fma(cv, g3);
                }
                g0.intoArray(g, go + j);
                g1.intoArray(g, go + j + L);
                g2.intoArray(g, go + j + 2 * L);
                g3.intoArray(g, go + j + 3 * L);
            }
            for (int j = blocked; j < d; j++) {
                float sum = g[go + j];
                for (int r = from; r < to; r++) {
                    sum += coef[(r - from) * k + c] * x[rows[r] * d + j];
                }
                g[go + j] = sum;
            }
        }
    }

    /** Lanes added pairwise in a fixed order. */
    private static float laneSum(FloatVector v) {
        return ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3))) + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
    }
}
