package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnConfig;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.features.HogFeatures;
import io.github.fer4j.features.LbpFeatures;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.pytorch.CnnClassifier;
import io.github.fer4j.pytorch.CnnTrainer;
import io.github.fer4j.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exported graphs give fer4j's own probabilities, to 1e-4, on synthetic faces (no data needed): softmax and logistic
 * regression on pixels, a small CNN under each test-time view set, and an ensemble of them with weights and a temperature.
 */
class ExportExactnessTest {
    static final float TOLERANCE = 1e-4f;

    @TempDir
    Path dir;

    static FaceSet faces;
    static Classifier softmax;
    static CnnClassifier cnn;

    @BeforeAll
    static void train() throws Exception {
        faces = SyntheticFaces.generate(700, 5);
        softmax = LinearTrainer.softmax(SgdConfig.defaults().with(c -> c.epochs = 3)).fitAll(faces, Task.EMOTIONS, List.of());
        CnnConfig config = CnnConfig.defaults(Architecture.TINY, 1, 3).with(c -> c.batchSize = 32);
        cnn = (CnnClassifier) new CnnTrainer(config).fitAll(faces, Task.EMOTIONS, List.of());
    }

    /** The largest |difference| between the model and its exported graph run by ONNX Runtime, on every test face. */
    private double maxDifference(Classifier model) throws Exception {
        Path file = dir.resolve(model.kind() + ".onnx");
        OnnxExporter.export(model, model.kind() + " model", file);
        Classifier onnx = ModelFile.load(file);
        assertInstanceOf(OnnxClassifier.class, onnx);
        assertEquals(model.classNames(), onnx.classNames());
        int[] test = IntStream.range(0, faces.size()).filter(i -> faces.split(i) != Split.TRAINING).toArray();
        float[][] expected = model.probabilities(faces, test);
        float[][] actual = onnx.probabilities(faces, test);
        double max = 0;
        for (int k = 0; k < test.length; k++) {
            for (int c = 0; c < expected[k].length; c++) {
                max = Math.max(max, Math.abs(expected[k][c] - actual[k][c]));
            }
        }
        // One face at a time (a batch of one) gives the same as the batch.
        float[] one = onnx.probabilities(faces.face(test[0]));
        for (int c = 0; c < one.length; c++) {
            max = Math.max(max, Math.abs(expected[0][c] - one[c]));
        }
        return max;
    }

    @Test
    void softmaxOnPixelsExportsExactly() throws Exception {
        double max = maxDifference(softmax);
        assertTrue(max < TOLERANCE, "max |difference| " + max);
    }

    @Test
    void logisticOnPixelsExportsExactly() throws Exception {
        Classifier logistic = LinearTrainer.logistic(SgdConfig.defaults().with(c -> c.epochs = 2)).fitAll(faces, Task.HAPPY, List.of());
        double max = maxDifference(logistic);
        assertTrue(max < TOLERANCE, "max |difference| " + max);
    }

    @Test
    void cnnExportsExactlyUnderEveryTestTimeView() throws Exception {
        for (TestTimeAugmentation tta : TestTimeAugmentation.values()) {
            double max = maxDifference(cnn.withTestTimeAugmentation(tta));
            assertTrue(max < TOLERANCE, tta.id() + ": max |difference| " + max);
        }
    }

    @Test
    void ensembleWithWeightsAndTemperatureExportsExactly() throws Exception {
        EnsembleClassifier ensemble = new EnsembleClassifier(Task.EMOTIONS, List.of(softmax, cnn.withTestTimeAugmentation(TestTimeAugmentation.FLIP)),
                List.of("softmax", "cnn"), new double[] {0.3, 0.7}, 1.7, ModelInfo.NONE);
        double max = maxDifference(ensemble);
        assertTrue(max < TOLERANCE, "max |difference| " + max);
    }

    @Test
    void graphDescribesItselfInItsMetadata() throws Exception {
        Path file = dir.resolve("cnn.onnx");
        OnnxExporter.export(cnn.withTestTimeAugmentation(TestTimeAugmentation.CROPS), "cnn.fer", file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            Map<String, String> m = session.getMetadata().getCustomMetadata();
            assertEquals(OnnxMetadata.FORMAT_VALUE, m.get(OnnxMetadata.FORMAT));
            assertEquals("[\"Angry\",\"Disgust\",\"Fear\",\"Happy\",\"Sad\",\"Surprise\",\"Neutral\"]", m.get(OnnxMetadata.CLASS_NAMES));
            assertEquals("crops", m.get(OnnxMetadata.TTA));
            assertEquals("centre 44x44 of the 48x48 face, inside the graph", m.get(OnnxMetadata.CROP));
            assertTrue(m.get(OnnxMetadata.INPUT_LAYOUT).contains("[N, 1, 48, 48]"));
            assertEquals(List.of(OnnxExporter.INPUT), List.copyOf(session.getInputNames()));
            // The batch dimension is dynamic.
            long[] shape = ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(OnnxExporter.INPUT).getInfo()).getShape();
            assertEquals(-1, shape[0]);
        }
    }

    @Test
    void hogAndLbpModelsAreRefusedWithTheReasonAndNoFileIsLeft() throws Exception {
        for (var features : List.of(HogFeatures.defaults(), LbpFeatures.defaults())) {
            Classifier model = LinearTrainer.softmax(SgdConfig.defaults().with(c -> c.epochs = 1)).withFeatures(features)
                    .fitAll(faces, Task.EMOTIONS, List.of());
            Path out = dir.resolve(features.name() + ".onnx");
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> OnnxExporter.export(model, "model-" + features.name() + ".fer", out));
            assertTrue(e.getMessage().startsWith("model-" + features.name() + ".fer: cannot be exported to ONNX"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + features.name() + "'"), e.getMessage());
            assertFalse(Files.exists(out));
        }
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "no partial or temporary file");
        }
    }

    @Test
    void anEnsembleNamesTheMemberThatCannotBeExported() throws Exception {
        Classifier hog = LinearTrainer.softmax(SgdConfig.defaults().with(c -> c.epochs = 1)).withFeatures(HogFeatures.defaults())
                .fitAll(faces, Task.EMOTIONS, List.of());
        EnsembleClassifier ensemble = new EnsembleClassifier(Task.EMOTIONS, List.of(softmax, hog), List.of("pixels.fer", "hog.fer"),
                new double[] {1, 1}, 1, ModelInfo.NONE);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> OnnxExporter.toBytes(ensemble, "both.fer"));
        assertTrue(e.getMessage().contains("member hog.fer"), e.getMessage());
    }
}
