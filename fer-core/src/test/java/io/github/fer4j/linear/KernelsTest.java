package io.github.fer4j.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain-Java kernels agree with the Vector API ones (up to float rounding), and the blocked seven-class kernels
 * give exactly the bits of the per-class ones, for widths with and without tails.
 */
class KernelsTest {
    private static float[] gaussian(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 37, 64, 2304})
    void scalarAndVectorKernelsAgree(int d) {
        assertTrue(LinearKernels.VECTOR, "the tests run with the Vector API module");
        SplittableRandom r = new SplittableRandom(d);
        for (int k : new int[] {1, 7}) {
            int n = 11;
            float[] w = gaussian(r, k * d);
            float[] x = gaussian(r, n * d);
            float[] b = gaussian(r, k);
            int[] rows = {4, 0, 9, 2, 7};
            float[] vector = new float[rows.length * k];
            float[] scalar = new float[rows.length * k];
            VectorKernels.scores(w, b, k, d, x, rows, 0, rows.length, vector, 0);
            for (int i = 0; i < rows.length; i++) {
                ScalarKernels.scores(w, b, k, d, x, rows[i] * d, scalar, i * k);
            }
            for (int i = 0; i < vector.length; i++) {
                assertEquals(scalar[i], vector[i], 1e-3 * Math.sqrt(d), "k " + k + ", score " + i);
            }
            float[] coef = gaussian(r, rows.length * k);
            float[] gv = new float[k * d];
            float[] gs = new float[k * d];
            VectorKernels.accumulate(gv, k, d, x, rows, 1, 5, coef, 0);
            ScalarKernels.accumulate(gs, k, d, x, rows, 1, 5, coef, 0);
            for (int i = 0; i < gv.length; i++) {
                assertEquals(gs[i], gv[i], 1e-4, "k " + k + ", gradient " + i);
            }
        }
    }

    /** Widths with no tail (2304: FER2013's pixels), an 8-float tail, scalar tails, and shorter than one block. */
    @ParameterizedTest
    @ValueSource(ints = {2304, 2312, 2317, 100, 37, 9, 5})
    void blockedSevenClassKernelsGiveThePerClassBits(int d) {
        SplittableRandom r = new SplittableRandom(31L * d);
        int k = VectorKernels.BLOCKED_CLASSES;
        int n = 13;
        float[] w = gaussian(r, k * d);
        float[] x = gaussian(r, n * d);
        float[] b = gaussian(r, k);
        // An odd batch, so the two-row pass and the single-row pass both run.
        int[] rows = {12, 3, 3, 0, 8, 11, 5};
        float[] blocked = new float[rows.length * k];
        float[] grouped = new float[rows.length * k];
        float[] perClass = new float[rows.length * k];
        float[] oneRow = new float[rows.length * k];
        VectorKernels.scores(w, b, k, d, x, rows, 0, rows.length, blocked, 0);
        // In groups, as the trainer calls it: rows [0, 3) then [3, 7), each written at its own offset.
        VectorKernels.scores(w, b, k, d, x, rows, 0, 3, grouped, 0);
        VectorKernels.scores(w, b, k, d, x, rows, 3, rows.length, grouped, 3 * k);
        for (int i = 0; i < rows.length; i++) {
            VectorKernels.scoresPerClass(w, b, k, d, x, rows[i] * d, perClass, i * k);
            VectorKernels.scores(w, b, k, d, x, rows[i] * d, oneRow, i * k);
        }
        assertArrayEquals(perClass, blocked, "batch scores");
        assertArrayEquals(perClass, grouped, "batch scores in groups");
        assertArrayEquals(perClass, oneRow, "one-row scores");

        float[] coef = gaussian(r, rows.length * k);
        float[] start = gaussian(r, k * d);
        float[] g = start.clone();
        float[] inGroups = start.clone();
        float[] reference = start.clone();
        VectorKernels.accumulate(g, k, d, x, rows, 2, rows.length, coef, 0);
        VectorKernels.accumulate(inGroups, k, d, x, rows, 2, 4, coef, 0);
        VectorKernels.accumulate(inGroups, k, d, x, rows, 4, rows.length, coef, 2 * k);
        VectorKernels.accumulatePerClass(reference, k, d, x, rows, 2, rows.length, coef, 0);
        assertArrayEquals(reference, g, "gradient");
        assertArrayEquals(reference, inGroups, "gradient added in groups of rows");
    }
}
