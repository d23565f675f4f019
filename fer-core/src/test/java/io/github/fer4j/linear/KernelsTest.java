package io.github.fer4j.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plain-Java kernels agree with the Vector API ones (up to float rounding), for sizes with and without tails. */
class KernelsTest {
    @ParameterizedTest
    @ValueSource(ints = {9, 37, 64, 2304})
    void scalarAndVectorKernelsAgree(int d) {
        assertTrue(LinearKernels.VECTOR, "the tests run with the Vector API module");
        SplittableRandom r = new SplittableRandom(d);
        int k = 7;
        int n = 11;
        float[] w = new float[k * d];
        float[] x = new float[n * d];
        float[] b = new float[k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int c = 0; c < k; c++) {
            b[c] = (float) r.nextGaussian();
        }
        float[] vector = new float[k];
        float[] scalar = new float[k];
        VectorKernels.scores(w, b, k, d, x, 3 * d, vector, 0);
        ScalarKernels.scores(w, b, k, d, x, 3 * d, scalar, 0);
        for (int c = 0; c < k; c++) {
            assertEquals(vector[c], scalar[c], 1e-3 * Math.sqrt(d), "score " + c);
        }
        int[] rows = {4, 0, 9, 2, 7};
        float[] coef = new float[rows.length * k];
        for (int i = 0; i < coef.length; i++) {
            coef[i] = (float) r.nextGaussian();
        }
        float[] gv = new float[k * d];
        float[] gs = new float[k * d];
        VectorKernels.accumulate(gv, k, d, x, rows, 1, 5, coef);
        ScalarKernels.accumulate(gs, k, d, x, rows, 1, 5, coef);
        for (int i = 0; i < gv.length; i++) {
            assertEquals(gv[i], gs[i], 1e-4, "gradient " + i);
        }
    }
}
