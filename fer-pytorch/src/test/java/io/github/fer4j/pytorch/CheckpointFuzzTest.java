package io.github.fer4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonObject;
import io.github.fer4j.AllocationBudget;
import io.github.fer4j.TestData;
import io.github.fer4j.JazzerAgentAvailable;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.train.EpochStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;

/** Fuzzes the CNN checkpoint reader: any bytes give a checkpoint or an InvalidInputException naming the file. */
@ExtendWith(JazzerAgentAvailable.class)
class CheckpointFuzzTest {
    @TempDir
    static Path dir;

    /** A valid checkpoint as {@link Checkpoint#write} makes it, with a few bytes standing in for the parameters. */
    static Stream<byte[]> checkpoints() throws IOException {
        JsonObject run = new JsonObject();
        run.addProperty("architecture", "tiny");
        run.addProperty("seed", 7);
        Checkpoint checkpoint = new Checkpoint(run, 2, 40, 1, 0.5, List.of(new EpochStats(1, 1.9, 1.8, 0.5, 0.4, 0.05, 3.0),
                new EpochStats(2, 1.7, 1.8, 0.45, 0.4, 0.05, 3.1)), new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8},
                new byte[] {9, 10});
        Path file = Files.createTempFile("seed", ".ckpt");
        try {
            checkpoint.write(file);
            return Stream.of(Files.readAllBytes(file));
        } finally {
            Files.delete(file);
        }
    }

    /** The state.json of the seed checkpoint. */
    static Stream<byte[]> states() throws IOException {
        return checkpoints().map(bytes -> {
            try {
                return ModelFile.entries(new ByteArrayInputStream(bytes)).get("state.json");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Any bytes as a checkpoint file. */
    @MethodSource("checkpoints")
    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void read(byte[] bytes) {
        readFile(bytes);
    }

    /** Any bytes as state.json in a well-formed checkpoint, where mutated deflate data would not reach the JSON. */
    @MethodSource("states")
    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void state(byte[] json) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(file)) {
            ModelFile.put(zip, "state.json", json);
            for (String entry : List.of("parameters.djl", "best.djl", "optimizer.bin")) {
                ModelFile.put(zip, entry, new byte[] {1, 2, 3});
            }
        }
        readFile(file.toByteArray());
    }

    private static void readFile(byte[] bytes) {
        Path file = TestData.written(dir.resolve("run.ckpt"), bytes);
        AllocationBudget.reading(bytes, AllocationBudget.ZIP, () -> {
            try {
                Checkpoint checkpoint = Checkpoint.read(file);
                assertNotNull(checkpoint.run(), "a checkpoint has its run's settings");
                assertNotNull(checkpoint.parameters());
                for (EpochStats row : checkpoint.history()) {
                    assertNotNull(row, "no empty history rows");
                }
            } catch (InvalidInputException e) {
                assertTrue(e.getMessage().startsWith(file + ":"), "the error names the file: " + e.getMessage());
            }
        });
    }
}
