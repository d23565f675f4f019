package io.github.fer4j.linear;

import io.github.fer4j.train.ClassWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.fer4j.features.FeatureMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Analytic gradients against central finite differences of the batch loss. */
class GradientCheckTest {
    private static final double EPS = 1e-2;

    @ParameterizedTest(name = "{0}, {1} classes, {2} features, balanced={3}")
    @CsvSource({
        "sigmoid, 2, 37, false",
        "sigmoid, 2, 70, true",
        "softmax, 7, 37, false",
        "softmax, 7, 64, true",
        "softmax, 3, 9, true"
    })
    void weightAndBiasGradientsMatchFiniteDifferences(String lossName, int classes, int d, boolean balanced) {
        Loss loss = lossName.equals("sigmoid") ? new SigmoidCrossEntropy() : new SoftmaxCrossEntropy();
        int k = loss.outputs(classes);
        int n = 13;
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes == 0 ? 0 : random.nextInt(classes);
        }
        double[] classWeight = (balanced ? ClassWeights.BALANCED : ClassWeights.NONE).weights(labels, classes);
        float[] w = new float[k * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.3);
        }
        float[] b = new float[k];
        for (int c = 0; c < k; c++) {
            b[c] = (float) random.nextGaussian();
        }
        LinearModel model = new LinearModel(w, b, k, d);
        FeatureMatrix matrix = new FeatureMatrix(x, n, d);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = n - 1 - i;
        }
        float[] gradW = new float[k * d];
        float[] gradB = new float[k];
        SgdTrainer.lossAndGradient(model, loss, matrix, labels, order, 0, n, classWeight, gradW, gradB,
                new float[n * k], new float[n * k]);

        for (int i = 0; i < w.length; i += 3) {
            float saved = w[i];
            w[i] = (float) (saved + EPS);
            double up = batchLoss(model, loss, matrix, labels, order, classWeight);
            w[i] = (float) (saved - EPS);
            double down = batchLoss(model, loss, matrix, labels, order, classWeight);
            w[i] = saved;
            double numeric = (up - down) / (2 * EPS);
            assertEquals(numeric, gradW[i], 2e-3 + 0.02 * Math.abs(numeric), "dL/dw[" + i + "]");
        }
        for (int c = 0; c < k; c++) {
            float saved = b[c];
            b[c] = (float) (saved + EPS);
            double up = batchLoss(model, loss, matrix, labels, order, classWeight);
            b[c] = (float) (saved - EPS);
            double down = batchLoss(model, loss, matrix, labels, order, classWeight);
            b[c] = saved;
            double numeric = (up - down) / (2 * EPS);
            assertEquals(numeric, gradB[c], 2e-3 + 0.02 * Math.abs(numeric), "dL/db[" + c + "]");
        }
    }

    private static double batchLoss(LinearModel model, Loss loss, FeatureMatrix x, int[] labels, int[] order,
                                    double[] classWeight) {
        int k = model.outputs();
        return SgdTrainer.lossAndGradient(model, loss, x, labels, order, 0, x.rows(), classWeight,
                new float[k * model.dimension()], new float[k], new float[x.rows() * k], new float[x.rows() * k]);
    }

    @ParameterizedTest(name = "scores {0}")
    @CsvSource({"-3.0", "-0.4", "0.0", "2.5", "40.0", "-40.0"})
    void lossGradientsWithRespectToScoresMatchFiniteDifferences(double base) {
        Loss softmax = new SoftmaxCrossEntropy();
        float[] s = {(float) base, (float) (base * 0.5 + 1), (float) -base, 0.3f};
        float[] grad = new float[4];
        for (int label = 0; label < 4; label++) {
            softmax.lossAndGradient(s, 0, 4, label, grad);
            for (int c = 0; c < 4; c++) {
                float saved = s[c];
                s[c] = (float) (saved + 1e-3);
                double up = softmax.loss(s, 0, 4, label);
                s[c] = (float) (saved - 1e-3);
                double down = softmax.loss(s, 0, 4, label);
                s[c] = saved;
                assertEquals((up - down) / 2e-3, grad[c], 2e-3, "softmax dL/ds" + c);
            }
        }
        Loss sigmoid = new SigmoidCrossEntropy();
        float[] z = {(float) base};
        float[] g = new float[1];
        for (int label = 0; label < 2; label++) {
            double loss = sigmoid.lossAndGradient(z, 0, 1, label, g);
            double p = 1 / (1 + Math.exp(-base));
            double expected = label == 1 ? -Math.log(p) : -Math.log1p(-p);
            if (Double.isFinite(expected)) {
                assertEquals(expected, loss, 1e-6 * Math.max(1, Math.abs(expected)), "binary cross-entropy");
            }
            assertEquals(p - label, g[0], 1e-6, "sigmoid dL/ds = p - y");
        }
    }
}
