package io.github.fer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.fer4j.cnn.CnnEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * fer-spark scores on ONNX Runtime and carries no PyTorch: no DJL class is on its class path (so its jar has none, and no
 * driver or executor log shows DJL probing for CUDA), and the CNN engines it finds are ONNX Runtime's.
 */
class NoPyTorchTest {
    @Test
    void scoringFindsOnlyOnnxRuntime() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.djl.engine.Engine"));
        assertEquals(List.of("onnxruntime", "onnxruntime-int8"), CnnEngine.available().stream().map(CnnEngine::id).sorted().toList());
    }
}
