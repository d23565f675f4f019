package io.github.fer4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateTest {
    @Test
    void seedStepDecayDividesByTenEvery500Epochs() {
        LearningRate step = LearningRate.parse("step:0.1:500", 0.01);
        assertEquals(0.01, step.at(0, 5000), 1e-15);
        assertEquals(0.01, step.at(499, 5000), 1e-15);
        assertEquals(0.001, step.at(500, 5000), 1e-15);
        assertEquals(1e-4, step.at(1200, 5000), 1e-15);
        assertEquals("step:0.1:500", step.describe());
    }

    @Test
    void cosineStartsAtTheRateAndEndsNearTheMinimum() {
        LearningRate cosine = LearningRate.parse("cosine:0.0001", 0.1);
        assertEquals(0.1, cosine.at(0, 10), 1e-12);
        assertEquals((0.1 + 0.0001) / 2, cosine.at(5, 10), 1e-12);
        assertTrue(cosine.at(9, 10) < 0.01);
        assertEquals(0.05, LearningRate.parse("constant", 0.05).at(2, 3), 0);
    }

    @Test
    void badSchedulesSayWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRate.parse("linear", 0.1));
        assertTrue(e.getMessage().contains("unknown schedule 'linear'"));
        e = assertThrows(IllegalArgumentException.class, () -> LearningRate.parse("step:0.1", 0.1));
        assertTrue(e.getMessage().contains("wrong number of ':' parts"));
        e = assertThrows(IllegalArgumentException.class, () -> LearningRate.parse("step:2:10", 0.1));
        assertTrue(e.getMessage().contains("factor must be in (0, 1]"));
        e = assertThrows(IllegalArgumentException.class, () -> LearningRate.parse("step:x:10", 0.1));
        assertTrue(e.getMessage().contains("not a number"));
    }

    @Test
    void warmUpRisesLinearlyThenTheCosineRunsOverTheRestOfTheRun() {
        LearningRate rate = LearningRate.cosine(0.01).afterWarmUp(1);
        assertEquals(0, rate.at(0, 11), 1e-15);
        assertEquals(0.005, rate.at(0.5, 11), 1e-15);
        assertEquals(0.01, rate.at(1, 11), 1e-15, "the peak at the end of the warm-up");
        assertEquals(0.005, rate.at(6, 11), 1e-12, "half-way through the 10 epochs after it");
        assertEquals(0, rate.at(11, 11), 1e-15);
        assertEquals(0.02, rate.withRate(0.02).at(1, 11), 1e-15);
        assertEquals("warmup:1.0,cosine:0.0", rate.describe());
    }
}
