package io.github.fer4j.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.task.Task;
import io.github.fer4j.train.ClassWeights;
import io.github.fer4j.train.EpochSelection;
import io.github.fer4j.train.EpochStats;
import io.github.fer4j.train.LearningRate;
import io.github.fer4j.train.TrainingHistory;
import java.io.IOException;
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
        return new SgdConfig(epochs, 50, LearningRate.cosine(1e-3), 1e-4, 0.5, ClassWeights.BALANCED,
                EpochSelection.lowestValidationLoss(patience), seed);
    }

    @Test
    void lossFallsAndSoftmaxBeatsChanceButIsNotPerfectOnSyntheticFaces() throws IOException {
        TrainingHistory history = new TrainingHistory();
        Classifier model = LinearTrainer.softmax(config(8, 1, 0)).fitAll(faces, Task.EMOTIONS, List.of(history));
        List<EpochStats> epochs = history.epochs();
        assertEquals(8, epochs.size());
        assertTrue(epochs.get(7).trainLoss() < epochs.get(0).trainLoss() - 0.1, "training loss falls");
        double aca = epochs.get(7).validationAca();
        assertTrue(aca > 0.25, "well above chance (1/7): " + aca);
        assertTrue(aca < 0.95, "synthetic faces are not trivially separable: " + aca);
        assertEquals(model.info().metrics().get("PublicTest").aca(),
                aca, 1e-9, "model info carries the validation metrics");
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndOtherSeedDoesNot() throws IOException {
        LinearClassifier a = (LinearClassifier) LinearTrainer.logistic(config(3, 9, 0)).fitAll(faces, Task.HAPPY, List.of());
        LinearClassifier b = (LinearClassifier) LinearTrainer.logistic(config(3, 9, 0)).fitAll(faces, Task.HAPPY, List.of());
        LinearClassifier c = (LinearClassifier) LinearTrainer.logistic(config(3, 10, 0)).fitAll(faces, Task.HAPPY, List.of());
        assertArrayEquals(a.model().weights(), b.model().weights());
        assertArrayEquals(a.model().bias(), b.model().bias());
        assertFalse(java.util.Arrays.equals(a.model().weights(), c.model().weights()));
    }

    @Test
    void sameSeedGivesIdenticalSoftmaxWeightsThroughTheSevenClassKernels() throws IOException {
        LinearClassifier a = (LinearClassifier) LinearTrainer.softmax(config(3, 9, 0)).fitAll(faces, Task.EMOTIONS, List.of());
        LinearClassifier b = (LinearClassifier) LinearTrainer.softmax(config(3, 9, 0)).fitAll(faces, Task.EMOTIONS, List.of());
        LinearClassifier c = (LinearClassifier) LinearTrainer.softmax(config(3, 10, 0)).fitAll(faces, Task.EMOTIONS, List.of());
        assertEquals(VectorKernels.BLOCKED_CLASSES, a.model().outputs(), "the blocked kernels ran");
        assertArrayEquals(a.model().weights(), b.model().weights());
        assertArrayEquals(a.model().bias(), b.model().bias());
        assertFalse(java.util.Arrays.equals(a.model().weights(), c.model().weights()));
    }

    @Test
    void earlyStoppingKeepsTheBestValidationEpoch() throws IOException {
        // A rate far too high makes validation loss bounce, so patience 1 stops early.
        SgdConfig wild = SgdConfig.defaults().with(c -> {
            c.epochs = 40;
            c.batchSize = 50;
            c.learningRate = LearningRate.constant(0.5);
            c.l2 = 0;
        }).withPatience(1).with(c -> c.seed = 3);
        TrainingHistory history = new TrainingHistory();
        LinearTrainer.softmax(wild).fitAll(faces, Task.EMOTIONS, List.of(history));
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
                () -> LinearTrainer.logistic(config(1, 1, 0)).fitAll(faces, Task.EMOTIONS, List.of()));
    }

    @Test
    void badConfigIsRejectedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> SgdConfig.defaults().with(c -> c.epochs = 0));
        assertThrows(IllegalArgumentException.class, () -> SgdConfig.defaults().with(c -> c.momentum = 1.0));
        assertThrows(IllegalArgumentException.class, () -> SgdConfig.defaults().with(c -> c.learningRate = LearningRate.constant(-1)));
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
