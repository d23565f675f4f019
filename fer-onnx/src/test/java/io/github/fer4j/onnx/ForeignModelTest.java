package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A foreign graph (64x64 colour NHWC input, 0..1 scaling with per-channel mean and std, another class order, logits out)
 * read through its sidecar gives what that description computes; bad sidecars and bad graphs are refused with the file
 * and the field.
 */
class ForeignModelTest {
    static final int SIDE = 64;
    static final int CHANNELS = 3;
    static final float SCALE = 1f / 255f;
    static final float[] MEAN = {0.5f, 0.4f, 0.3f};
    static final float[] STD = {0.2f, 0.25f, 0.3f};
    /** The graph's output order, unlike fer4j's (Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral). */
    static final List<String> ORDER = List.of("neutral", "happy", "surprise", "sad", "angry", "disgust", "fear");
    static final String SIDECAR = """
            {"side": 64, "color": true, "layout": "NHWC", "scale": 0.00392156862745098, "mean": [0.5, 0.4, 0.3],
             "std": [0.2, 0.25, 0.3], "classNames": ["neutral", "happy", "surprise", "sad", "angry", "disgust", "fear"],
             "scores": "logits", "description": "a test graph: one dense layer on the image"}
            """;

    @TempDir
    Path dir;

    static float[] weights;
    static float[] bias;
    static byte[] graph;

    /** A dense layer on the flattened 64x64x3 image, with seeded random weights, giving logits. */
    @BeforeAll
    static void buildGraph() {
        int d = SIDE * SIDE * CHANNELS;
        SplittableRandom random = new SplittableRandom(11);
        weights = new float[d * ORDER.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextGaussian() * 0.01);
        }
        bias = new float[ORDER.size()];
        for (int c = 0; c < bias.length; c++) {
            bias[c] = (float) random.nextGaussian();
        }
        OnnxGraph g = new OnnxGraph("foreign");
        g.input("image", -1, SIDE, SIDE, CHANNELS);
        String flat = g.node("Flatten", Map.of("axis", 1L), "image");
        String scores = g.node("Add", g.node("MatMul", flat, g.constant("w", new long[] {d, ORDER.size()}, weights)),
                g.constant("b", new long[] {ORDER.size()}, bias));
        g.output(scores, "scores", -1, ORDER.size());
        graph = g.model("test", "a foreign test graph", Map.of()).toByteArray();
    }

    private Path write(String sidecar) throws Exception {
        Path model = dir.resolve("foreign.onnx");
        Files.write(model, graph);
        if (sidecar != null) {
            Files.writeString(OnnxInputLayout.sidecarOf(model), sidecar);
        }
        return model;
    }

    /** What the sidecar says the graph computes, in fer4j's class order, worked out here in double precision. */
    private static float[] expected(byte[] face) {
        float[] plane = new float[SIDE * SIDE];
        OnnxClassifier.resize(face, 0, SIDE, plane);
        int d = SIDE * SIDE * CHANNELS;
        double[] scores = new double[ORDER.size()];
        for (int c = 0; c < scores.length; c++) {
            scores[c] = bias[c];
        }
        for (int p = 0; p < plane.length; p++) {
            for (int ch = 0; ch < CHANNELS; ch++) {
                double x = (plane[p] * SCALE - MEAN[ch]) / STD[ch];
                int j = p * CHANNELS + ch;
                for (int c = 0; c < scores.length; c++) {
                    scores[c] += x * weights[j * ORDER.size() + c];
                }
            }
        }
        assertEquals(d, plane.length * CHANNELS);
        double max = Arrays.stream(scores).max().orElseThrow();
        double sum = Arrays.stream(scores).map(s -> Math.exp(s - max)).sum();
        float[] p = new float[7];
        List<String> fer4j = Task.EMOTIONS.classNames();
        for (int c = 0; c < 7; c++) {
            p[c] = (float) (Math.exp(scores[ORDER.indexOf(fer4j.get(c).toLowerCase())] - max) / sum);
        }
        return p;
    }

    @Test
    void sidecarDescribesTheForeignLayout() throws Exception {
        Classifier model = ModelFile.load(write(SIDECAR));
        assertInstanceOf(OnnxClassifier.class, model);
        assertEquals(Task.EMOTIONS, model.task());
        FaceSet faces = SyntheticFaces.generate(40, 2);
        int[] all = java.util.stream.IntStream.range(0, faces.size()).toArray();
        float[][] batch = model.probabilities(faces, all);
        for (int i : all) {
            float[] want = expected(faces.face(i));
            assertArrayEquals(want, batch[i], 1e-4f, "face " + i);
            assertArrayEquals(want, model.probabilities(faces.face(i)), 1e-4f, "face " + i + " alone");
        }
    }

    @Test
    void resizeIsBilinearWithPixelCentresAligned() {
        // A horizontal ramp: gray = 5 x column. Doubling puts output column u at input (u + 0.5) / 2 - 0.5, clamped.
        byte[] ramp = new byte[FaceSet.PIXELS];
        for (int p = 0; p < ramp.length; p++) {
            ramp[p] = (byte) (5 * (p % FaceSet.SIDE));
        }
        float[] up = new float[96 * 96];
        OnnxClassifier.resize(ramp, 0, 96, up);
        assertEquals(0f, up[0], 1e-5f);
        assertEquals(1.25f, up[1], 1e-5f);
        assertEquals(5 * 23.75f, up[48], 1e-4f);
        assertEquals(235f, up[95], 1e-5f);
        // Halving averages each pair of columns: output u reads input 2u + 0.5.
        float[] down = new float[24 * 24];
        OnnxClassifier.resize(ramp, 0, 24, down);
        for (int u = 0; u < 24; u++) {
            assertEquals(5 * (2 * u + 0.5f), down[5 * 24 + u], 1e-4f);
        }
    }

    @Test
    void anEnsembleWithAnOnnxMemberSavesAndLoads() throws Exception {
        Classifier onnx = ModelFile.load(write(SIDECAR));
        FaceSet faces = SyntheticFaces.generate(300, 4);
        Classifier softmax = LinearTrainer.softmax(SgdConfig.defaults().with(c -> c.epochs = 1)).fitAll(faces, Task.EMOTIONS, List.of());
        EnsembleClassifier ensemble = new EnsembleClassifier(Task.EMOTIONS, List.of(onnx, softmax), List.of("foreign.onnx", "softmax.fer"),
                new double[] {1, 2}, 1, ModelInfo.NONE);
        Path file = dir.resolve("ensemble.fer");
        ModelFile.save(ensemble, file);
        Files.delete(dir.resolve("foreign.onnx"));
        Files.delete(dir.resolve("foreign.onnx.json"));
        Classifier loaded = ModelFile.load(file);
        int[] some = {0, 1, 2, 3, 4};
        float[][] before = ensemble.probabilities(faces, some);
        float[][] after = loaded.probabilities(faces, some);
        for (int k = 0; k < some.length; k++) {
            assertArrayEquals(before[k], after[k], 1e-6f);
        }
    }

    private String failure(String sidecar) throws Exception {
        Path model = write(sidecar);
        return assertThrows(InvalidInputException.class, () -> ModelFile.load(model)).getMessage();
    }

    @Test
    void aWrongSidecarFieldIsNamed() throws Exception {
        String sidecar = dir.resolve("foreign.onnx.json").toString();
        String wrongType = failure(SIDECAR.replace("\"side\": 64", "\"side\": \"64\""));
        assertTrue(wrongType.startsWith(sidecar + ": field 'side'"), wrongType);
        String unknown = failure(SIDECAR.replace("\"scale\"", "\"scaling\""));
        assertTrue(unknown.startsWith(sidecar + ": unknown field 'scaling'"), unknown);
        String wrongSide = failure(SIDECAR.replace("\"side\": 64", "\"side\": 48"));
        assertTrue(wrongSide.startsWith(sidecar + ": field 'side' is 48 but the graph's input 'image' has shape [-1, 64, 64, 3]"), wrongSide);
        String gray = failure(SIDECAR.replace("\"color\": true", "\"color\": false").replace("[0.5, 0.4, 0.3]", "0.5")
                .replace("[0.2, 0.25, 0.3]", "0.2"));
        assertTrue(gray.startsWith(sidecar + ": field 'layout' gives 1 channel(s)"), gray);
        String badStd = failure(SIDECAR.replace("[0.2, 0.25, 0.3]", "[0.2, 0, 0.3]"));
        assertTrue(badStd.startsWith(sidecar + ": field 'std' must be positive"), badStd);
        String notJson = failure("{\"side\": 64,");
        assertTrue(notJson.startsWith(sidecar + ": not valid JSON"), notJson);
    }

    @Test
    void classNamesThatDoNotFitTheOutputAreRefused() throws Exception {
        String sidecar = dir.resolve("foreign.onnx.json").toString();
        // Eight FER+ classes for a graph with seven outputs.
        String eight = failure(SIDECAR.replace("\"fear\"]", "\"fear\", \"contempt\"]"));
        assertTrue(eight.startsWith(sidecar + ": field 'classNames' has 8 names but the graph's output has 7 columns"), eight);
        String unknown = failure(SIDECAR.replace("\"fear\"]", "\"scared\"]"));
        assertTrue(unknown.startsWith(sidecar + ": field 'classNames' [neutral, happy, surprise, sad, angry, disgust, scared] are not"), unknown);
    }

    @Test
    void aGraphWithoutMetadataOrSidecarIsRefused() throws Exception {
        String message = failure(null);
        assertTrue(message.startsWith(dir.resolve("foreign.onnx") + ": an ONNX graph without fer4j metadata needs a description"), message);
        assertTrue(message.contains("foreign.onnx.json"), message);
    }

    @Test
    void aCorruptOrTruncatedGraphIsRefused() throws Exception {
        Path garbage = dir.resolve("garbage.onnx");
        Files.writeString(garbage, "this is not a graph");
        String m1 = assertThrows(InvalidInputException.class, () -> ModelFile.load(garbage)).getMessage();
        assertTrue(m1.startsWith(garbage + ": not a readable ONNX model"), m1);
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(graph, graph.length / 2));
        String m2 = assertThrows(InvalidInputException.class, () -> ModelFile.load(truncated)).getMessage();
        assertTrue(m2.startsWith(truncated + ": not a readable ONNX model"), m2);
    }
}
