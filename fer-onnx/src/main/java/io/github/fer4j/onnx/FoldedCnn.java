package io.github.fer4j.onnx;

import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A fer4j CNN with each batch norm folded into the convolution before it, so that every layer is one linear map plus a
 * bias: the form the int8 graph quantizes. Folding is exact up to float rounding: BN(conv(x, w)) = conv(x, w') + b'.
 *
 * @param convolutions the convolutions in order, stage by stage
 * @param stageSizes how many convolutions each stage holds (a 2x2 max pool follows each stage)
 * @param dense the dense layers in order: the hidden one (followed by ReLU) if the architecture has it, then the output
 */
record FoldedCnn(List<Layer> convolutions, int[] stageSizes, List<Layer> dense) {
    /**
     * One linear layer: {@code weights} row-major with the output channel first ([out, in, 3, 3] for a convolution,
     * [out, in] for a dense layer), and one bias per output channel.
     */
    record Layer(long[] shape, float[] weights, float[] bias) {
        int outputs() {
            return (int) shape[0];
        }

        /** Weights per output channel. */
        int fanIn() {
            return weights.length / outputs();
        }
    }

    /** Folds the batch norms of {@code cnn}; NotExpressible when its parameters are not its architecture's. */
    static FoldedCnn of(CnnModel cnn) {
        Architecture architecture = cnn.architecture();
        Iterator<CnnModel.Tensor> parameters = cnn.parameterTensors().iterator();
        List<Layer> convolutions = new ArrayList<>();
        int[][] stages = architecture.stages();
        int[] stageSizes = new int[stages.length];
        for (int s = 0; s < stages.length; s++) {
            stageSizes[s] = stages[s].length;
            for (int channels : stages[s]) {
                CnnModel.Tensor w = CnnGraph.next(parameters, "weight", channels);
                float[] gamma = CnnGraph.next(parameters, "gamma", channels).values();
                float[] beta = CnnGraph.next(parameters, "beta", channels).values();
                float[] mean = CnnGraph.next(parameters, "runningmean", channels).values();
                float[] var = CnnGraph.next(parameters, "runningvar", channels).values();
                float[] folded = new float[w.values().length];
                float[] bias = new float[channels];
                int fanIn = folded.length / channels;
                for (int c = 0; c < channels; c++) {
                    // BN(y) = gamma (y - mean) / sqrt(var + eps) + beta = k y + (beta - k mean), with k = gamma / sqrt(var + eps).
                    double k = gamma[c] / Math.sqrt((double) var[c] + Architecture.BATCH_NORM_EPSILON);
                    for (int i = 0; i < fanIn; i++) {
                        folded[c * fanIn + i] = (float) (k * w.values()[c * fanIn + i]);
                    }
                    bias[c] = (float) (beta[c] - k * mean[c]);
                }
                convolutions.add(new Layer(w.shape(), folded, bias));
            }
        }
        List<Layer> dense = new ArrayList<>();
        if (architecture.hidden() > 0) {
            dense.add(dense(parameters, architecture.hidden()));
        }
        dense.add(dense(parameters, cnn.task().classCount()));
        if (parameters.hasNext()) {
            throw new OnnxExporter.NotExpressible("the network has parameters beyond architecture " + architecture.id()
                    + " (" + parameters.next().name() + ")");
        }
        return new FoldedCnn(List.copyOf(convolutions), stageSizes, List.copyOf(dense));
    }

    private static Layer dense(Iterator<CnnModel.Tensor> parameters, int units) {
        CnnModel.Tensor w = CnnGraph.next(parameters, "weight", units);
        return new Layer(w.shape(), w.values(), CnnGraph.next(parameters, "bias", units).values());
    }

    /**
     * The fp32 network on the folded layers, writing into {@code g} from the normalised views {@code x}: the values after
     * each ReLU (every convolution's and the hidden dense layer's) are made outputs of the graph, in that order, for
     * calibration; returns the logits.
     */
    String writeFloat(OnnxGraph g, String x) {
        int layer = 0;
        for (int stageSize : stageSizes) {
            for (int k = 0; k < stageSize; k++) {
                Layer conv = convolutions.get(layer++);
                x = g.node("Relu", g.node("Conv", CONV, x, g.constant("conv_weight", conv.shape(), conv.weights()),
                        g.constant("conv_bias", new long[] {conv.outputs()}, conv.bias())));
                g.extraOutput(x);
            }
            x = g.node("MaxPool", POOL, x);
        }
        x = g.node("Flatten", Map.of("axis", 1L), x);
        for (int d = 0; d < dense.size(); d++) {
            Layer layerD = dense.get(d);
            x = g.node("Gemm", Map.of("transB", 1L), x, g.constant("dense_weight", layerD.shape(), layerD.weights()),
                    g.constant("dense_bias", new long[] {layerD.outputs()}, layerD.bias()));
            if (d < dense.size() - 1) {
                x = g.node("Relu", x);
                g.extraOutput(x);
            }
        }
        return x;
    }

    /** How many values {@link #writeFloat} makes outputs: one per convolution and one per hidden dense layer. */
    int activationCount() {
        return convolutions.size() + dense.size() - 1;
    }

    static final Map<String, Object> CONV = Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1});
    static final Map<String, Object> POOL = Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2},
            "ceil_mode", 1L);
}
