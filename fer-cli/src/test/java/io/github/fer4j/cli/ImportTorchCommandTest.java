package io.github.fer4j.cli;

import static io.github.fer4j.cli.FerCommandTest.fer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.cli.FerCommandTest.Run;
import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fer import-torch} on runs written as the PyTorch trainer writes them (made here in Java, so that this runs without
 * Python; trainer/ has the test against the trainer itself): a sound run becomes a model file that evaluates, runs in int8,
 * exports, joins an ensemble and fine-tunes; every kind of damage is refused with exit 2, the file and the tensor or field,
 * and nothing written.
 */
class ImportTorchCommandTest {
    @TempDir
    Path dir;

    private Path run;

    @BeforeEach
    void writeRun() throws IOException {
        run = dir.resolve("run");
        TorchRunFiles.write(run, Architecture.TINY_RESIDUAL, Task.EMOTIONS, 7, 200);
    }

    @Test
    void aRunBecomesAModelFileThatWorksAsOneFromFerTrain() throws IOException {
        Path model = dir.resolve("tinyres.fer");
        Run imported = fer("import-torch", run.toString(), "--out", model.toString(), "--architecture", "tinyres");
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().contains("checked: 200 probe faces"), imported.out());
        Map<String, byte[]> entries;
        try (InputStream in = Files.newInputStream(model)) {
            entries = ModelFile.entries(in);
        }
        assertTrue(entries.containsKey("parameters.f16") && !entries.containsKey("parameters.djl"),
                "fp16 weights are stored in fp16: " + entries.keySet());
        JsonObject json = JsonParser.parseString(new String(entries.get("model.json"), StandardCharsets.UTF_8)).getAsJsonObject();
        JsonObject training = json.getAsJsonObject("info").getAsJsonObject("training");
        assertEquals("written by TorchRunFiles (a test)", training.get("command").getAsString());
        assertEquals("0123456789abcdef0123456789abcdef01234567", training.get("gitCommit").getAsString());
        assertEquals(3, training.get("bestEpoch").getAsInt());
        assertEquals("ab".repeat(32), json.getAsJsonObject("info").getAsJsonObject("data").get("sha256").getAsString());
        assertEquals("flip", json.get("testTimeAugmentation").getAsString());

        for (String engine : List.of("onnxruntime", "onnxruntime-int8", "pytorch")) {
            Run evaluated = fer("evaluate", "--model", model.toString(), "--synthetic-faces", "300", "--split", "PrivateTest",
                    "--engine", engine);
            assertEquals(0, evaluated.code(), engine + ": " + evaluated.err());
            assertTrue(evaluated.out().contains("test-time views: flip"), evaluated.out());
        }
        Path onnx = dir.resolve("tinyres.onnx");
        Run exported = fer("export", model.toString(), onnx.toString());
        assertEquals(0, exported.code(), exported.err());

        Path second = dir.resolve("second");
        TorchRunFiles.write(second, Architecture.TINY, Task.EMOTIONS, 8, 50);
        Path tiny = dir.resolve("tiny.fer");
        assertEquals(0, fer("import-torch", second.toString(), "--out", tiny.toString()).code());
        Path ensemble = dir.resolve("ensemble.fer");
        Run joined = fer("ensemble", model.toString(), tiny.toString(), "--out", ensemble.toString());
        assertEquals(0, joined.code(), joined.err());

        // Fine-tuning, in two sittings: starts from the imported weights, keeps their normalisation, resumes.
        Path tuned = dir.resolve("tuned.fer");
        String[] train = {"train", "--model", "cnn", "--architecture", "tinyres", "--init", model.toString(), "--epochs", "2",
                "--batch", "32", "--synthetic-faces", "400", "--out", tuned.toString()};
        Run first = fer(concat(train, "--sitting", "1"));
        assertEquals(0, first.code(), first.err());
        Run resumed = fer(concat(train, "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        CnnModel fine = (CnnModel) ModelFile.load(tuned);
        assertEquals(0.507f, fine.mean());
        assertEquals(0.255f, fine.std());
        assertTrue(fine.info().training().settings().getAsJsonObject("init").get("model").getAsString().equals("tinyres.fer"));
        Run wrong = fer("train", "--model", "cnn", "--architecture", "tiny", "--init", model.toString(), "--epochs", "1",
                "--synthetic-faces", "300", "--out", dir.resolve("w.fer").toString());
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("is a tinyres network for emotions; this run trains tiny"), wrong.err());
    }

    /** Copies the run, changes it, imports it: exit 2, a message with every part of {@code expected}, nothing written. */
    private void refused(Consumer<Path> damage, String... expected) throws IOException {
        Path copy = dir.resolve("damaged-" + System.nanoTime());
        Files.createDirectories(copy);
        try (var files = Files.list(run)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        damage.accept(copy);
        Path out = dir.resolve("refused.fer");
        Run r = fer("import-torch", copy.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        for (String part : expected) {
            assertTrue(r.err().contains(part), "expected '" + part + "' in: " + r.err());
        }
        assertFalse(Files.exists(out), "nothing is written");
    }

    private static void editRun(Path dir, Consumer<JsonObject> change) {
        try {
            JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("run.json"))).getAsJsonObject();
            change.accept(json);
            Files.writeString(dir.resolve("run.json"), new Gson().toJson(json));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void editWeights(Path dir, Consumer<List<TorchRunFiles.Entry>> change) {
        try {
            Path file = dir.resolve("weights.safetensors");
            List<TorchRunFiles.Entry> entries = new ArrayList<>(TorchRunFiles.readSafetensors(file));
            change.accept(entries);
            TorchRunFiles.writeSafetensors(file, entries);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static TorchRunFiles.Entry named(List<TorchRunFiles.Entry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void damagedOrForeignRunsAreRefusedByFileAndTensor() throws IOException {
        refused(d -> delete(d.resolve("run.json")), "run.json: missing", "did not finish");
        refused(d -> editWeights(d, e -> e.remove(named(e, "conv3.weight"))), "weights.safetensors", "no tensor conv3.weight");
        refused(d -> editWeights(d, e -> {
            TorchRunFiles.Entry mean = named(e, "bn2.running_mean");
            mean.data()[2 * 5] = 0;
            mean.data()[2 * 5 + 1] = (byte) 0x7E;   // binary16 0x7E00: NaN
        }), "weights.safetensors", "tensor bn2.running_mean holds NaN at index 5");
        refused(d -> editWeights(d, e -> e.add(TorchRunFiles.f32("head.extra", new long[] {1}, new float[] {1}))),
                "tensor head.extra is not part of architecture tinyres");
        // Another architecture's weights: the run says tiny, whose second convolution differs.
        refused(d -> editRun(d, r -> r.addProperty("architecture", "tiny")), "weights.safetensors",
                "tensor conv2.weight is [8, 8, 3, 3], architecture tiny for 7 classes needs [16, 8, 3, 3]");
        // Another class list: FER+'s eight classes for a 7-output network, and the seven in another order.
        refused(d -> editRun(d, r -> {
            r.addProperty("task", "ferplus");
            JsonArray classes = new JsonArray();
            Task.FERPLUS.classNames().forEach(classes::add);
            r.add("classNames", classes);
        }), "tensor dense1.weight is [7, 32], architecture tinyres for 8 classes needs [8, 32]");
        refused(d -> editRun(d, r -> {
            JsonArray classes = new JsonArray();
            List<String> reversed = new ArrayList<>(Task.EMOTIONS.classNames());
            java.util.Collections.reverse(reversed);
            reversed.forEach(classes::add);
            r.add("classNames", classes);
        }), "run.json", "classNames [Neutral, Surprise", "are not task emotions's");
        // Weights that load but are not the trainer's network: the probe says so.
        refused(d -> editWeights(d, e -> {
            TorchRunFiles.Entry bias = named(e, "dense1.bias");
            bias.data()[1] ^= 0x10;
        }), "probe.safetensors: face ", "the weights do not make the trainer's network");
        refused(d -> {
            try {
                Path f = d.resolve("weights.safetensors");
                byte[] all = Files.readAllBytes(f);
                Files.write(f, java.util.Arrays.copyOf(all, all.length - 100));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "weights.safetensors: tensor ", "do not hold them");
        Run other = fer("import-torch", run.toString(), "--out", dir.resolve("x.fer").toString(), "--architecture", "resnet18");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("is a run of architecture tinyres, not resnet18"), other.err());
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
