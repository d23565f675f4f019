package io.github.fer4j.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.features.PixelFeatures;
import io.github.fer4j.task.Task;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SgdTrainerTest {
    static FaceSet faces;

    @BeforeAll
    static void draw() {
        faces = SyntheticFaces.generate(3000, 5);
    }

    private static SgdConfig config(int epochs, long seed, int patience) {
        return new SgdConfig(epochs, 50, new LearningRate.Cosine(1e-3, 0, epochs), 1e-4, 0.5, ClassWeights.BALANCED,
                patience, seed);
    }

    @Test
    void lossFallsAndSoftmaxBeatsChanceButIsNotPerfectOnSyntheticFaces() {
        TrainingHistory history = new TrainingHistory();
        SoftmaxRegression model = SoftmaxRegression.fit(faces, Task.EMOTIONS, new PixelFeatures(), config(8, 1, 0),
                List.of(history));
        List<EpochStats> epochs = history.epochs();
        assertEquals(8, epochs.size());
        assertTrue(epochs.get(7).trainLoss() < epochs.get(0).trainLoss() - 0.1, "training loss falls");
        double aca = epochs.get(7).validationAca();
        assertTrue(aca > 0.25, "well above chance (1/7): " + aca);
        assertTrue(aca < 0.95, "synthetic faces are not trivially separable: " + aca);
        assertEquals(model.info().getAsJsonObject("metrics").getAsJsonObject("PublicTest").get("aca").getAsDouble(),
                aca, 1e-9, "model info carries the validation metrics");
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndOtherSeedDoesNot() {
        LinearClassifier a = LogisticRegression.fit(faces, Task.HAPPY, new PixelFeatures(), config(3, 9, 0), List.of());
        LinearClassifier b = LogisticRegression.fit(faces, Task.HAPPY, new PixelFeatures(), config(3, 9, 0), List.of());
        LinearClassifier c = LogisticRegression.fit(faces, Task.HAPPY, new PixelFeatures(), config(3, 10, 0), List.of());
        assertArrayEquals(a.model().weights(), b.model().weights());
        assertArrayEquals(a.model().bias(), b.model().bias());
        assertFalse(java.util.Arrays.equals(a.model().weights(), c.model().weights()));
    }

    @Test
    void earlyStoppingKeepsTheBestValidationEpoch() {
        // A rate far too high makes validation loss bounce, so patience 1 stops early.
        SgdConfig wild = new SgdConfig(40, 50, new LearningRate.Constant(0.5), 0, 0, ClassWeights.NONE, 1, 3);
        TrainingHistory history = new TrainingHistory();
        SoftmaxRegression.fit(faces, Task.EMOTIONS, new PixelFeatures(), wild, List.of(history));
        assertTrue(history.stoppedEarly());
        assertTrue(history.epochs().size() < 40);
        int best = history.bestEpoch();
        double bestLoss = history.epochs().get(best - 1).validationLoss();
        for (EpochStats e : history.epochs()) {
            assertTrue(e.validationLoss() >= bestLoss, "epoch " + best + " has the lowest validation loss");
        }
    }

    @Test
    void logisticRegressionRefusesSevenClasses() {
        assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(faces, Task.EMOTIONS, new PixelFeatures(), config(1, 1, 0), List.of()));
    }

    @Test
    void badConfigIsRejectedAtConstruction() {
        assertThrows(IllegalArgumentException.class,
                () -> new SgdConfig(0, 10, new LearningRate.Constant(0.1), 0, 0, ClassWeights.NONE, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new SgdConfig(1, 10, new LearningRate.Constant(0.1), 0, 1.0, ClassWeights.NONE, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new SgdConfig(1, 10, new LearningRate.Constant(-1), 0, 0, ClassWeights.NONE, 0, 1));
    }

    @Test
    void balancedWeightsFollowScikitLearn() {
        int[] labels = {0, 0, 0, 1};
        double[] w = ClassWeights.BALANCED.weights(labels, 2);
        // n / (classes * count): 4 / (2 * 3) and 4 / (2 * 1)
        assertEquals(4.0 / 6, w[0], 1e-12);
        assertEquals(2.0, w[1], 1e-12);
    }
}
