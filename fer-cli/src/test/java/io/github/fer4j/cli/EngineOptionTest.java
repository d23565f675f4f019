package io.github.fer4j.cli;

import static io.github.fer4j.cli.FerCommandTest.fer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cli.FerCommandTest.Run;
import io.github.fer4j.cnn.CnnEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine}: a CNN is evaluated on ONNX Runtime by default and on PyTorch when asked, with the same report; the
 * one-face commands run int8 unless another engine is named; an engine that does not exist is refused with the list of
 * those that do (exit 2).
 */
class EngineOptionTest {
    @TempDir
    Path dir;

    @AfterEach
    void defaultEngine() {
        // --engine sets a system property; the other tests in this JVM run on the default.
        System.clearProperty(CnnEngine.PROPERTY);
    }

    @Test
    void bothEnginesGiveTheSameReport() throws IOException {
        Path model = dir.resolve("tiny.fer");
        try (InputStream in = EngineOptionTest.class.getResourceAsStream("format-v1/tiny-v1.fer")) {
            Files.copy(in, model);
        }
        Run onnx = fer("evaluate", "--model", model.toString(), "--synthetic-faces", "600", "--split", "PrivateTest");
        assertEquals(0, onnx.code(), onnx.err());
        assertTrue(onnx.out().contains("engine: onnxruntime"), onnx.out());
        Run torch = fer("evaluate", "--engine", "pytorch", "--model", model.toString(), "--synthetic-faces", "600",
                "--split", "PrivateTest");
        assertEquals(0, torch.code(), torch.err());
        assertTrue(torch.out().contains("engine: pytorch"), torch.out());
        assertEquals(onnx.out().replace("engine: onnxruntime", "engine: pytorch"), torch.out());
    }

    /** evaluate-photos on one photo of noise (read whole-frame when no face is found, so the network runs). */
    private Run evaluatePhotos(String... engine) throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        java.util.Random random = new java.util.Random(5);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.getRaster().setSample(x, y, 0, random.nextInt(256));
            }
        }
        javax.imageio.ImageIO.write(image, "png", photos.resolve("a.png").toFile());
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "path,emotion\na.png,happy\n");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(engine));
        args.addAll(java.util.List.of("evaluate-photos", photos.toString(), "--labels", labels.toString(), "--out",
                dir.resolve("out-" + engine.length).toString()));
        return fer(args.toArray(String[]::new));
    }

    @Test
    void theOneFaceCommandsRunInt8UnlessAnotherEngineIsNamed() throws IOException {
        Run int8 = evaluatePhotos();
        assertEquals(0, int8.code(), int8.err());
        assertTrue(int8.out().startsWith("model default (engine: onnxruntime-int8, prior correction 0.5)"), int8.out());
        assertEquals(null, System.getProperty(CnnEngine.PROPERTY), "the command's engine does not outlive it");
        // --engine before the command, as the help's global options are written.
        Run fp32 = evaluatePhotos("--engine", "onnxruntime");
        assertEquals(0, fp32.code(), fp32.err());
        assertTrue(fp32.out().startsWith("model default (engine: onnxruntime, prior correction 0.5)"), fp32.out());
        // The prior correction is a power from 0 to 1: 0 reads the network's own probabilities, 2 is refused.
        Path photo = dir.resolve("photos").resolve("a.png");
        Run off = fer("evaluate-photos", dir.resolve("photos").toString(), "--labels", dir.resolve("labels.csv").toString(),
                "--out", dir.resolve("out-off").toString(), "--prior-correction", "0");
        assertTrue(off.out().startsWith("model default (engine: onnxruntime-int8, prior correction none)"), off.out());
        Run bad = fer("predict", photo.toString(), "--prior-correction", "2");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--prior-correction must be from 0 to 1, not 2.0"), bad.err());
        assertEquals(null, System.getProperty(CnnEngine.PROPERTY));
        // The batch commands keep the exact engine.
        Run evaluate = fer("evaluate", "--synthetic-faces", "700");
        assertTrue(evaluate.out().contains("engine: onnxruntime, task"), evaluate.out());
    }

    @Test
    void anUnknownEngineIsRefused() {
        Run bad = fer("evaluate", "--engine", "tensorflow", "--synthetic-faces", "600");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("engine 'tensorflow' is not one of [onnxruntime, onnxruntime-int8, pytorch]"), bad.err());
    }
}
