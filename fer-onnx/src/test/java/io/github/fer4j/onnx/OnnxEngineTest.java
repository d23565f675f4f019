package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.pytorch.CnnClassifier;
import io.github.fer4j.pytorch.PyTorchEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With fer-onnx on the class path a stored CNN runs on ONNX Runtime by default, and gives PyTorch's probabilities (the
 * plain path) within 1e-4 under every test-time view, batched and one face at a time; {@code fer.engine} chooses PyTorch;
 * the model saves back as the same CNN file; a damaged one is refused with the array that is wrong.
 */
class OnnxEngineTest {
    static final float TOLERANCE = 1e-4f;

    @TempDir
    Path dir;

    static FaceSet faces;
    static CnnClassifier trained;
    static int[] test;

    @BeforeAll
    static void train() throws Exception {
        TinyTrainedCnn tiny = TinyTrainedCnn.get();
        faces = tiny.faces();
        trained = tiny.trained();
        test = tiny.test();
    }

    @AfterEach
    void defaultEngine() {
        System.clearProperty(CnnEngine.PROPERTY);
    }

    private static double maxDifference(Classifier a, Classifier b) {
        float[][] x = a.probabilities(faces, test);
        float[][] y = b.probabilities(faces, test);
        double max = 0;
        for (int k = 0; k < test.length; k++) {
            for (int c = 0; c < x[k].length; c++) {
                max = Math.max(max, Math.abs(x[k][c] - y[k][c]));
            }
        }
        for (int k = 0; k < 20; k++) {
            float[] one = b.probabilities(faces.face(test[k]));
            for (int c = 0; c < one.length; c++) {
                max = Math.max(max, Math.abs(x[k][c] - one[c]));
            }
        }
        return max;
    }

    @Test
    void onnxRuntimeIsTheDefaultAndGivesPyTorchsProbabilities() throws Exception {
        Path file = dir.resolve("tiny.fer");
        ModelFile.save(trained, file);
        Classifier loaded = ModelFile.load(file);
        CnnModel cnn = assertInstanceOf(CnnModel.class, loaded);
        assertEquals(OnnxRuntimeEngine.ID, cnn.engine());
        assertEquals(CnnClassifier.KIND, cnn.kind());
        assertEquals(trained.info().toJson(), cnn.info().toJson());
        for (TestTimeAugmentation tta : TestTimeAugmentation.values()) {
            double max = maxDifference(trained.withTestTimeAugmentation(tta), cnn.withTestTimeAugmentation(tta));
            assertTrue(max < TOLERANCE, tta.id() + ": max |PyTorch - ONNX Runtime| " + max);
        }
    }

    @Test
    void thePropertyChoosesPyTorch() throws Exception {
        Path file = dir.resolve("tiny.fer");
        ModelFile.save(trained, file);
        System.setProperty(CnnEngine.PROPERTY, PyTorchEngine.ID);
        CnnModel cnn = assertInstanceOf(CnnClassifier.class, ModelFile.load(file));
        assertEquals(PyTorchEngine.ID, cnn.engine());
        // Same engine, same numbers; only a batch of one may differ from the batch in the last bit.
        assertTrue(maxDifference(trained, cnn) < 1e-6);
        System.setProperty(CnnEngine.PROPERTY, "tensorflow");
        String message = assertThrows(InvalidInputException.class, () -> ModelFile.load(file)).getMessage();
        assertTrue(message.contains("'tensorflow' is not one of [onnxruntime, onnxruntime-int8, pytorch]"), message);
    }

    @Test
    void savesBackAsTheSameCnnFile() throws Exception {
        Path first = dir.resolve("first.fer");
        Path second = dir.resolve("second.fer");
        ModelFile.save(trained, first);
        Classifier onOnnx = ModelFile.load(first);
        ModelFile.save(onOnnx, second);
        assertArrayEquals(ModelFile.entries(Files.newInputStream(first)).get("parameters.djl"),
                ModelFile.entries(Files.newInputStream(second)).get("parameters.djl"));
        System.setProperty(CnnEngine.PROPERTY, PyTorchEngine.ID);
        assertTrue(maxDifference(trained, ModelFile.load(second)) < 1e-6);
    }

    @Test
    void anArrayOfTheWrongShapeIsRefusedByName() throws Exception {
        Path file = dir.resolve("tiny.fer");
        ModelFile.save(trained, file);
        Map<String, byte[]> entries = new TreeMap<>(ModelFile.entries(Files.newInputStream(file)));
        byte[] parameters = entries.get("parameters.djl").clone();
        // The first array's shape starts 8 bytes into its encoding's shape: make its first dimension (8 filters) 9.
        int at = indexOf(parameters, "FLOAT32".getBytes()) + "FLOAT32".length() + 4 + 7;
        assertEquals(8, parameters[at]);
        parameters[at] = 9;
        entries.put("parameters.djl", parameters);
        Path damaged = dir.resolve("damaged.fer");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(damaged))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ModelFile.put(zip, e.getKey(), e.getValue());
            }
        }
        String message = assertThrows(InvalidInputException.class, () -> ModelFile.load(damaged)).getMessage();
        assertTrue(message.startsWith(damaged + ": damaged cnn model: the parameters of architecture tiny"), message);
    }

    private static int indexOf(byte[] data, byte[] word) {
        outer:
        for (int i = 0; i + word.length <= data.length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (data[i + j] != word[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
