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
 * <p>The network is a list of {@link Step}s in the order it runs. Its <em>activations</em>, the values the int8 graph
 * codes in uint8 and calibration measures, are in that order: each convolution's output (after its ReLU where one follows;
 * inside a residual block the main path's, then the shortcut's), each residual sum (after its ReLU), and each hidden dense
 * layer's ReLU output.
 *
 * @param steps the folded network
 */
record FoldedCnn(List<Step> steps) {
    /**
     * One linear layer: {@code weights} row-major with the output channel first ([out, in, k, k] for a convolution,
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

    /** One step of the folded network. */
    sealed interface Step permits Convolution, Pool, Residual, GlobalAveragePool, Flatten, Dense { }

    /** A convolution with its batch norm folded in, then a ReLU when {@code relu}. */
    record Convolution(Architecture.Conv conv, Layer layer, boolean relu) implements Step { }

    /** The 2x2 max pool. */
    record Pool() implements Step { }

    /** {@code main(x) + shortcut(x)} (an empty shortcut is x), then a ReLU when {@code relu}. */
    record Residual(List<Step> main, List<Step> shortcut, boolean relu) implements Step { }

    record GlobalAveragePool() implements Step { }

    record Flatten() implements Step { }

    /** A dense layer, then a ReLU when {@code relu} (a hidden layer). */
    record Dense(Layer layer, boolean relu) implements Step { }

    /** Folds the batch norms of {@code cnn}; NotExpressible when its parameters are not its architecture's. */
    static FoldedCnn of(CnnModel cnn) {
        Architecture architecture = cnn.architecture();
        Iterator<CnnModel.Tensor> parameters = cnn.parameterTensors().iterator();
        List<Step> steps = fold(architecture.nodes(cnn.task().classCount()), parameters);
        if (parameters.hasNext()) {
            throw new OnnxExporter.NotExpressible("the network has parameters beyond architecture " + architecture.id()
                    + " (" + parameters.next().name() + ")");
        }
        return new FoldedCnn(List.copyOf(steps));
    }

    private static List<Step> fold(List<Architecture.Node> nodes, Iterator<CnnModel.Tensor> parameters) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Architecture.Node node = nodes.get(i);
            boolean reluNext = i + 1 < nodes.size() && nodes.get(i + 1) instanceof Architecture.Relu;
            if (node instanceof Architecture.Conv c) {
                if (!(i + 1 < nodes.size() && nodes.get(i + 1) instanceof Architecture.BatchNorm)) {
                    throw new OnnxExporter.NotExpressible("a convolution without batch norm after it cannot be folded");
                }
                boolean relu = i + 2 < nodes.size() && nodes.get(i + 2) instanceof Architecture.Relu;
                steps.add(new Convolution(c, foldBatchNorm(c.out(), parameters), relu));
                i += relu ? 2 : 1;
            } else if (node instanceof Architecture.MaxPool) {
                steps.add(new Pool());
            } else if (node instanceof Architecture.Residual r) {
                List<Step> main = fold(r.main(), parameters);
                List<Step> shortcut = fold(r.shortcut(), parameters);
                steps.add(new Residual(List.copyOf(main), List.copyOf(shortcut), reluNext));
                i += reluNext ? 1 : 0;
            } else if (node instanceof Architecture.GlobalAveragePool) {
                steps.add(new GlobalAveragePool());
            } else if (node instanceof Architecture.Flatten) {
                steps.add(new Flatten());
            } else if (node instanceof Architecture.Dense d) {
                CnnModel.Tensor w = CnnGraph.next(parameters, "weight", d.out());
                steps.add(new Dense(new Layer(w.shape(), w.values(), CnnGraph.next(parameters, "bias", d.out()).values()), reluNext));
                i += reluNext ? 1 : 0;
            } else if (!(node instanceof Architecture.Dropout)) {
                throw new OnnxExporter.NotExpressible("cannot fold " + node + " on its own");
            }
        }
        return steps;
    }

    /** The next convolution's weight and batch norm, folded into one weight and bias. */
    private static Layer foldBatchNorm(int channels, Iterator<CnnModel.Tensor> parameters) {
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
        return new Layer(w.shape(), folded, bias);
    }

    /**
     * The fp32 network on the folded layers, writing into {@code g} from the normalised views {@code x}: the activations
     * (see the class comment) are made outputs of the graph, in that order, for calibration; returns the logits.
     */
    String writeFloat(OnnxGraph g, String x) {
        return writeFloat(g, x, steps);
    }

    private static String writeFloat(OnnxGraph g, String x, List<Step> steps) {
        for (Step step : steps) {
            if (step instanceof Convolution c) {
                x = g.node("Conv", CnnGraph.convolution(c.conv()), x, g.constant("conv_weight", c.layer().shape(), c.layer().weights()),
                        g.constant("conv_bias", new long[] {c.layer().outputs()}, c.layer().bias()));
                if (c.relu()) {
                    x = g.node("Relu", x);
                }
                g.extraOutput(x);
            } else if (step instanceof Pool) {
                x = g.node("MaxPool", POOL, x);
            } else if (step instanceof Residual r) {
                String main = writeFloat(g, x, r.main());
                String shortcut = r.shortcut().isEmpty() ? x : writeFloat(g, x, r.shortcut());
                x = g.node("Add", main, shortcut);
                if (r.relu()) {
                    x = g.node("Relu", x);
                }
                g.extraOutput(x);
            } else if (step instanceof GlobalAveragePool) {
                x = g.node("GlobalAveragePool", x);
            } else if (step instanceof Flatten) {
                x = g.node("Flatten", Map.of("axis", 1L), x);
            } else if (step instanceof Dense d) {
                x = g.node("Gemm", Map.of("transB", 1L), x, g.constant("dense_weight", d.layer().shape(), d.layer().weights()),
                        g.constant("dense_bias", new long[] {d.layer().outputs()}, d.layer().bias()));
                if (d.relu()) {
                    x = g.node("Relu", x);
                    g.extraOutput(x);
                }
            }
        }
        return x;
    }

    /** How many activations {@link #writeFloat} makes outputs (see the class comment). */
    int activationCount() {
        return activationCount(steps);
    }

    private static int activationCount(List<Step> steps) {
        int n = 0;
        for (Step step : steps) {
            if (step instanceof Convolution) {
                n++;
            } else if (step instanceof Residual r) {
                n += activationCount(r.main()) + activationCount(r.shortcut()) + 1;
            } else if (step instanceof Dense d && d.relu()) {
                n++;
            }
        }
        return n;
    }

    static final Map<String, Object> POOL = Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2},
            "ceil_mode", 1L);
}
