package io.github.fer4j.linear;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two products every linear model spends its time in, on the JDK's Vector API (used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}). The species is fixed at
 * 256 bits and lane sums are added in a fixed order, so results are identical from run to run (and between
 * interpreted and compiled code), which the "same seed, same model bytes" promise relies on.
 *
 * <p>The seven-class shape (the emotions) has blocked kernels that read each input row once for all seven classes;
 * they add in exactly the order of the per-class kernels, so both give the same bits and a model does not depend on
 * which one ran.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;
    /** Classes handled by the blocked kernels: FER2013's seven emotions. */
    static final int BLOCKED_CLASSES = 7;

    private VectorKernels() {
    }

    /** out[o + c] = b[c] + sum_j w[c*d + j] * x[xo + j] for c in [0, k). */
    static void scores(float[] w, float[] b, int k, int d, float[] x, int xo, float[] out, int o) {
        if (k == BLOCKED_CLASSES) {
            dot7(w, d, x, xo, out, o);
            for (int c = 0; c < k; c++) {
                out[o + c] += b[c];
            }
        } else {
            scoresPerClass(w, b, k, d, x, xo, out, o);
        }
    }

    /**
     * The scores of the batch rows r in [from, to): out[o + (r - from)*k + c] = b[c] + sum_j w[c*d + j] * x[rows[r]*d + j],
     * bit for bit what {@link #scores} gives row by row. Seven classes take two rows at a time, so two rows stream
     * from memory at once and each weight load serves both.
     */
    static void scores(float[] w, float[] b, int k, int d, float[] x, int[] rows, int from, int to, float[] out, int o) {
        int r = from;
        if (k == BLOCKED_CLASSES) {
            for (; r + 2 <= to; r += 2) {
                int ro = o + (r - from) * k;
                dot7x2(w, d, x, rows[r] * d, rows[r + 1] * d, out, ro);
                for (int c = 0; c < k; c++) {
                    out[ro + c] += b[c];
                    out[ro + k + c] += b[c];
                }
            }
        }
        for (; r < to; r++) {
            scores(w, b, k, d, x, rows[r] * d, out, o + (r - from) * k);
        }
    }

    /** {@link #scores} with the input row read once per group of four classes and once per remaining class. */
    static void scoresPerClass(float[] w, float[] b, int k, int d, float[] x, int xo, float[] out, int o) {
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
     * The seven dot products sum_j w[c*d + j] * x[xo + j] (c = 0..6) in one pass over x. Classes 0-3 add as
     * {@link #dot4} does (one accumulator each, 8 floats a step), classes 4-6 as {@link #dot} does (two accumulators,
     * even and odd steps), so the results are bit for bit those of {@link #scoresPerClass}.
     */
    private static void dot7(float[] w, int d, float[] x, int xo, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector e4 = a0;
        FloatVector o4 = a0;
        FloatVector e5 = a0;
        FloatVector o5 = a0;
        FloatVector e6 = a0;
        FloatVector o6 = a0;
        int w1 = d;
        int w2 = 2 * d;
        int w3 = 3 * d;
        int w4 = 4 * d;
        int w5 = 5 * d;
        int w6 = 6 * d;
        int j = 0;
        for (; j + 2 * L <= d; j += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xo + j);
            FloatVector x1 = FloatVector.fromArray(S, x, xo + j + L);
            a0 = x1.fma(FloatVector.fromArray(S, w, j + L), x0.fma(FloatVector.fromArray(S, w, j), a0));
            a1 = x1.fma(FloatVector.fromArray(S, w, w1 + j + L), x0.fma(FloatVector.fromArray(S, w, w1 + j), a1));
            a2 = x1.fma(FloatVector.fromArray(S, w, w2 + j + L), x0.fma(FloatVector.fromArray(S, w, w2 + j), a2));
            a3 = x1.fma(FloatVector.fromArray(S, w, w3 + j + L), x0.fma(FloatVector.fromArray(S, w, w3 + j), a3));
            e4 = x0.fma(FloatVector.fromArray(S, w, w4 + j), e4);
            o4 = x1.fma(FloatVector.fromArray(S, w, w4 + j + L), o4);
            e5 = x0.fma(FloatVector.fromArray(S, w, w5 + j), e5);
            o5 = x1.fma(FloatVector.fromArray(S, w, w5 + j + L), o5);
            e6 = x0.fma(FloatVector.fromArray(S, w, w6 + j), e6);
            o6 = x1.fma(FloatVector.fromArray(S, w, w6 + j + L), o6);
        }
        // dot() leaves the rest to plain Java from here; dot4() still takes one more 8-float step if there is one.
        int rest = j;
        if (j + L <= d) {
            FloatVector x0 = FloatVector.fromArray(S, x, xo + j);
            a0 = x0.fma(FloatVector.fromArray(S, w, j), a0);
            a1 = x0.fma(FloatVector.fromArray(S, w, w1 + j), a1);
            a2 = x0.fma(FloatVector.fromArray(S, w, w2 + j), a2);
            a3 = x0.fma(FloatVector.fromArray(S, w, w3 + j), a3);
            j += L;
        }
        float r0 = laneSum(a0);
        float r1 = laneSum(a1);
        float r2 = laneSum(a2);
        float r3 = laneSum(a3);
        for (; j < d; j++) {
            float xj = x[xo + j];
            r0 += w[j] * xj;
            r1 += w[w1 + j] * xj;
            r2 += w[w2 + j] * xj;
            r3 += w[w3 + j] * xj;
        }
        float r4 = laneSum(e4.add(o4));
        float r5 = laneSum(e5.add(o5));
        float r6 = laneSum(e6.add(o6));
        for (j = rest; j < d; j++) {
            float xj = x[xo + j];
            r4 += w[w4 + j] * xj;
            r5 += w[w5 + j] * xj;
            r6 += w[w6 + j] * xj;
        }
        out[o] = r0;
        out[o + 1] = r1;
        out[o + 2] = r2;
        out[o + 3] = r3;
        out[o + 4] = r4;
        out[o + 5] = r5;
        out[o + 6] = r6;
    }

    /**
     * {@link #dot7} of two input rows (at xa and xb, results to out[o ..] and out[o + 7 ..]): classes 0-3 of both
     * rows in one pass, then classes 4-6 of both rows in a second pass that finds the two rows still in cache (in
     * one pass the 20 accumulators do not fit in the registers, which measured slower).
     */
    private static void dot7x2(float[] w, int d, float[] x, int xa, int xb, float[] out, int o) {
        if (d % (2 * L) != 0) {
            // The blocked loops below have no tails; other widths are rare enough to go row by row.
            dot7(w, d, x, xa, out, o);
            dot7(w, d, x, xb, out, o + BLOCKED_CLASSES);
            return;
        }
        dot4x2(w, d, x, xa, xb, out, o);
        dot3x2(w, d, x, xa, xb, out, o);
    }

    /** Classes 0-3 of two rows, added as {@link #dot4} adds them (one accumulator each, 8 floats a step). */
    private static void dot4x2(float[] w, int d, float[] x, int xa, int xb, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        for (int j = 0; j < d; j += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xa + j);
            FloatVector yv = FloatVector.fromArray(S, x, xb + j);
            FloatVector v = FloatVector.fromArray(S, w, j);
            a0 = xv.fma(v, a0);
            b0 = yv.fma(v, b0);
            v = FloatVector.fromArray(S, w, d + j);
            a1 = xv.fma(v, a1);
            b1 = yv.fma(v, b1);
            v = FloatVector.fromArray(S, w, 2 * d + j);
            a2 = xv.fma(v, a2);
            b2 = yv.fma(v, b2);
            v = FloatVector.fromArray(S, w, 3 * d + j);
            a3 = xv.fma(v, a3);
            b3 = yv.fma(v, b3);
        }
        int k = BLOCKED_CLASSES;
        out[o] = laneSum(a0);
        out[o + 1] = laneSum(a1);
        out[o + 2] = laneSum(a2);
        out[o + 3] = laneSum(a3);
        out[o + k] = laneSum(b0);
        out[o + k + 1] = laneSum(b1);
        out[o + k + 2] = laneSum(b2);
        out[o + k + 3] = laneSum(b3);
    }

    /** Classes 4-6 of two rows, added as {@link #dot} adds them (two accumulators each, even and odd steps). */
    private static void dot3x2(float[] w, int d, float[] x, int xa, int xb, float[] out, int o) {
        FloatVector e4 = FloatVector.zero(S);
        FloatVector o4 = e4;
        FloatVector e5 = e4;
        FloatVector o5 = e4;
        FloatVector e6 = e4;
        FloatVector o6 = e4;
        FloatVector f4 = e4;
        FloatVector p4 = e4;
        FloatVector f5 = e4;
        FloatVector p5 = e4;
        FloatVector f6 = e4;
        FloatVector p6 = e4;
        int w4 = 4 * d;
        int w5 = 5 * d;
        int w6 = 6 * d;
        for (int j = 0; j < d; j += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xa + j);
            FloatVector x1 = FloatVector.fromArray(S, x, xa + j + L);
            FloatVector y0 = FloatVector.fromArray(S, x, xb + j);
            FloatVector y1 = FloatVector.fromArray(S, x, xb + j + L);
            FloatVector v0 = FloatVector.fromArray(S, w, w4 + j);
            FloatVector v1 = FloatVector.fromArray(S, w, w4 + j + L);
            e4 = x0.fma(v0, e4);
            o4 = x1.fma(v1, o4);
            f4 = y0.fma(v0, f4);
            p4 = y1.fma(v1, p4);
            v0 = FloatVector.fromArray(S, w, w5 + j);
            v1 = FloatVector.fromArray(S, w, w5 + j + L);
            e5 = x0.fma(v0, e5);
            o5 = x1.fma(v1, o5);
            f5 = y0.fma(v0, f5);
            p5 = y1.fma(v1, p5);
            v0 = FloatVector.fromArray(S, w, w6 + j);
            v1 = FloatVector.fromArray(S, w, w6 + j + L);
            e6 = x0.fma(v0, e6);
            o6 = x1.fma(v1, o6);
            f6 = y0.fma(v0, f6);
            p6 = y1.fma(v1, p6);
        }
        int k = BLOCKED_CLASSES;
        out[o + 4] = laneSum(e4.add(o4));
        out[o + 5] = laneSum(e5.add(o5));
        out[o + 6] = laneSum(e6.add(o6));
        out[o + k + 4] = laneSum(f4.add(p4));
        out[o + k + 5] = laneSum(f5.add(p5));
        out[o + k + 6] = laneSum(f6.add(p6));
    }

    /**
     * The weight gradient of a mini-batch: g[c*d + j] += sum_r coef[co + (r - from)*k + c] * x[rows[r]*d + j] over
     * the batch rows r in [from, to), added in the order of r.
     */
    static void accumulate(float[] g, int k, int d, float[] x, int[] rows, int from, int to, float[] coef, int co) {
        if (k == BLOCKED_CLASSES) {
            accumulate7(g, d, x, rows, from, to, coef, co);
        } else {
            accumulatePerClass(g, k, d, x, rows, from, to, coef, co);
        }
    }

    /**
     * {@link #accumulate} one class at a time: the j-block of g stays in registers while the batch streams past,
     * once per class.
     */
    static void accumulatePerClass(float[] g, int k, int d, float[] x, int[] rows, int from, int to, float[] coef,
                                   int co) {
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
                    FloatVector cv = FloatVector.broadcast(S, coef[co + (r - from) * k + c]);
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
            accumulateTail(g, k, c, blocked, d, x, rows, from, to, coef, co);
        }
    }

    /**
     * {@link #accumulate} for seven classes with the batch read once: a 16-float j-block of all seven gradient rows
     * stays in registers while the batch streams past. Each g element still adds the batch rows in order with one
     * fused multiply-add each, and the same columns go to plain Java, so the bits are those of
     * {@link #accumulatePerClass}.
     */
    private static void accumulate7(float[] g, int d, float[] x, int[] rows, int from, int to, float[] coef, int co) {
        int k = BLOCKED_CLASSES;
        int blocked = d - d % (4 * L);
        for (int j = 0; j < blocked; j += 2 * L) {
            FloatVector g00 = FloatVector.fromArray(S, g, j);
            FloatVector g01 = FloatVector.fromArray(S, g, j + L);
            FloatVector g10 = FloatVector.fromArray(S, g, d + j);
            FloatVector g11 = FloatVector.fromArray(S, g, d + j + L);
            FloatVector g20 = FloatVector.fromArray(S, g, 2 * d + j);
            FloatVector g21 = FloatVector.fromArray(S, g, 2 * d + j + L);
            FloatVector g30 = FloatVector.fromArray(S, g, 3 * d + j);
            FloatVector g31 = FloatVector.fromArray(S, g, 3 * d + j + L);
            FloatVector g40 = FloatVector.fromArray(S, g, 4 * d + j);
            FloatVector g41 = FloatVector.fromArray(S, g, 4 * d + j + L);
            FloatVector g50 = FloatVector.fromArray(S, g, 5 * d + j);
            FloatVector g51 = FloatVector.fromArray(S, g, 5 * d + j + L);
            FloatVector g60 = FloatVector.fromArray(S, g, 6 * d + j);
            FloatVector g61 = FloatVector.fromArray(S, g, 6 * d + j + L);
            for (int r = from; r < to; r++) {
                int xo = rows[r] * d + j;
                int ro = co + (r - from) * k;
                FloatVector x0 = FloatVector.fromArray(S, x, xo);
                FloatVector x1 = FloatVector.fromArray(S, x, xo + L);
                FloatVector c0 = FloatVector.broadcast(S, coef[ro]);
                g00 = x0.fma(c0, g00);
                g01 = x1.fma(c0, g01);
                FloatVector c1 = FloatVector.broadcast(S, coef[ro + 1]);
                g10 = x0.fma(c1, g10);
                g11 = x1.fma(c1, g11);
                FloatVector c2 = FloatVector.broadcast(S, coef[ro + 2]);
                g20 = x0.fma(c2, g20);
                g21 = x1.fma(c2, g21);
                FloatVector c3 = FloatVector.broadcast(S, coef[ro + 3]);
                g30 = x0.fma(c3, g30);
                g31 = x1.fma(c3, g31);
                FloatVector c4 = FloatVector.broadcast(S, coef[ro + 4]);
                g40 = x0.fma(c4, g40);
                g41 = x1.fma(c4, g41);
                FloatVector c5 = FloatVector.broadcast(S, coef[ro + 5]);
                g50 = x0.fma(c5, g50);
                g51 = x1.fma(c5, g51);
                FloatVector c6 = FloatVector.broadcast(S, coef[ro + 6]);
                g60 = x0.fma(c6, g60);
                g61 = x1.fma(c6, g61);
            }
            g00.intoArray(g, j);
            g01.intoArray(g, j + L);
            g10.intoArray(g, d + j);
            g11.intoArray(g, d + j + L);
            g20.intoArray(g, 2 * d + j);
            g21.intoArray(g, 2 * d + j + L);
            g30.intoArray(g, 3 * d + j);
            g31.intoArray(g, 3 * d + j + L);
            g40.intoArray(g, 4 * d + j);
            g41.intoArray(g, 4 * d + j + L);
            g50.intoArray(g, 5 * d + j);
            g51.intoArray(g, 5 * d + j + L);
            g60.intoArray(g, 6 * d + j);
            g61.intoArray(g, 6 * d + j + L);
        }
        for (int c = 0; c < k; c++) {
            accumulateTail(g, k, c, blocked, d, x, rows, from, to, coef, co);
        }
    }

    /** The columns [blocked, d) of class c's gradient row, in plain Java. */
    private static void accumulateTail(float[] g, int k, int c, int blocked, int d, float[] x, int[] rows, int from,
                                       int to, float[] coef, int co) {
        int go = c * d;
        for (int j = blocked; j < d; j++) {
            float sum = g[go + j];
            for (int r = from; r < to; r++) {
                sum += coef[co + (r - from) * k + c] * x[rows[r] * d + j];
            }
            g[go + j] = sum;
        }
    }

    /** Lanes added pairwise in a fixed order. */
    private static float laneSum(FloatVector v) {
        return ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3))) + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
    }
}
