package io.github.fer4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.github.fer4j.cnn.Architecture;
import org.junit.jupiter.api.Test;

class NetworksTest {
    /** The documented sizes are computed from the definition; DJL's network must have exactly those parameters. */
    @Test
    void documentedParameterCountsMatchTheBuiltNetwork() {
        for (Architecture a : Architecture.values()) {
            try (NDManager manager = Engines.pytorch().newBaseManager()) {
                Block block = Networks.build(a, 7);
                block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, a.inputSide(), a.inputSide()));
                long trainable = 0;
                for (Parameter p : block.getParameters().values()) {
                    if (p.requiresGradient()) {
                        trainable += p.getArray().size();
                    }
                }
                assertEquals(a.parameters(7), trainable, a.id());
                Shape out = block.getOutputShapes(new Shape[] {new Shape(5, 1, a.inputSide(), a.inputSide())})[0];
                assertArrayEquals(new long[] {5, 7}, out.getShape(), a.id());
            }
        }
    }

    @Test
    void fernet9Sizes() {
        assertEquals(1_755_239, Architecture.FERNET9.parameters(7));
        // 86.5 M multiply-adds per face: the convolutions at 44, 22, 11 and 6 pixels plus the dense layers.
        assertEquals(86_526_208, Architecture.FERNET9.multiplyAdds(7));
    }

    @Test
    void unknownNamesAreRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architecture.named("resnet"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("fernet9"), e.getMessage());
    }
}
