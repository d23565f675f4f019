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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
