package io.github.fer4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.data.FaceSet;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * How far each activation of a CNN reaches on calibration faces: the magnitude the largest uint8 code stands for in the
 * int8 graph (code 255 of a ReLU output; code 255 or 1 of a signed value, coded around 128). Measured by running the fp32
 * network (batch norm folded) with every activation as a graph output.
 *
 * @param ranges one per activation, in {@link FoldedCnn}'s order: each convolution's output, each residual sum, each
 *               hidden dense layer's ReLU output
 * @param quantile the share of activation values at or below each range (1: the largest value seen)
 * @param faces how many calibration faces were run
 */
public record Int8Calibration(float[] ranges, double quantile, int faces) {
    /** Faces per calibration run. */
    private static final int BATCH = 64;
    /**
     * One activation value in this many is kept for the quantile: a fixed stride, so the same faces give the same sample;
     * a prime, so it does not line up with the channel or row length.
     */
    private static final int SAMPLE_STRIDE = 61;

    public Int8Calibration {
        ranges = ranges.clone();
        if (!(quantile > 0 && quantile <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1], got " + quantile);
        }
    }

    @Override
    public float[] ranges() {
        return ranges.clone();
    }

    /**
     * Runs {@code cnn} in fp32 on the faces {@code indices} of {@code faces} and takes each activation's {@code quantile}
     * (the sample's value at that share, or the largest value seen when it is 1); on {@code threads} threads (0: one per core).
     */
    static Int8Calibration measure(CnnModel cnn, FaceSet faces, int[] indices, double quantile, int threads) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("calibration needs at least one face");
        }
        FoldedCnn folded = FoldedCnn.of(cnn);
        OnnxGraph g = new OnnxGraph("fer4j_int8_calibration");
        g.input(OnnxExporter.INPUT, -1, 1, FaceSet.SIDE, FaceSet.SIDE);
        String logits = folded.writeFloat(g, CnnGraph.normalizedViews(g, OnnxExporter.INPUT, cnn));
        g.output(logits, "logits", -1, cnn.task().classCount());
        byte[] graph = g.model("calibration", "fer4j int8 calibration graph", Map.of()).toByteArray();
        return OnnxClassifier.onRoomyStack(() -> {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                if (threads > 0) {
                    options.setIntraOpNumThreads(threads);
                    options.setInterOpNumThreads(1);
                }
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                try (OrtSession session = env.createSession(graph, options)) {
                    return measure(session, env, folded.activationCount(), faces, indices, quantile);
                }
            } catch (OrtException e) {
                throw new IllegalStateException("int8 calibration of " + cnn.architecture().id() + " on ONNX Runtime: "
                        + e.getMessage(), e);
            }
        });
    }

    private static Int8Calibration measure(OrtSession session, OrtEnvironment env, int activations, FaceSet faces,
                                           int[] indices, double quantile) throws OrtException {
        float[] max = new float[activations];
        FloatSample[] samples = new FloatSample[activations];
        for (int a = 0; a < activations; a++) {
            samples[a] = new FloatSample();
        }
        byte[] pixels = faces.pixelArray();
        for (int start = 0; start < indices.length; start += BATCH) {
            int n = Math.min(BATCH, indices.length - start);
            float[] input = new float[n * FaceSet.PIXELS];
            for (int k = 0; k < n; k++) {
                int from = indices[start + k] * FaceSet.PIXELS;
                for (int p = 0; p < FaceSet.PIXELS; p++) {
                    input[k * FaceSet.PIXELS + p] = pixels[from + p] & 0xff;
                }
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input),
                    new long[] {n, 1, FaceSet.SIDE, FaceSet.SIDE});
                 OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, tensor))) {
                // The activations are the first outputs, in the order the graph declared them; the logits come last.
                for (int a = 0; a < activations; a++) {
                    FloatBuffer values = ((OnnxTensor) result.get(a)).getFloatBuffer();
                    for (int i = 0; values.hasRemaining(); i++) {
                        // The largest magnitude: a ReLU output's largest value, a signed value's (inside a residual block) either end.
                        float v = Math.abs(values.get());
                        max[a] = Math.max(max[a], v);
                        if (i % SAMPLE_STRIDE == 0) {
                            samples[a].add(v);
                        }
                    }
                }
            }
        }
        float[] ranges = new float[activations];
        for (int a = 0; a < activations; a++) {
            ranges[a] = quantile == 1 ? max[a] : samples[a].quantile(quantile);
            if (!(ranges[a] > 0)) {
                // A ReLU that never fires: any positive range codes its zeros exactly.
                ranges[a] = 1;
            }
        }
        return new Int8Calibration(ranges, quantile, indices.length);
    }

    /** A growing array of floats. */
    private static final class FloatSample {
        private float[] values = new float[1024];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        /** The value at share {@code q} of the sorted sample. */
        float quantile(double q) {
            float[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return sorted[(int) Math.min(size - 1, Math.floor(q * (size - 1)))];
        }
    }
}
