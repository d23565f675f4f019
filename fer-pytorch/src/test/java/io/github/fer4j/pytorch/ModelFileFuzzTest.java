package io.github.fer4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.XavierInitializer;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.fer4j.AllocationBudget;
import io.github.fer4j.JazzerAgentAvailable;
import io.github.fer4j.TestData;
import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnCodec;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes {@link ModelFile#load} from this module, where both codecs (linear and CNN) are on the class path: any
 * bytes (zip structure, model.json, entries) give a model or an InvalidInputException naming the file.
 */
@ExtendWith(JazzerAgentAvailable.class)
class ModelFileFuzzTest {
    @TempDir
    static Path dir;

    /** Valid files to start from, made here so that they follow the format as it is: softmax, logistic, tiny CNN. */
    static Stream<byte[]> models() throws IOException {
        return seedModels().values().stream();
    }

    /** The model.json of each seed model: fuzzed, it goes into a zip that holds every seed's other entries. */
    static Stream<byte[]> descriptions() throws IOException {
        return seedModels().values().stream().map(model -> unzip(model).get(ModelFile.DESCRIPTION_ENTRY));
    }

    /** The tiny CNN's parameters in DJL's format: fuzzed, they go into a zip with that CNN's model.json. */
    static Stream<byte[]> cnnParameters() throws IOException {
        return Stream.of(unzip(seedModels().get("cnn")).get(CnnCodec.PARAMETERS));
    }

    private static Map<String, byte[]> seeds;

    /** The seed model files by name, made once. */
    private static synchronized Map<String, byte[]> seedModels() throws IOException {
        if (seeds == null) {
            seeds = makeSeedModels();
        }
        return seeds;
    }

    private static Map<String, byte[]> makeSeedModels() throws IOException {
        Path seeds = Files.createTempDirectory("model-seeds");
        try {
            FaceSet faces = SyntheticFaces.generate(60, 1);
            SgdConfig config = SgdConfig.defaults().with(c -> c.epochs = 1);
            Classifier softmax = LinearTrainer.softmax(config).fitAll(faces, Task.EMOTIONS, List.of());
            Classifier logistic = LinearTrainer.logistic(config).fitAll(faces, Task.HAPPY, List.of());
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("softmax", bytes(softmax, seeds.resolve("softmax.fer")));
            files.put("logistic", bytes(logistic, seeds.resolve("logistic.fer")));
            files.put("cnn", bytes(tinyCnn(), seeds.resolve("cnn.fer")));
            return files;
        } finally {
            try (Stream<Path> files = Files.list(seeds)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(seeds);
        }
    }

    private static CnnClassifier tinyCnn() {
        Architecture architecture = Architecture.TINY;
        Block block = Networks.build(architecture, Task.EMOTIONS.classCount());
        block.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        int side = architecture.inputSide();
        NDManager manager = Engines.pytorch().newBaseManager();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, side, side));
        return new CnnClassifier(Task.EMOTIONS, architecture, manager, block, 0.5f, 0.25f, TestTimeAugmentation.NONE,
                ModelInfo.NONE);
    }

    private static byte[] bytes(Classifier model, Path file) throws IOException {
        ModelFile.save(model, file);
        return Files.readAllBytes(file);
    }

    /** Any bytes as a model file: zip structure, entry names and sizes, compressed data. */
    @MethodSource("models")
    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void load(byte[] bytes) {
        loadFile(bytes);
    }

    /**
     * Any bytes as model.json in a well-formed zip beside the seeds' weights and CNN parameters: the fuzzer reaches the
     * description and the codecs, which mutated deflate data in {@link #load} hides from it.
     */
    @MethodSource("descriptions")
    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void description(byte[] json) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        for (byte[] model : seedModels().values()) {
            entries.putAll(unzip(model));
        }
        entries.put(ModelFile.DESCRIPTION_ENTRY, json);
        loadFile(zip(entries));
    }

    /** Any bytes as a CNN's parameters.djl, the part of a model file that DJL reads. */
    @MethodSource("cnnParameters")
    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void cnnParameters(byte[] parameters) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>(unzip(seedModels().get("cnn")));
        entries.put(CnnCodec.PARAMETERS, parameters);
        loadFile(zip(entries));
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                ModelFile.put(zip, entry.getKey(), entry.getValue());
            }
        }
        return file.toByteArray();
    }

    private static Map<String, byte[]> unzip(byte[] bytes) {
        try {
            return ModelFile.entries(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void loadFile(byte[] bytes) {
        Path file = TestData.written(dir.resolve("model.fer"), bytes);
        AllocationBudget.reading(bytes, AllocationBudget.ZIP, () -> {
            try {
                Classifier model = ModelFile.load(file);
                assertEquals(model.task().classCount(), model.classNames().size(), "one name per class");
                assertTrue(model.kind() != null && !model.kind().isEmpty());
                // A model that loads must work: the reader is where a bad file is refused, not the first prediction.
                assertEquals(model.task().classCount(), model.probabilities(new byte[FaceSet.PIXELS]).length);
            } catch (InvalidInputException e) {
                assertTrue(e.getMessage().startsWith(file + ":"), "the error names the file: " + e.getMessage());
            }
        });
    }
}
