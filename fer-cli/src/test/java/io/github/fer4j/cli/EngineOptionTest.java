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
 * {@code --engine}: a CNN is evaluated on ONNX Runtime by default and on PyTorch when asked, with the same report; an
 * engine that does not exist is refused with the list of those that do (exit 2).
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

    @Test
    void anUnknownEngineIsRefused() {
        Run bad = fer("evaluate", "--engine", "tensorflow", "--synthetic-faces", "600");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("engine 'tensorflow' is not one of [onnxruntime, onnxruntime-int8, pytorch]"), bad.err());
    }
}
