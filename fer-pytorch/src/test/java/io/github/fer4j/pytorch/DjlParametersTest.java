package io.github.fer4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.DjlParameters;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plain-Java reader of DJL's parameter format gives exactly the arrays DJL holds (names, shapes, every value), in
 * the shapes {@link Architecture#parameterShapes} computes; cut or padded data is an IOException, never another error.
 */
class DjlParametersTest {
    @ParameterizedTest
    @EnumSource(Architecture.class)
    void readsWhatDjlWrote(Architecture architecture) throws IOException {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Block block = Networks.build(architecture, 7);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, architecture.inputSide(), architecture.inputSide()));
            // Running statistics start at 0 and 1: give every array distinct values so that a shifted read shows.
            for (Pair<String, Parameter> p : block.getParameters()) {
                p.getValue().getArray().addi(manager.randomUniform(-1, 1, p.getValue().getArray().getShape()));
            }
            byte[] bytes = CnnClassifier.parameterBytes(block);
            List<CnnModel.Tensor> read = DjlParameters.read(bytes);
            List<Pair<String, Parameter>> held = block.getParameters().stream().toList();
            assertEquals(held.size(), read.size());
            List<long[]> shapes = architecture.parameterShapes(7);
            assertEquals(held.size(), shapes.size());
            for (int i = 0; i < held.size(); i++) {
                assertEquals(held.get(i).getValue().getName(), read.get(i).name());
                assertArrayEquals(held.get(i).getValue().getArray().getShape().getShape(), read.get(i).shape());
                assertArrayEquals(shapes.get(i), read.get(i).shape(), "array " + i + " " + read.get(i).name());
                assertArrayEquals(held.get(i).getValue().getArray().toFloatArray(), read.get(i).values());
            }
        }
    }

    /** The plain-Java writer gives DJL's bytes exactly, block headers and all, for every architecture. */
    @ParameterizedTest
    @EnumSource(Architecture.class)
    void writesWhatDjlWrites(Architecture architecture) throws IOException {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Block block = Networks.build(architecture, 7);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, architecture.inputSide(), architecture.inputSide()));
            for (Pair<String, Parameter> p : block.getParameters()) {
                p.getValue().getArray().addi(manager.randomUniform(-1, 1, p.getValue().getArray().getShape()));
            }
            byte[] djl = CnnClassifier.parameterBytes(block);
            List<float[]> values = DjlParameters.read(djl).stream().map(CnnModel.Tensor::values).toList();
            assertArrayEquals(djl, DjlParameters.write(architecture, 7, values), architecture.id());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = "TINY")
    void cutOrPaddedDataIsAnIoException(Architecture architecture) throws IOException {
        byte[] bytes;
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Block block = Networks.build(architecture, 7);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, architecture.inputSide(), architecture.inputSide()));
            bytes = CnnClassifier.parameterBytes(block);
        }
        for (int cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length / 997)) {
            byte[] part = Arrays.copyOf(bytes, cut);
            try {
                List<CnnModel.Tensor> read = DjlParameters.read(part);
                // A cut between two arrays reads as fewer arrays, which the engine refuses by their count.
                assertTrue(read.size() < architecture.parameterShapes(7).size(), "cut at " + cut);
            } catch (IOException expected) {
                // the refusal this test wants
            }
        }
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 10_000);
        assertThrows(IOException.class, () -> DjlParameters.read(padded));
        assertThrows(IOException.class, () -> DjlParameters.read(new byte[0]));
    }
}
