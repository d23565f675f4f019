package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Once ONNX Runtime has started, its libraries sit unpacked in fer4j's cache folder, byte for byte as the jar holds
 * them, and ONNX Runtime was pointed there (on linux x86-64, where fer.jar carries them).
 */
class OnnxRuntimeNativesTest {
    @Test
    void onnxRuntimeLoadsFromTheUnpackedCopy() throws Exception {
        assumeTrue(OnnxRuntimeNativesTest.class.getResource("/ai/onnxruntime/native/linux-x64/libonnxruntime.so") != null,
                "ONNX Runtime's jar has no linux-x64 library here");
        assertNotNull(OnnxClassifier.runtimeVersion());
        String folder = System.getProperty(OnnxRuntimeNatives.PROPERTY);
        assertNotNull(folder, "ONNX Runtime was not pointed at an unpacked copy");
        assertTrue(Files.isRegularFile(Path.of(folder, "complete")));
        for (String library : new String[] {"libonnxruntime.so", "libonnxruntime4j_jni.so"}) {
            try (InputStream in = getClass().getResourceAsStream("/ai/onnxruntime/native/linux-x64/" + library)) {
                assertArrayEquals(in.readAllBytes(), Files.readAllBytes(Path.of(folder, library)), library);
            }
        }
    }
}
