package io.github.fer4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.train.ClassWeights;
import io.github.fer4j.train.LearningRate;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;
    static FaceSet faces;

    @BeforeAll
    static void draw() {
        faces = SyntheticFaces.generate(800, 2);
    }

    private static SgdConfig config(long seed) {
        return SgdConfig.defaults().with(c -> {
            c.epochs = 2;
            c.batchSize = 32;
            c.learningRate = LearningRate.constant(1e-3);
            c.momentum = 0.9;
            c.classWeights = ClassWeights.BALANCED;
            c.seed = seed;
        });
    }

    @Test
    void loadingGivesIdenticalPredictionsAndProvenance() throws IOException {
        Classifier model = LinearTrainer.softmax(config(1)).fitAll(faces, Task.EMOTIONS, List.of());
        Path file = dir.resolve("emotions.fer");
        ModelFile.save(model, file);
        Classifier loaded = ModelFile.load(file);
        assertEquals("softmax", loaded.kind());
        assertEquals(Task.EMOTIONS, loaded.task());
        int[] idx = faces.indices(Split.PRIVATE_TEST);
        float[][] before = model.probabilities(faces, idx);
        float[][] after = loaded.probabilities(faces, idx);
        for (int i = 0; i < idx.length; i++) {
            assertArrayEquals(before[i], after[i], 0f);
        }
        assertEquals(2, loaded.info().training().settings().get("epochs").getAsInt());
        assertEquals(faces.source(), loaded.info().data().source());
        assertTrue(loaded.info().metrics().containsKey("PublicTest"));
        // The class shares of the Training labels, counted here again, travel with the file.
        int[] labels = Task.EMOTIONS.labels(faces, faces.indices(Split.TRAINING));
        Map<String, Double> shares = loaded.info().data().classShares();
        assertEquals(Task.EMOTIONS.classNames(), List.copyOf(shares.keySet()));
        for (int c = 0; c < 7; c++) {
            int k = c;
            assertEquals(java.util.Arrays.stream(labels).filter(l -> l == k).count() / (double) labels.length,
                    shares.get(Task.EMOTIONS.classNames().get(c)), 1e-12);
        }
        assertEquals(1.0, shares.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }

    @Test
    void aClassShareOutsideZeroToOneIsADamagedModelNamingTheField() throws IOException {
        Classifier model = LinearTrainer.softmax(config(1)).fitAll(faces, Task.EMOTIONS, List.of());
        Path good = dir.resolve("shares.fer");
        ModelFile.save(model, good);
        // The same file with one share changed to 2.
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(good))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        String json = new String(entries.get("model.json"), StandardCharsets.UTF_8);
        String changed = json.replaceFirst("\"Disgust\": [0-9.E-]+", "\"Disgust\": 2.0");
        assertTrue(!changed.equals(json), "the file records a Disgust share: " + json);
        entries.put("model.json", changed.getBytes(StandardCharsets.UTF_8));
        Path bad = dir.resolve("bad-shares.fer");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bad))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ModelFile.put(zip, e.getKey(), e.getValue());
            }
        }
        String message = message(bad);
        assertTrue(message.startsWith(bad.toString()) && message.contains("info.data.classShares.Disgust is 2.0"), message);
    }

    @Test
    void sameSeedAndDataGiveIdenticalModelBytes() throws IOException {
        Path a = dir.resolve("a.fer");
        Path b = dir.resolve("b.fer");
        ModelFile.save(LinearTrainer.logistic(config(4)).fitAll(faces, Task.HAPPY, List.of()), a);
        ModelFile.save(LinearTrainer.logistic(config(4)).fitAll(faces, Task.HAPPY, List.of()), b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (var listing = Files.list(dir)) {
            assertEquals(2, listing.count(), "no temporary files left behind");
        }
    }

    @Test
    void damagedAndForeignFilesGiveClearErrors() throws IOException {
        Path text = dir.resolve("notes.fer");
        Files.writeString(text, "hello");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelFile.load(text));
        assertTrue(e.getMessage().startsWith(text + ": not a fer4j model file"), e.getMessage());

        Path foreign = dir.resolve("other.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(foreign))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("x".getBytes());
        }
        e = assertThrows(InvalidInputException.class, () -> ModelFile.load(foreign));
        assertEquals(foreign + ": not a fer4j model file (no model.json inside)", e.getMessage());

        Path good = dir.resolve("good.fer");
        ModelFile.save(LinearTrainer.logistic(config(1)).fitAll(faces, Task.HAPPY, List.of()), good);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.fer");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(InvalidInputException.class, () -> ModelFile.load(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": "), e.getMessage());

        Path missing = dir.resolve("missing.fer");
        e = assertThrows(InvalidInputException.class, () -> ModelFile.load(missing));
        assertEquals(missing + ": no such model file", e.getMessage());
    }

    @Test
    void aFailedWriteLeavesThePreviousFileUntouched() throws IOException {
        Path target = dir.resolve("keep.txt");
        AtomicFiles.writeString(target, "first");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("first", Files.readString(target));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "the temporary file is removed");
        }
    }

    private Path zipWith(String name, String entry, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            ModelFile.put(zip, entry, content);
        }
        return file;
    }

    private static String message(Path file) {
        return assertThrows(InvalidInputException.class, () -> ModelFile.load(file)).getMessage();
    }

    /** Found by fuzzing: an entry name that is not UTF-8 made ZipInputStream throw IllegalArgumentException. */
    @Test
    void anEntryNameThatIsNotUtf8IsADamagedZip() throws IOException {
        Path file = zipWith("name.fer", "model.json", "{}".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = Files.readAllBytes(file);
        bytes[30] = (byte) 0xFF; // the first byte of the first entry's name in its local header
        Files.write(file, bytes);
        assertTrue(message(file).startsWith(file + ": not a fer4j model file (damaged zip: bad entry name"), message(file));
    }

    /** A few kilobytes that would inflate to 50 MB are refused as they inflate, not read into memory. */
    @Test
    void aZipThatInflatesFarBeyondItsSizeIsRefused() throws IOException {
        Path bomb = zipWith("bomb.fer", "model.json", new byte[50 << 20]);
        assertTrue(Files.size(bomb) < 100_000, "the bomb is small: " + Files.size(bomb));
        assertTrue(message(bomb).startsWith(bomb + ": not a fer4j model file (damaged zip: entries inflate to over 100 times"),
                message(bomb));
    }

    @Test
    void modelJsonFieldsOfTheWrongTypeAreRefusedNamingTheFile() throws IOException {
        Path format = zipWith("format.fer", "model.json", "{\"format\": {}}".getBytes(StandardCharsets.UTF_8));
        assertEquals(format + ": not a fer4j model file (format field missing or wrong)", message(format));
        Path version = zipWith("version.fer", "model.json",
                "{\"format\": \"fer4j-model\", \"formatVersion\": \"one\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(version + ": model.json has no formatVersion number", message(version));
        Path kind = zipWith("kind.fer", "model.json",
                "{\"format\": \"fer4j-model\", \"formatVersion\": 1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(kind + ": model.json has no model kind", message(kind));
        Path unknown = zipWith("unknown.fer", "model.json",
                "{\"format\": \"fer4j-model\", \"formatVersion\": 1, \"kind\": \"forest\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(unknown + ": model kind 'forest' is not available in this build", message(unknown));
    }
}
