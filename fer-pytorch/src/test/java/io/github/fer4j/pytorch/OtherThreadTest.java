package io.github.fer4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import java.io.ByteArrayInputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A CNN loads and scores on a thread other than the one that started PyTorch (a Spark task, a server's worker), with
 * the same numbers: PyTorch's gradient switch is per thread, and DJL turns it off only where the engine started.
 */
class OtherThreadTest {
    @Test
    void loadsAndScoresOnAFreshThreadAsOnThisOne() throws Exception {
        byte[] model = ModelFileFuzzTest.models().filter(bytes -> {
            Classifier c = ModelFile.load(new ByteArrayInputStream(bytes), "seed");
            return c instanceof CnnClassifier;
        }).findFirst().orElseThrow();
        FaceSet faces = SyntheticFaces.generate(4, 3);
        float[] here = ModelFile.load(new ByteArrayInputStream(model), "seed").probabilities(faces.face(0));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            float[] there = pool.submit(() -> ModelFile.load(new ByteArrayInputStream(model), "seed").probabilities(faces.face(0))).get();
            assertArrayEquals(here, there);
        } finally {
            pool.shutdownNow();
        }
    }
}
