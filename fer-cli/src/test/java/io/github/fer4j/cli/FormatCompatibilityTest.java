package io.github.fer4j.cli;

import static io.github.fer4j.cli.FerCommandTest.fer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.cli.FerCommandTest.Run;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files and a CNN checkpoint written before training became its own stage (resources {@code format-v1/}, see
 * their README) still open, keep their provenance, write it back in the same layout, and the checkpoint resumes to
 * the model the old code finished.
 */
class FormatCompatibilityTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = FormatCompatibilityTest.class.getResourceAsStream("format-v1/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void modelFilesOfTheEarlierFormatOpenAndKeepTheirInfo() throws IOException {
        FaceSet faces = SyntheticFaces.generate(600, 3);
        int[] test = faces.indices(Split.PRIVATE_TEST);
        for (String name : new String[] {"softmax-v1.fer", "tiny-v1.fer"}) {
            Path old = resource(name);
            Classifier model = ModelFile.load(old);
            assertEquals(2, model.info().training().settings().get("epochs").getAsInt(), name);
            assertEquals(32, model.info().training().settings().get("batchSize").getAsInt(), name);
            assertEquals("synthetic(count=600, seed=3)", model.info().data().source(), name);
            double recorded = info(old).getAsJsonObject("metrics").getAsJsonObject("PublicTest").get("accuracy").getAsDouble();
            assertEquals(recorded, model.info().metrics().get("PublicTest").accuracy(), 0, name);
            assertEquals(recorded, Evaluation.on(model, faces, faces.indices(Split.PUBLIC_TEST)).accuracy(), 1e-9,
                    name + ": the loaded weights score what the old code recorded");

            Path again = dir.resolve("again-" + name);
            ModelFile.save(model, again);
            assertEquals(info(old), info(again), name + ": the info is written back in the same layout");
            Classifier reloaded = ModelFile.load(again);
            float[][] a = model.probabilities(faces, test);
            float[][] b = reloaded.probabilities(faces, test);
            for (int k = 0; k < test.length; k++) {
                assertArrayEquals(a[k], b[k], 0f, name);
            }
        }
    }

    @Test
    void aCheckpointOfTheEarlierFormatResumesToTheModelTheOldCodeFinished() throws IOException {
        Path checkpoint = resource("tiny-v1-epoch1.ckpt");
        Path finishedByOldCode = resource("tiny-v1.fer");
        Path model = dir.resolve("resumed.fer");
        Run run = fer("train", "--model", "cnn", "--architecture", "tiny", "--synthetic-faces", "600", "--epochs", "2",
                "--batch", "32", "--seed", "3", "--resume", "--checkpoint", checkpoint.toString(), "--out", model.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("epoch 2/2"), run.err());
        FaceSet faces = SyntheticFaces.generate(600, 3);
        int[] test = faces.indices(Split.PRIVATE_TEST);
        float[][] before = ModelFile.load(finishedByOldCode).probabilities(faces, test);
        float[][] after = ModelFile.load(model).probabilities(faces, test);
        for (int k = 0; k < test.length; k++) {
            // The learning rate is now computed in double precision rather than by DJL's float trackers: float noise.
            assertArrayEquals(before[k], after[k], 1e-3f, "face " + k);
        }
    }

    private static JsonObject info(Path model) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(model))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(ModelFile.DESCRIPTION_ENTRY)) {
                    return JsonParser.parseString(new String(zip.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject()
                            .getAsJsonObject("info");
                }
            }
        }
        throw new IOException("no model.json in " + model);
    }
}
