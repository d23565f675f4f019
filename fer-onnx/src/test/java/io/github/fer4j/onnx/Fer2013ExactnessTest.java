package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fer4j.TestData;
import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.pytorch.PyTorchEngine;
import io.github.fer4j.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactness gate on real faces: each network of the shipped ensemble and a softmax on pixels, exported and run by ONNX Runtime,
 * give DJL's / fer4j's probabilities within 1e-4 on the first 1,000 PrivateTest faces. Skipped without FER2013.
 */
class Fer2013ExactnessTest {
    /** The shipped model, as a file of the source tree (fer-vision holds it; fer-onnx sees fer-vision only in its tests). */
    static final Path SHIPPED = Path.of("../fer-models/src/main/resources/io/github/fer4j/models/default.fer");

    @TempDir
    Path dir;

    static FaceSet faces;
    static int[] test;

    @BeforeAll
    static void read() {
        var data = TestData.fer2013();
        assumeTrue(data.isPresent(), TestData.MISSING);
        faces = Fer2013Reader.read(data.get());
        test = Arrays.copyOf(faces.indices(Split.PRIVATE_TEST), 1000);
    }

    private double maxDifference(Classifier model, String name) throws Exception {
        Path file = dir.resolve(name + ".onnx");
        OnnxExporter.export(model, name, file);
        Classifier onnx = ModelFile.load(file);
        float[][] expected = model.probabilities(faces, test);
        float[][] actual = onnx.probabilities(faces, test);
        double max = 0;
        for (int k = 0; k < test.length; k++) {
            for (int c = 0; c < expected[k].length; c++) {
                max = Math.max(max, Math.abs(expected[k][c] - actual[k][c]));
            }
        }
        System.out.printf("%s: max |DJL/fer4j - ONNX Runtime| over %d PrivateTest faces = %.3g%n", name, test.length, max);
        return max;
    }

    /** The shipped model's networks on the default engine: the ensemble's CNN members (or the model, were it one CNN). */
    static List<CnnModel> shippedNetworks() throws Exception {
        Classifier shipped = ModelFile.load(SHIPPED);
        List<Classifier> networks = shipped instanceof EnsembleClassifier ensemble ? ensemble.members() : List.of(shipped);
        return networks.stream().map(CnnModel.class::cast).toList();
    }

    @Test
    void shippedCnnMatchesOnPrivateTest() throws Exception {
        assumeTrue(Files.isRegularFile(SHIPPED), "the shipped model is not at " + SHIPPED.toAbsolutePath());
        // PyTorch through DJL is the reference; ONNX Runtime, the default engine, would compare the graph with itself.
        List<CnnModel> networks = shippedNetworks();
        for (int m = 0; m < networks.size(); m++) {
            CnnModel onPyTorch = CnnEngine.named(PyTorchEngine.ID).open(networks.get(m).stored());
            double max = maxDifference(onPyTorch, "shipped-cnn-" + m);
            assertTrue(max < 1e-4, "network " + m + ": max |difference| " + max);
        }
    }

    /** The default engine (ONNX Runtime) against PyTorch on the shipped networks: the same answers and the same accuracy. */
    @Test
    void shippedCnnOnTheDefaultEngineScoresAsOnPyTorch() throws Exception {
        assumeTrue(Files.isRegularFile(SHIPPED), "the shipped model is not at " + SHIPPED.toAbsolutePath());
        for (CnnModel onOnnx : shippedNetworks()) {
            compareWithPyTorch(onOnnx);
        }
    }

    private static void compareWithPyTorch(CnnModel onOnnx) throws Exception {
        assertEquals(OnnxRuntimeEngine.ID, onOnnx.engine());
        CnnModel onPyTorch = CnnEngine.named(PyTorchEngine.ID).open(onOnnx.stored());
        float[][] expected = onPyTorch.probabilities(faces, test);
        float[][] actual = onOnnx.probabilities(faces, test);
        double max = 0;
        int agree = 0;
        for (int k = 0; k < test.length; k++) {
            int a = 0;
            int b = 0;
            for (int c = 0; c < expected[k].length; c++) {
                max = Math.max(max, Math.abs(expected[k][c] - actual[k][c]));
                a = expected[k][c] > expected[k][a] ? c : a;
                b = actual[k][c] > actual[k][b] ? c : b;
            }
            agree += a == b ? 1 : 0;
        }
        System.out.printf("shipped cnn, default engine: max |PyTorch - ONNX Runtime| = %.3g, same class on %d of %d%n", max, agree, test.length);
        assertTrue(max < 1e-4, "max |difference| " + max);
        assertTrue(agree >= test.length - 2, agree + " of " + test.length + " faces get the same class");
    }

    @Test
    void softmaxOnPixelsMatchesOnPrivateTest() throws Exception {
        Classifier softmax = LinearTrainer.softmax(SgdConfig.defaults().with(c -> c.epochs = 3)).fitAll(faces, Task.EMOTIONS, List.of());
        double max = maxDifference(softmax, "softmax-pixels");
        assertTrue(max < 1e-4, "max |difference| " + max);
    }
}
