package io.github.fer4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.AllocationBudget;
import io.github.fer4j.cnn.CnnCodec;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.ModelFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged CNN parameters are refused before DJL reads them. Found by fuzzing: DJL allocates the shapes and lengths
 * it reads (Shape.decode), so a 708-byte parameters.djl made it allocate 2.9 GB, or run out of memory.
 */
class CnnParametersTest {
    @TempDir
    Path dir;

    @Test
    void parametersFoundByFuzzingAreRefusedWithoutAllocatingThem() throws IOException, URISyntaxException {
        Map<String, byte[]> model = ModelFile.entries(new java.io.ByteArrayInputStream(ModelFileFuzzTest.models()
                .skip(2).findFirst().orElseThrow()));
        Path findings = Path.of(getClass().getResource("ModelFileFuzzTestInputs/cnnParameters").toURI());
        List<Path> inputs;
        try (Stream<Path> files = Files.list(findings)) {
            inputs = files.filter(f -> f.getFileName().toString().startsWith("crash-")).toList();
        }
        assertFalse(inputs.isEmpty());
        for (Path input : inputs) {
            byte[] parameters = Files.readAllBytes(input);
            Map<String, byte[]> entries = new TreeMap<>(model);
            entries.put(CnnCodec.PARAMETERS, parameters);
            Path file = dir.resolve("damaged.fer");
            try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    ModelFile.put(zip, entry.getKey(), entry.getValue());
                }
            }
            AllocationBudget.forInput(Files.size(file), AllocationBudget.ZIP).check(input.getFileName().toString(), () -> {
                String message = assertThrows(InvalidInputException.class, () -> ModelFile.load(file)).getMessage();
                assertTrue(message.startsWith(file + ": damaged cnn model: the parameters of architecture tiny "), message);
            });
        }
    }
}
