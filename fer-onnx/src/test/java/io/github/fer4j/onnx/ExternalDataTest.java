package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A foreign ONNX model whose weights lie in an external file (as exporters write large networks): loaded from the
 * model's own folder wherever the test runs from (its working directory is the module's, never the model's), and
 * refused, naming the tensor and the path, when the graph names a file outside that folder.
 */
class ExternalDataTest {
    /** 48x48 gray in, the seven emotions out, in fer4j's order. */
    static final String SIDECAR = """
            {"side": 48, "classNames": ["Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"], "scores": "logits"}
            """;

    @TempDir
    Path dir;

    /** The foreign test graph of {@link ForeignModelTest} cut to a 48x48 gray input: one dense layer, weights inside. */
    static ModelProto graph() {
        int d = FaceSet.PIXELS;
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        float[] weights = new float[d * 7];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextGaussian() * 0.01);
        }
        float[] bias = {0.1f, -0.2f, 0.3f, 0.05f, -0.1f, 0.2f, 0f};
        OnnxGraph g = new OnnxGraph("external");
        g.input("face", -1, 1, 48, 48);
        String flat = g.node("Flatten", Map.of("axis", 1L), "face");
        String scores = g.node("Add", g.node("MatMul", flat, g.constant("w", new long[] {d, 7}, weights)),
                g.constant("b", new long[] {7}, bias));
        g.output(scores, "scores", -1, 7);
        return g.model("test", "a foreign graph with external weights", Map.of());
    }

    /**
     * {@code model} with its tensor whose name starts with {@code prefix} moved out: its data written into {@code data}
     * (a path under {@code folder}, created) after {@code offset} bytes of padding, the graph naming it {@code location}.
     */
    static ModelProto externalize(ModelProto model, String prefix, Path data, long offset, String location) throws Exception {
        ModelProto.Builder b = model.toBuilder();
        for (TensorProto.Builder t : b.getGraphBuilder().getInitializerBuilderList()) {
            if (t.getName().startsWith(prefix)) {
                byte[] raw = t.getRawData().toByteArray();
                Files.createDirectories(data.getParent());
                byte[] file = new byte[(int) offset + raw.length];
                System.arraycopy(raw, 0, file, (int) offset, raw.length);
                Files.write(data, file);
                t.clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(entry("location", location)).addExternalData(entry("offset", Long.toString(offset)))
                        .addExternalData(entry("length", Integer.toString(raw.length)));
            }
        }
        return b.build();
    }

    static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** Writes {@code model} as {@code name} in {@code folder}, with the sidecar; returns its path. */
    static Path write(Path folder, String name, ModelProto model) throws Exception {
        Files.createDirectories(folder);
        Path file = folder.resolve(name);
        Files.write(file, model.toByteArray());
        Files.writeString(OnnxInputLayout.sidecarOf(file), SIDECAR);
        return file;
    }

    static float[][] probabilities(Classifier model) {
        FaceSet faces = SyntheticFaces.generate(12, 3);
        return model.probabilities(faces, java.util.stream.IntStream.range(0, faces.size()).toArray());
    }

    @Test
    void weightsBesideTheModelLoadWhereverTheCommandRuns() throws Exception {
        Path inline = write(dir.resolve("inline"), "model.onnx", graph());
        // The weights at an offset in a file beside the model, and in a sub-folder through a '..' that stays inside.
        Path beside = write(dir.resolve("beside"), "model.onnx",
                externalize(graph(), "w", dir.resolve("beside/weights.bin"), 64, "weights.bin"));
        Path nested = write(dir.resolve("nested"), "model.onnx",
                externalize(graph(), "w", dir.resolve("nested/data/w.bin"), 0, "data/../data/w.bin"));
        assertNotEquals(Path.of("").toAbsolutePath(), beside.getParent(), "the test runs from another folder");
        assertTrue(Files.size(beside) < Files.size(inline) / 10, "the weights are outside the graph");
        float[][] want = probabilities(ModelFile.load(inline));
        for (Path model : List.of(beside, nested)) {
            float[][] got = probabilities(ModelFile.load(model));
            for (int i = 0; i < want.length; i++) {
                assertArrayEquals(want[i], got[i], 1e-6f, model + " face " + i);
            }
        }
    }

    @Test
    void aModelWithExternalWeightsGoesIntoAnEnsembleWhole() throws Exception {
        Path folder = dir.resolve("beside");
        Path model = write(folder, "model.onnx", externalize(graph(), "w", folder.resolve("weights.bin"), 0, "weights.bin"));
        OnnxClassifier onnx = (OnnxClassifier) ModelFile.load(model);
        EnsembleClassifier ensemble = new EnsembleClassifier(Task.EMOTIONS, List.of(onnx), List.of("model.onnx"), new double[] {1},
                1, ModelInfo.NONE);
        Path file = dir.resolve("ensemble.fer");
        ModelFile.save(ensemble, file);
        float[][] before = probabilities(ensemble);
        Files.delete(folder.resolve("weights.bin"));
        float[][] after = probabilities(ModelFile.load(file));
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i], 1e-6f);
        }
    }

    private String refused(ModelProto model) throws Exception {
        Path file = write(dir.resolve("models"), "model.onnx", model);
        return assertThrows(InvalidInputException.class, () -> ModelFile.load(file)).getMessage();
    }

    private String prefix() {
        return dir.resolve("models").resolve("model.onnx") + ": tensor 'w_";
    }

    @Test
    void anAbsolutePathIsRefusedBeforeOnnxRuntimeReadsIt() throws Exception {
        // The file exists and holds the right bytes: ONNX Runtime would read it. fer4j does not let it.
        Path elsewhere = dir.resolve("elsewhere/weights.bin");
        String message = refused(externalize(graph(), "w", elsewhere, 0, elsewhere.toString()));
        assertTrue(message.startsWith(prefix()), message);
        assertTrue(message.contains("external data '" + elsewhere + "' is an absolute path"), message);
    }

    @Test
    void aPathOutOfTheModelsFolderIsRefused() throws Exception {
        Path outside = dir.resolve("outside/weights.bin");
        String up = refused(externalize(graph(), "w", outside, 0, "../outside/weights.bin"));
        assertTrue(up.startsWith(prefix()) && up.contains("external data '../outside/weights.bin' leads out of the model's folder"), up);
        String passwd = refused(externalize(graph(), "w", dir.resolve("models/w.bin"), 0, "../../../../etc/passwd"));
        assertTrue(passwd.contains("external data '../../../../etc/passwd' leads out of the model's folder"), passwd);
        String sneaky = refused(externalize(graph(), "w", dir.resolve("models/w.bin"), 0, "sub/../../outside/weights.bin"));
        assertTrue(sneaky.contains("leads out of the model's folder"), sneaky);
        // ONNX Runtime reads the marker */_ORT_MEM_ADDR_/* as a memory address: to fer4j it is a file that is not there.
        String memory = refused(externalize(graph(), "w", dir.resolve("models/w.bin"), 0, "*/_ORT_MEM_ADDR_/*"));
        assertTrue(memory.contains("external data '*/_ORT_MEM_ADDR_/*' does not exist"), memory);
    }

    @Test
    void missingShortOrWrongSizedDataIsRefusedByName() throws Exception {
        String missing = refused(externalize(graph(), "w", dir.resolve("models/w.bin"), 0, "nowhere.bin"));
        assertTrue(missing.startsWith(prefix()) && missing.contains("external data 'nowhere.bin' does not exist"), missing);
        ModelProto shortFile = externalize(graph(), "w", dir.resolve("models/w.bin"), 0, "w.bin").toBuilder().build();
        Files.write(dir.resolve("models/w.bin"), new byte[100]);
        String tooShort = refused(shortFile);
        assertTrue(tooShort.contains("external data 'w.bin' is 100 bytes, too short for 64512 bytes at offset 0"), tooShort);
        ModelProto.Builder wrongLength = externalize(graph(), "w", dir.resolve("models/w.bin"), 0, "w.bin").toBuilder();
        TensorProto.Builder w = wrongLength.getGraphBuilder().getInitializerBuilder(0);
        w.setExternalData(2, entry("length", "1000"));
        String wrong = refused(wrongLength.build());
        assertTrue(wrong.contains("gives 1000 bytes where the tensor's type and shape [2304, 7] need 64512"), wrong);
        w.setExternalData(2, entry("length", "-5"));
        assertTrue(refused(wrongLength.build()).contains("has length '-5', not a whole number of bytes"));
        w.clearExternalData().addExternalData(entry("offset", "0"));
        assertTrue(refused(wrongLength.build()).contains("keeps its data outside the graph but names no location"));
    }

    @Test
    void aGraphStoredWithoutItsFolderCannotNameExternalData() throws Exception {
        Path folder = dir.resolve("beside");
        ModelProto model = externalize(graph(), "w", folder.resolve("weights.bin"), 0, "weights.bin");
        String message = assertThrows(InvalidInputException.class, () -> OnnxClassifier.of(model.toByteArray(), "stored member",
                OnnxInputLayout.parse(com.google.gson.JsonParser.parseString(SIDECAR).getAsJsonObject(), "layout"), null))
                .getMessage();
        assertTrue(message.startsWith("stored member: tensor 'w_") && message.contains("came without its folder"), message);
    }

    @Test
    void aSidecarNamesItsLabelsFileInsideTheModelsFolderOnly() throws Exception {
        Path folder = dir.resolve("labelled");
        Path model = write(folder, "model.onnx", graph());
        Path sidecar = OnnxInputLayout.sidecarOf(model);
        // The graph's columns named one a line in labels.txt (a blank line is skipped).
        Files.writeString(folder.resolve("labels.txt"), "Angry\nDisgust\nFear\nHappy\n\nSad\nSurprise\nNeutral\n");
        Files.writeString(sidecar, "{\"side\": 48, \"labels\": \"labels.txt\", \"scores\": \"logits\"}");
        Classifier byLabels = ModelFile.load(model);
        Files.writeString(sidecar, SIDECAR);
        float[][] want = probabilities(ModelFile.load(model));
        float[][] got = probabilities(byLabels);
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], got[i], 1e-6f);
        }
        Files.writeString(dir.resolve("labels.txt"), "Angry\nDisgust\nFear\nHappy\nSad\nSurprise\nNeutral\n");
        for (String[] bad : new String[][] {
            {"../labels.txt", "field 'labels' '../labels.txt' leads out of the model's folder"},
            {dir.resolve("labels.txt").toString(), "is an absolute path"},
            {"none.txt", "field 'labels' 'none.txt' does not exist"},
        }) {
            Files.writeString(sidecar, "{\"side\": 48, \"labels\": \"" + bad[0] + "\", \"scores\": \"logits\"}");
            String message = assertThrows(InvalidInputException.class, () -> ModelFile.load(model)).getMessage();
            assertTrue(message.startsWith(sidecar + ": field 'labels'") && message.contains(bad[1]), message);
        }
        Files.writeString(sidecar, "{\"labels\": \"labels.txt\", \"classNames\": [\"a\"]}");
        assertTrue(assertThrows(InvalidInputException.class, () -> ModelFile.load(model)).getMessage()
                .contains("field 'labels' and classNames exclude each other"));
        // Where there is no folder (a layout given on the command line, or stored in an ensemble), no file may be named.
        String noFolder = assertThrows(InvalidInputException.class, () -> OnnxInputLayout.parse(
                com.google.gson.JsonParser.parseString("{\"labels\": \"labels.txt\"}").getAsJsonObject(), "options")).getMessage();
        assertTrue(noFolder.startsWith("options: field 'labels' names a file"), noFolder);
        assertEquals(List.of("Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"),
                ((OnnxClassifier) byLabels).layout().classNames());
    }
}
