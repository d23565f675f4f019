package io.github.fer4j.onnx;

import io.github.fer4j.cnn.CnnModel;
import java.util.Map;

/**
 * The int8 form of a fer4j CNN: the same views and softmax as {@link CnnGraph}, with batch norm folded into each
 * convolution ({@link FoldedCnn}) and the layers run on 8-bit integers. Weights are symmetric 7-bit codes in int8, one scale
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
        Value x = new Value(CnnGraph.normalizedViews(g, pixels, cnn), 0, 0);
        int layer = 0;
        for (int stageSize : folded.stageSizes()) {
            for (int k = 0; k < stageSize; k++) {
                FoldedCnn.Layer conv = folded.convolutions().get(layer);
                float outScale = ranges[layer] / ACTIVATION_MAX;
                if (layer == 0 && floats.firstConvolution()) {
                    String y = g.node("Conv", FoldedCnn.CONV, x.name(), g.constant("conv_weight", conv.shape(), conv.weights()),
                            g.constant("conv_bias", new long[] {conv.outputs()}, conv.bias()));
                    x = quantize(g, y, outScale, 0);
                } else {
                    if (!x.quantized()) {
                        x = quantize(g, x.name(), inputScale, inputZero);
                    }
                    x = convolution(g, x, conv, outScale);
                }
                layer++;
            }
            x = new Value(g.node("MaxPool", FoldedCnn.POOL, x.name()), x.scale(), x.zeroPoint());
        }
        x = new Value(g.node("Flatten", Map.of("axis", 1L), x.name()), x.scale(), x.zeroPoint());
        for (int d = 0; d < folded.dense().size(); d++) {
            FoldedCnn.Layer dense = folded.dense().get(d);
            boolean output = d == folded.dense().size() - 1;
            String y;
            if (output && floats.outputDense()) {
                String in = x.quantized() ? g.node("DequantizeLinear", x.name(), g.scalar("x_scale", x.scale()),
                        g.uint8("x_zero", x.zeroPoint())) : x.name();
                y = g.node("Gemm", Map.of("transB", 1L), in, g.constant("dense_weight", dense.shape(), dense.weights()),
                        g.constant("dense_bias", new long[] {dense.outputs()}, dense.bias()));
            } else {
                y = dense(g, x, dense);
            }
            if (output) {
                return CnnGraph.averageOverViews(g, g.node("Softmax", Map.of("axis", 1L), y), cnn);
            }
            // A hidden layer: ReLU, then uint8 codes for the next layer (the cast's floor at code 0 is the ReLU),
            // unless that layer stays float.
            boolean nextFloat = d + 1 == folded.dense().size() - 1 && floats.outputDense();
            x = nextFloat ? new Value(g.node("Relu", y), 0, 0) : quantize(g, y, ranges[layer] / ACTIVATION_MAX, 0);
            layer++;
        }
        throw new OnnxExporter.NotExpressible("the network has no output layer");
    }

    /** uint8 codes of the float {@code x}: clamp(round(x / scale) + zeroPoint, 0, 255). */
    private static Value quantize(OnnxGraph g, String x, float scale, int zeroPoint) {
        return new Value(g.node("QuantizeLinear", x, g.scalar("scale", scale), g.uint8("zero", zeroPoint)), scale, zeroPoint);
    }

    /**
     * A 3x3 convolution with its folded bias and the ReLU, as QLinearConv: y = (x - zx) sx * w sw + b, given as uint8
     * codes of {@code outScale} (zero point 0). The bias is int32 codes of sx * sw[c], the accumulator's own scale.
     */
    private static Value convolution(OnnxGraph g, Value x, FoldedCnn.Layer conv, float outScale) {
        int channels = conv.outputs();
        float[] weightScale = new float[channels];
        byte[] codes = weightCodes(conv, weightScale);
        int[] bias = new int[channels];
        for (int c = 0; c < channels; c++) {
            bias[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                    Math.round(conv.bias()[c] / ((double) x.scale() * weightScale[c]))));
        }
        String y = g.node("QLinearConv", FoldedCnn.CONV, x.name(), g.scalar("x_scale", x.scale()), g.uint8("x_zero", x.zeroPoint()),
                g.int8s("w", conv.shape(), codes), g.constant("w_scale", new long[] {channels}, weightScale),
                g.int8s("w_zero", new long[] {channels}, new byte[channels]), g.scalar("y_scale", outScale),
                g.uint8("y_zero", 0), g.int32s("bias", new long[] {channels}, bias));
        return new Value(y, outScale, 0);
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
