package io.github.fer4j.onnx;

import io.github.fer4j.cnn.CnnModel;
import java.util.List;
import java.util.Map;

/**
 * The int8 form of a fer4j CNN: the same views and softmax as {@link CnnGraph}, with batch norm folded into each
 * convolution ({@link FoldedCnn}) and the layers run on 8-bit integers. In residual networks each block's two branches are
 * dequantized, added and ReLU'd in float and coded again (ONNX's standard operators have no integer Add); the global
 * average pool and the output layer after it run in float. Weights are symmetric 7-bit codes in int8, one scale
 * per output channel; activations are uint8 with one scale per tensor, zero at code 0 (after a ReLU nothing is negative, so all
 * 256 codes cover what the layer gives; the saturating cast to uint8 is the ReLU), the input's range is known exactly
 * from the normalisation. Convolutions are ONNX's QLinearConv (uint8 x int8, int32 accumulation, ONNX Runtime's VNNI
 * kernels), max pools run on the uint8 codes (max commutes with a rising map), dense layers are MatMulInteger scaled
 * back to float.
 */
final class QuantizedCnnGraph {
    /**
     * Largest weight code: symmetric, so -63..63 and zero exactly zero. Seven bits, not eight ("reduce range"): x86 CPUs
     * without VNNI multiply uint8 by int8 with VPMADDUBSW, which adds pairs of products in 16 bits and saturates when
     * 2 x 255 x |w| passes 32,767. With codes up to 127 the shipped model read PrivateTest at 0.5874 on an AVX2-only
     * AMD EPYC against 0.6977 in fp32; with 63 (2 x 255 x 64 = 32,640) it reads 0.6963 there, and the same on every CPU.
     */
    private static final int WEIGHT_MAX = 63;
    /** Largest uint8 activation code. */
    private static final int ACTIVATION_MAX = 255;
    /** A signed value's zero code, and how many codes it has on the shorter side of it (1..127 below, 129..255 above). */
    private static final int SIGNED_ZERO = 128;
    private static final int SIGNED_MAX = 127;

    private QuantizedCnnGraph() {
    }

    /**
     * Which layers stay fp32, the usual remedy when int8 loses accuracy: the first convolution (one input channel, a
     * small share of the work) and the output dense layer (the logits).
     */
    record FloatLayers(boolean firstConvolution, boolean outputDense) {
        static final FloatLayers NONE = new FloatLayers(false, false);
    }

    /** A value in the graph: uint8 codes with their scale and zero point, or float (scale 0). */
    private record Value(String name, float scale, int zeroPoint) {
        boolean quantized() {
            return scale > 0;
        }
    }

    /** Adds the nodes that turn {@code pixels} into the probabilities of the int8 {@code cnn}; returns that value. */
    static String probabilities(OnnxGraph g, String pixels, CnnModel cnn, Int8Calibration calibration, FloatLayers floats) {
        FoldedCnn folded = FoldedCnn.of(cnn);
        float[] ranges = calibration.ranges();
        if (ranges.length != folded.activationCount()) {
            throw new OnnxExporter.NotExpressible("the calibration has " + ranges.length + " activation ranges, the network "
                    + folded.activationCount());
        }
        // The normalised input spans (0 - mean) / std .. (1 - mean) / std exactly: 255 steps of 1 / (255 std).
        float low = -cnn.mean() / cnn.std();
        float high = (1 - cnn.mean()) / cnn.std();
        float inputScale = (high - low) / ACTIVATION_MAX;
        int inputZero = Math.max(0, Math.min(ACTIVATION_MAX, Math.round(-low / inputScale)));
        Writer writer = new Writer(g, ranges, floats, new Value(CnnGraph.normalizedViews(g, pixels, cnn), 0, 0), inputScale, inputZero);
        Value logits = writer.steps(folded.steps(), writer.input, true);
        if (logits.quantized()) {
            throw new OnnxExporter.NotExpressible("the network ends without a dense layer");
        }
        return CnnGraph.averageOverViews(g, g.node("Softmax", Map.of("axis", 1L), logits.name()), cnn);
    }

    /** Walks the folded network, taking the activation ranges in {@link FoldedCnn}'s order. */
    private static final class Writer {
        private final OnnxGraph g;
        private final float[] ranges;
        private final FloatLayers floats;
        private final Value input;
        private final float inputScale;
        private final int inputZero;
        private int activation;
        private boolean firstConvolution = true;

        Writer(OnnxGraph g, float[] ranges, FloatLayers floats, Value input, float inputScale, int inputZero) {
            this.g = g;
            this.ranges = ranges;
            this.floats = floats;
            this.input = input;
            this.inputScale = inputScale;
            this.inputZero = inputZero;
        }

        /** Writes {@code steps} on {@code x}; {@code top} is the network's own list (whose last dense layer gives the logits). */
        Value steps(List<FoldedCnn.Step> steps, Value x, boolean top) {
            int lastDense = -1;
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i) instanceof FoldedCnn.Dense) {
                    lastDense = i;
                }
            }
            for (int i = 0; i < steps.size(); i++) {
                FoldedCnn.Step step = steps.get(i);
                if (step instanceof FoldedCnn.Convolution c) {
                    x = convolution(x, c);
                } else if (step instanceof FoldedCnn.Pool) {
                    // Max commutes with a rising map: the pool runs on the codes.
                    x = new Value(g.node("MaxPool", FoldedCnn.POOL, x.name()), x.scale(), x.zeroPoint());
                } else if (step instanceof FoldedCnn.Residual r) {
                    x = residual(x, r);
                } else if (step instanceof FoldedCnn.GlobalAveragePool) {
                    // The mean of uint8 codes is not a code: the pool and what follows it run in float.
                    x = new Value(g.node("GlobalAveragePool", toFloat(x)), 0, 0);
                } else if (step instanceof FoldedCnn.Flatten) {
                    x = new Value(g.node("Flatten", Map.of("axis", 1L), x.name()), x.scale(), x.zeroPoint());
                } else if (step instanceof FoldedCnn.Dense d) {
                    boolean output = top && i == lastDense;
                    x = dense(x, d, output, top && i < lastDense && nextIsOutput(steps, i, lastDense));
                }
            }
            return x;
        }

        /** Whether the dense layer after step {@code i} is the output layer and stays float. */
        private boolean nextIsOutput(List<FoldedCnn.Step> steps, int i, int lastDense) {
            for (int j = i + 1; j < steps.size(); j++) {
                if (steps.get(j) instanceof FoldedCnn.Dense) {
                    return j == lastDense && floats.outputDense();
                }
            }
            return false;
        }

        private Value convolution(Value x, FoldedCnn.Convolution c) {
            float range = ranges[activation++];
            boolean first = firstConvolution;
            firstConvolution = false;
            // A ReLU output is coded 0..255 from zero; a signed one (a residual branch's end) around 128, symmetric.
            float outScale = c.relu() ? range / ACTIVATION_MAX : range / SIGNED_MAX;
            int outZero = c.relu() ? 0 : SIGNED_ZERO;
            if (first && floats.firstConvolution()) {
                String y = g.node("Conv", CnnGraph.convolution(c.conv()), toFloat(x), g.constant("conv_weight", c.layer().shape(),
                        c.layer().weights()), g.constant("conv_bias", new long[] {c.layer().outputs()}, c.layer().bias()));
                return quantize(g, y, outScale, outZero);
            }
            if (!x.quantized()) {
                x = quantize(g, x.name(), inputScale, inputZero);
            }
            return QuantizedCnnGraph.convolution(g, x, c, outScale, outZero);
        }

        /**
         * A residual block: each branch's end is dequantized, the sum and its ReLU run in float, and the result is coded
         * again from zero (the saturating cast is the ReLU). ONNX has no standard integer Add.
         */
        private Value residual(Value x, FoldedCnn.Residual r) {
            if (!x.quantized()) {
                x = quantize(g, x.name(), inputScale, inputZero);
            }
            Value main = steps(r.main(), x, false);
            Value shortcut = r.shortcut().isEmpty() ? x : steps(r.shortcut(), x, false);
            String sum = g.node("Add", toFloat(main), toFloat(shortcut));
            float range = ranges[activation++];
            if (r.relu()) {
                return quantize(g, sum, range / ACTIVATION_MAX, 0);
            }
            return quantize(g, sum, range / SIGNED_MAX, SIGNED_ZERO);
        }

        /** A dense layer: in float when its input is float or it is the output layer kept float, else on uint8 codes. */
        private Value dense(Value x, FoldedCnn.Dense d, boolean output, boolean nextFloat) {
            String y;
            if (!x.quantized() || output && floats.outputDense()) {
                y = g.node("Gemm", Map.of("transB", 1L), toFloat(x), g.constant("dense_weight", d.layer().shape(), d.layer().weights()),
                        g.constant("dense_bias", new long[] {d.layer().outputs()}, d.layer().bias()));
            } else {
                y = QuantizedCnnGraph.dense(g, x, d.layer());
            }
            if (output || !d.relu()) {
                return new Value(y, 0, 0);
            }
            // A hidden layer: ReLU, then uint8 codes for the next layer (the cast's floor at code 0 is the ReLU), unless
            // that layer stays float.
            float range = ranges[activation++];
            return nextFloat ? new Value(g.node("Relu", y), 0, 0) : quantize(g, y, range / ACTIVATION_MAX, 0);
        }

        private String toFloat(Value x) {
            return x.quantized() ? g.node("DequantizeLinear", x.name(), g.scalar("x_scale", x.scale()), g.uint8("x_zero", x.zeroPoint()))
                    : x.name();
        }
    }

    /** uint8 codes of the float {@code x}: clamp(round(x / scale) + zeroPoint, 0, 255). */
    private static Value quantize(OnnxGraph g, String x, float scale, int zeroPoint) {
        return new Value(g.node("QuantizeLinear", x, g.scalar("scale", scale), g.uint8("zero", zeroPoint)), scale, zeroPoint);
    }

    /**
     * A convolution with its folded bias (and its ReLU), as QLinearConv: y = (x - zx) sx * w sw + b, given as uint8 codes
     * of {@code outScale} around {@code outZero} (0 after a ReLU: the saturating cast is the ReLU). The bias is int32 codes
     * of sx * sw[c], the accumulator's own scale.
     */
    private static Value convolution(OnnxGraph g, Value x, FoldedCnn.Convolution step, float outScale, int outZero) {
        FoldedCnn.Layer conv = step.layer();
        int channels = conv.outputs();
        float[] weightScale = new float[channels];
        byte[] codes = weightCodes(conv, weightScale);
        int[] bias = new int[channels];
        for (int c = 0; c < channels; c++) {
            bias[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                    Math.round(conv.bias()[c] / ((double) x.scale() * weightScale[c]))));
        }
        String y = g.node("QLinearConv", CnnGraph.convolution(step.conv()), x.name(), g.scalar("x_scale", x.scale()), g.uint8("x_zero", x.zeroPoint()),
                g.int8s("w", conv.shape(), codes), g.constant("w_scale", new long[] {channels}, weightScale),
                g.int8s("w_zero", new long[] {channels}, new byte[channels]), g.scalar("y_scale", outScale),
                g.uint8("y_zero", outZero), g.int32s("bias", new long[] {channels}, bias));
        return new Value(y, outScale, outZero);
    }

    /**
     * A dense layer on uint8 codes: MatMulInteger gives sum (x - zx) q[m] as int32; times sx * sw[m], plus the float bias,
     * that is x W^T + b in float.
     */
    private static String dense(OnnxGraph g, Value x, FoldedCnn.Layer dense) {
        int units = dense.outputs();
        int inputs = dense.fanIn();
        float[] weightScale = new float[units];
        byte[] codes = weightCodes(dense, weightScale);
        // MatMulInteger multiplies [N, inputs] by [inputs, units]: the transpose of DJL's [units, inputs].
        byte[] transposed = new byte[codes.length];
        float[] scale = new float[units];
        for (int m = 0; m < units; m++) {
            for (int i = 0; i < inputs; i++) {
                transposed[i * units + m] = codes[m * inputs + i];
            }
            scale[m] = x.scale() * weightScale[m];
        }
        String accumulated = g.node("MatMulInteger", x.name(), g.int8s("w", new long[] {inputs, units}, transposed),
                g.uint8("x_zero", x.zeroPoint()));
        String real = g.node("Mul", g.node("Cast", Map.of("to", 1L), accumulated), g.constant("scale", new long[] {units}, scale));
        return g.node("Add", real, g.constant("bias", new long[] {units}, dense.bias()));
    }

    /** Symmetric codes of the layer's weights, one scale per output channel (its largest |w| is code {@link #WEIGHT_MAX}). */
    private static byte[] weightCodes(FoldedCnn.Layer layer, float[] scales) {
        int fanIn = layer.fanIn();
        float[] w = layer.weights();
        byte[] codes = new byte[w.length];
        for (int c = 0; c < layer.outputs(); c++) {
            float largest = 0;
            for (int i = 0; i < fanIn; i++) {
                largest = Math.max(largest, Math.abs(w[c * fanIn + i]));
            }
            // An all-zero channel: any scale codes it exactly.
            scales[c] = largest > 0 ? largest / WEIGHT_MAX : 1;
            for (int i = 0; i < fanIn; i++) {
                codes[c * fanIn + i] = (byte) Math.max(-WEIGHT_MAX, Math.min(WEIGHT_MAX, Math.round(w[c * fanIn + i] / scales[c])));
            }
        }
        return codes;
    }
}
