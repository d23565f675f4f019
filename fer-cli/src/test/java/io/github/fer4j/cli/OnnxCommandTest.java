package io.github.fer4j.cli;

import static io.github.fer4j.cli.FerCommandTest.fer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cli.FerCommandTest.Run;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.onnx.OnnxClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fer export --format onnx} and {@code --model x.onnx} as a user runs them. */
class OnnxCommandTest {
    @TempDir
    Path dir;

    private Path train(String name, String... extra) {
        Path model = dir.resolve(name);
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("train", "--synthetic-faces", "800", "--epochs", "2",
                "--out", model.toString()), java.util.Arrays.stream(extra)).toArray(String[]::new);
        Run run = fer(args);
        assertEquals(0, run.code(), run.err());
        return model;
    }

    /** The evaluation table without its first line (which names the model file). */
    private static String table(Run run) {
        assertEquals(0, run.code(), run.err());
        return run.out().substring(run.out().indexOf('\n'));
    }

    @Test
    void anExportedModelEvaluatesAsTheModelDoesAndJoinsAnEnsemble() throws Exception {
        Path fer = train("softmax.fer");
        Path onnx = dir.resolve("softmax.onnx");
        Run export = fer("export", "--format", "onnx", fer.toString(), onnx.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("checked: ONNX Runtime vs fer4j on 64 synthetic faces"), export.out());
        String expected = table(fer("evaluate", "--model", fer.toString(), "--synthetic-faces", "800"));
        Run viaOnnx = fer("evaluate", "--model", onnx.toString(), "--synthetic-faces", "800");
        assertEquals(expected, table(viaOnnx));
        assertTrue(viaOnnx.out().contains("(onnx, task emotions)"), viaOnnx.out());
        // The same graph described by options instead of its metadata reads the same.
        Run byOptions = fer("evaluate", "--model", onnx.toString(), "--synthetic-faces", "800",
                "--onnx-class-names", "Angry,Disgust,Fear,Happy,Sad,Surprise,Neutral", "--onnx-side", "48");
        assertEquals(expected, table(byOptions));

        Path ensemble = dir.resolve("both.fer");
        Run made = fer("ensemble", fer.toString(), onnx.toString(), "--out", ensemble.toString());
        assertEquals(0, made.code(), made.err());
        EnsembleClassifier loaded = (EnsembleClassifier) ModelFile.load(ensemble);
        assertTrue(loaded.members().get(1) instanceof OnnxClassifier);
        // Two copies of one model: the ensemble is that model.
        assertEquals(expected, table(fer("evaluate", "--model", ensemble.toString(), "--synthetic-faces", "800")));
    }

    @Test
    void aCnnExportsWithItsViewsAndEvaluatesAsTheNetworkDoes() {
        Path cnn = train("cnn.fer", "--model", "cnn", "--architecture", "tiny", "--batch", "32");
        Path onnx = dir.resolve("cnn-flip.onnx");
        Run export = fer("export", "--tta", "flip", cnn.toString(), onnx.toString());
        assertEquals(0, export.code(), export.err());
        String expected = table(fer("evaluate", "--model", cnn.toString(), "--tta", "flip", "--synthetic-faces", "800"));
        assertEquals(expected, table(fer("evaluate", "--model", onnx.toString(), "--synthetic-faces", "800")));
        // The views are inside the graph: asking for others is refused rather than ignored.
        Run tta = fer("evaluate", "--model", onnx.toString(), "--synthetic-faces", "800", "--tta", "crops");
        assertEquals(2, tta.code());
    }

    @Test
    void whatCannotBeExportedOrReadIsRefusedByNameWithExitCode2() throws Exception {
        Path hog = train("hog.fer", "--features", "hog");
        Path out = dir.resolve("hog.onnx");
        Run refused = fer("export", "--format", "onnx", hog.toString(), out.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains(hog + ": cannot be exported to ONNX: its features are 'hog'"), refused.err());
        assertFalse(Files.exists(out), "no partial out.onnx");

        Path corrupt = dir.resolve("corrupt.onnx");
        Files.writeString(corrupt, "not a graph");
        Run bad = fer("evaluate", "--model", corrupt.toString(), "--synthetic-faces", "100");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains(corrupt + ": not a readable ONNX model"), bad.err());

        Path onnx = dir.resolve("softmax.onnx");
        assertEquals(0, fer("export", train("softmax.fer").toString(), onnx.toString()).code());
        Run wrongCount = fer("evaluate", "--model", onnx.toString(), "--synthetic-faces", "100",
                "--onnx-class-names", "Neutral,Happy,Surprise,Sad,Angry,Disgust,Fear,Contempt");
        assertEquals(2, wrongCount.code());
        assertTrue(wrongCount.err().contains("the --onnx-* options: field 'classNames' has 8 names but the graph's output has 7 columns"),
                wrongCount.err());
        Run wrongFormat = fer("export", "--format", "tflite", onnx.toString(), dir.resolve("x.tflite").toString());
        assertEquals(2, wrongFormat.code());
        Run again = fer("export", onnx.toString(), dir.resolve("again.onnx").toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("it is an ONNX model already"), again.err());
    }

    /**
     * The exported graph with its largest tensor's data moved into {@code data} (written here), the graph naming it
     * {@code location}, as exporters write large networks.
     */
    private static Path withExternalWeights(Path onnx, Path out, Path data, String location) throws Exception {
        ai.onnx.proto.OnnxMl.ModelProto.Builder model = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx)).toBuilder();
        ai.onnx.proto.OnnxMl.TensorProto.Builder largest = null;
        for (var t : model.getGraphBuilder().getInitializerBuilderList()) {
            if (largest == null || t.getRawData().size() > largest.getRawData().size()) {
                largest = t;
            }
        }
        Files.createDirectories(data.getParent());
        Files.write(data, largest.getRawData().toByteArray());
        largest.clearRawData().setDataLocation(ai.onnx.proto.OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        Files.createDirectories(out.getParent());
        Files.write(out, model.build().toByteArray());
        return out;
    }

    @Test
    void externalWeightsAreReadFromTheModelsFolderOnlyAndAnythingElseIsExit2() throws Exception {
        Path onnx = dir.resolve("softmax.onnx");
        assertEquals(0, fer("export", train("softmax.fer").toString(), onnx.toString()).code());
        String expected = table(fer("evaluate", "--model", onnx.toString(), "--synthetic-faces", "400"));
        // Beside the model, in a folder that is not the working directory: the same evaluation.
        Path beside = withExternalWeights(onnx, dir.resolve("model/softmax.onnx"), dir.resolve("model/weights.bin"), "weights.bin");
        assertEquals(expected, table(fer("evaluate", "--model", beside.toString(), "--synthetic-faces", "400")));
        // Outside it, by an absolute path or a way up: exit 2, naming the tensor and the path.
        Path absolute = withExternalWeights(onnx, dir.resolve("abs/softmax.onnx"), dir.resolve("w.bin"), dir.resolve("w.bin").toString());
        Run refused = fer("evaluate", "--model", absolute.toString(), "--synthetic-faces", "100");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains(absolute + ": tensor '") && refused.err().contains("external data '" + dir.resolve("w.bin")
                + "' is an absolute path"), refused.err());
        Path up = withExternalWeights(onnx, dir.resolve("up/softmax.onnx"), dir.resolve("w.bin"), "../w.bin");
        Run escaping = fer("predict", "--model", up.toString(), dir.resolve("w.bin").toString());
        assertEquals(2, escaping.code(), escaping.err());
        assertTrue(escaping.err().contains(up + ": tensor '") && escaping.err().contains("external data '../w.bin' leads out of "
                + "the model's folder"), escaping.err());
    }
}
