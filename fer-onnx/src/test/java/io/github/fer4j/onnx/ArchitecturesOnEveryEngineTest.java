package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnConfig;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.DjlParameters;
import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.pytorch.CnnTrainer;
import io.github.fer4j.pytorch.PyTorchEngine;
import io.github.fer4j.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every architecture, plain and residual, runs the same on PyTorch (DJL) and on ONNX Runtime: parameters written by
 * fer-cnn's plain-Java writer load on both, and the probabilities agree within {@link OnnxEngineTest#TOLERANCE}. A trained
 * residual net also runs in int8 within the int8 engine's bounds.
 */
class ArchitecturesOnEveryEngineTest {
    /**
     * Random parameters of the scale training leaves: He-scaled convolution weights, batch norms near the identity with
     * running statistics that differ from it, dense weights of variance 1 / fan-in.
     */
    static StoredCnn randomNetwork(Architecture architecture, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> values = new ArrayList<>();
        for (Architecture.ParameterSpec spec : architecture.parameterSpecs(7)) {
            float[] v = new float[(int) spec.size()];
            String name = spec.name();
            long[] shape = spec.shape();
            double fanIn = shape.length > 1 ? (double) spec.size() / shape[0] : 1;
            for (int i = 0; i < v.length; i++) {
                double u = 2 * random.nextDouble() - 1;
                v[i] = (float) (name.endsWith(".weight") && name.startsWith("conv") ? random.nextGaussian() * Math.sqrt(2 / fanIn)
                        : name.endsWith(".weight") ? random.nextGaussian() / Math.sqrt(fanIn)
                        : name.endsWith("gamma") ? 1 + 0.2 * u
                        : name.endsWith("running_var") ? 1 + 0.5 * u
                        : 0.1 * u);
            }
            values.add(v);
        }
        return new StoredCnn(Task.EMOTIONS, architecture, 0.5f, 0.25f, TestTimeAugmentation.NONE, ModelInfo.NONE,
                DjlParameters.write(architecture, 7, values));
    }

    private static double maxDifference(CnnModel a, CnnModel b, FaceSet faces, int[] indices) {
        float[][] x = a.probabilities(faces, indices);
        float[][] y = b.probabilities(faces, indices);
        double max = 0;
        for (int k = 0; k < indices.length; k++) {
            for (int c = 0; c < x[k].length; c++) {
                max = Math.max(max, Math.abs(x[k][c] - y[k][c]));
            }
        }
        return max;
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void pyTorchAndOnnxRuntimeAgree(Architecture architecture) throws Exception {
        FaceSet faces = SyntheticFaces.generate(12, 5);
        int[] all = IntStream.range(0, faces.size()).toArray();
        StoredCnn stored = randomNetwork(architecture, 17);
        CnnModel torch = new PyTorchEngine().open(stored);
        CnnModel onnx = new OnnxRuntimeEngine().open(stored);
        for (TestTimeAugmentation tta : List.of(TestTimeAugmentation.NONE, TestTimeAugmentation.FLIP)) {
            double max = maxDifference(torch.withTestTimeAugmentation(tta), onnx.withTestTimeAugmentation(tta), faces, all);
            System.out.printf("%s (%s): max |PyTorch - ONNX Runtime| %.2e%n", architecture.id(), tta.id(), max);
            assertTrue(max < OnnxEngineTest.TOLERANCE, architecture.id() + " " + tta.id() + ": " + max);
        }
    }

    @Test
    void aTrainedResidualNetRunsInInt8() throws Exception {
        FaceSet faces = SyntheticFaces.generate(450, 11);
        CnnConfig config = CnnConfig.defaults(Architecture.TINY_RESIDUAL, 1, 3).with(c -> c.batchSize = 32);
        CnnModel trained = (CnnModel) new CnnTrainer(config).fitAll(faces, Task.EMOTIONS, List.of());
        int[] test = IntStream.range(0, faces.size()).filter(i -> faces.split(i) != Split.TRAINING).toArray();
        CnnModel fp32 = new OnnxRuntimeEngine().open(trained.stored());
        assertTrue(maxDifference(trained, fp32, faces, test) < OnnxEngineTest.TOLERANCE);
        CnnModel int8 = OnnxInt8Engine.open(trained.stored(), faces,
                IntStream.range(0, faces.size()).filter(i -> faces.split(i) == Split.TRAINING).toArray(), 1.0,
                QuantizedCnnGraph.FloatLayers.NONE);
        assertEquals(OnnxInt8Engine.ID, int8.engine());
        java.util.Set<String> operators = new java.util.TreeSet<>();
        ai.onnx.proto.OnnxMl.ModelProto.parseFrom(((OnnxCnn) int8).graphBytes()).getGraph().getNodeList()
                .forEach(n -> operators.add(n.getOpType()));
        assertTrue(operators.containsAll(List.of("QLinearConv", "Add", "DequantizeLinear", "GlobalAveragePool")), operators.toString());
        assertTrue(!operators.contains("Conv") && !operators.contains("BatchNormalization"), operators.toString());
        float[][] x = fp32.probabilities(faces, test);
        float[][] y = int8.probabilities(faces, test);
        int same = 0;
        double max = 0;
        double sum = 0;
        for (int k = 0; k < test.length; k++) {
            same += top(x[k]) == top(y[k]) ? 1 : 0;
            for (int c = 0; c < 7; c++) {
                max = Math.max(max, Math.abs(x[k][c] - y[k][c]));
                sum += Math.abs(x[k][c] - y[k][c]);
            }
        }
        double mean = sum / (7.0 * test.length);
        System.out.printf("tinyres int8 against fp32: same class on %d of %d faces, max |difference| %.4f, mean %.5f%n", same,
                test.length, max, mean);
        assertTrue(same >= 0.95 * test.length, "same class on " + same + " of " + test.length);
        assertTrue(max < Int8EngineTest.MAX_DIFFERENCE, "max |int8 - fp32| " + max);
        assertTrue(mean < Int8EngineTest.MEAN_DIFFERENCE, "mean |int8 - fp32| " + mean);
    }

    private static int top(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            best = p[c] > p[best] ? c : best;
        }
        return best;
    }
}
