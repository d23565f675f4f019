package io.github.fer4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.task.Task;
import org.junit.jupiter.api.Test;

/** The shared training vocabulary: families found by kind, settings by name, the best-epoch rule, sittings. */
class TrainingStageTest {
    private static EpochStats epoch(int n, double validationLoss, double validationAccuracy) {
        return new EpochStats(n, 1, validationLoss, validationAccuracy, validationAccuracy, 0.1, 1);
    }

    @Test
    void theLinearFamilyIsFoundByKindAndReadsNamedSettingsOnItsDefaults() {
        Trainer trainer = TrainerFamily.of("softmax").trainer("softmax",
                Settings.of("epochs", "3", "lr", "0.05", "schedule", "step:0.5:1", "early-stopping", "2", "class-weights", "balanced"));
        SgdConfig config = ((LinearTrainer) trainer).config();
        assertEquals("softmax", trainer.kind());
        assertEquals(3, config.epochs());
        assertEquals(0.05, config.rateAt(0), 0);
        assertEquals(0.025, config.rateAt(1), 1e-15);
        assertEquals(SgdConfig.defaults().batchSize(), config.batchSize(), "not given: the default");
        assertEquals(new EpochSelection(EpochSelection.Metric.VALIDATION_LOSS, 2), config.selection());
        assertEquals(ClassWeights.BALANCED, config.classWeights());
        assertTrue(trainer.describe(Task.EMOTIONS).contains("16,135 parameters"), trainer.describe(Task.EMOTIONS));
    }

    @Test
    void settingsAFamilyDoesNotTakeAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerFamily.of("logistic").trainer("logistic", Settings.of("epochs", "2", "wobble", "3")));
        assertTrue(e.getMessage().contains("--wobble is not a training setting"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainerFamily.of("softmax").trainer("softmax", Settings.of("epochs", "two")));
        assertTrue(e.getMessage().contains("--epochs: 'two' is not a whole number"), e.getMessage());
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> TrainerFamily.of("forest"));
        assertTrue(unknown.getMessage().contains("unknown model kind 'forest'") && unknown.getMessage().contains("softmax"),
                unknown.getMessage());
        IllegalArgumentException task = assertThrows(IllegalArgumentException.class,
                () -> TrainerFamily.of("logistic").trainer("logistic", Settings.of()).checkTask(Task.EMOTIONS));
        assertTrue(task.getMessage().contains("separates two classes"), task.getMessage());
    }

    @Test
    void lowestValidationLossWithPatienceStopsAndKeepsTheBestEpoch() {
        EpochSelection.Tracker t = EpochSelection.lowestValidationLoss(2).tracker();
        double[] losses = {1.0, 0.8, 0.9, 0.7, 0.75, 0.71};
        boolean[] improved = {true, true, false, true, false, false};
        for (int e = 0; e < losses.length; e++) {
            t.onEpoch(epoch(e + 1, losses[e], 0.5));
            assertEquals(improved[e], t.improved(), "epoch " + (e + 1));
            assertEquals(e == losses.length - 1, t.shouldStop(), "stops after two epochs without a lower loss, at epoch " + (e + 1));
        }
        assertEquals(4, t.bestEpoch());
    }

    @Test
    void bestAccuracyNeverStopsAndLastKeepsTheLastEpoch() {
        EpochSelection.Tracker accuracy = EpochSelection.bestValidationAccuracy().tracker();
        EpochSelection.Tracker last = EpochSelection.LAST.tracker();
        double[] acc = {0.3, 0.5, 0.4, 0.5, 0.45};
        for (int e = 0; e < acc.length; e++) {
            accuracy.onEpoch(epoch(e + 1, 1, acc[e]));
            last.onEpoch(epoch(e + 1, 1, acc[e]));
            assertFalse(accuracy.shouldStop());
            assertTrue(last.improved());
        }
        assertEquals(2, accuracy.bestEpoch(), "the first epoch with the highest accuracy");
        assertEquals(0.5, accuracy.bestValue(), 0);
        assertEquals(5, last.bestEpoch());
        EpochSelection.Tracker none = EpochSelection.lowestValidationLoss(1).tracker();
        none.onEpoch(epoch(1, Double.NaN, Double.NaN));
        none.onEpoch(epoch(2, Double.NaN, Double.NaN));
        assertEquals(2, none.bestEpoch(), "without validation the last epoch is kept");
        assertFalse(none.shouldStop());
    }

    @Test
    void aSittingCountsFromTheFirstEpochItTrains() {
        Sitting sitting = new Sitting(2);
        assertFalse(sitting.pauseBefore(4), "a run resumed after epoch 3");
        assertFalse(sitting.pauseBefore(5));
        assertTrue(sitting.pauseBefore(6));
        assertThrows(IllegalArgumentException.class, () -> new Sitting(0));
    }
}
