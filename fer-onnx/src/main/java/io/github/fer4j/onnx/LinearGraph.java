package io.github.fer4j.onnx;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.features.PixelFeatures;
import io.github.fer4j.linear.LinearClassifier;
import io.github.fer4j.linear.LinearModel;
import io.github.fer4j.linear.LogisticRegression;
import java.util.Map;

/**
 * The ONNX form of a linear model on pixels: z = (x - mean) / std, scores = z W^T + b, then softmax (softmax
 * regression) or [1 - sigmoid, sigmoid] (logistic regression). HOG and LBP features are refused: their orientation
 * binning and bit codes have no ONNX form here.
 */
final class LinearGraph {
    private LinearGraph() {
    }

    static String probabilities(OnnxGraph g, String pixels, LinearClassifier model) {
        if (!(model.features() instanceof PixelFeatures)) {
            throw new OnnxExporter.NotExpressible("its features are '" + model.features().name()
                    + "'; only linear models on pixels have an ONNX form (HOG's orientation histograms and LBP's bit "
                    + "codes per cell are not written as ONNX operators by fer4j); train one with --features pixels");
        }
        LinearModel m = model.model();
        int d = m.dimension();
        int k = m.outputs();
        String flat = g.node("Reshape", pixels, g.longs("flat_shape", -1, FaceSet.PIXELS));
        String centred = g.node("Sub", flat, g.constant("mean", new long[] {d}, model.standardizer().mean()));
        String z = g.node("Div", centred, g.constant("std", new long[] {d}, model.standardizer().std()));
        // W is stored row-major as [outputs][dimension]; MatMul needs it as [dimension][outputs].
        float[] w = m.weights();
        float[] transposed = new float[w.length];
        for (int o = 0; o < k; o++) {
            for (int j = 0; j < d; j++) {
                transposed[j * k + o] = w[o * d + j];
            }
        }
        String scores = g.node("Add", g.node("MatMul", z, g.constant("weights", new long[] {d, k}, transposed)),
                g.constant("bias", new long[] {k}, m.bias()));
        if (model instanceof LogisticRegression) {
            // One score: p(positive) = sigmoid(s), the columns are [rest, positive] as in fer4j.
            String positive = g.node("Sigmoid", scores);
            String rest = g.node("Sub", g.scalar("one", 1f), positive);
            return g.node("Concat", Map.of("axis", 1L), rest, positive);
        }
        return g.node("Softmax", Map.of("axis", 1L), scores);
    }
}
