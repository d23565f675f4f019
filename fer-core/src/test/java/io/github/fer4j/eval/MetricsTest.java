package io.github.fer4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metrics against examples worked by hand (the working is in the comments). */
class MetricsTest {
    @Test
    void threeClassConfusionMatrix() {
        // truth\pred   A  B  C
        //   A          5  1  0    recall A = 5/6
        //   B          2  2  0    recall B = 2/4
        //   C          0  1  0    recall C = 0/1
        // precision: A = 5/7, B = 2/4, C = 0 (never predicted); accuracy = 7/11
        // ACA = (5/6 + 1/2 + 0) / 3 = 0.4444...
        // F1: A = 2(5/7)(5/6)/((5/7)+(5/6)) = 10/13, B = 1/2, C = 0; macro F1 = (10/13 + 1/2 + 0) / 3
        ConfusionMatrix cm = ConfusionMatrix.of(new long[][] {{5, 1, 0}, {2, 2, 0}, {0, 1, 0}});
        assertEquals(7.0 / 11, cm.accuracy(), 1e-12);
        assertEquals((5.0 / 6 + 0.5 + 0) / 3, cm.aca(), 1e-12);
        assertEquals(5.0 / 7, cm.precision(0), 1e-12);
        assertEquals(0.0, cm.precision(2), 0);
        assertEquals(10.0 / 13, cm.f1(0), 1e-12);
        assertEquals((10.0 / 13 + 0.5) / 3, cm.macroF1(), 1e-12);
        assertEquals(0.5, cm.rowNormalized()[1][0], 1e-12);
    }

    @Test
    void acaIgnoresClassesWithoutExamples() {
        // class 2 has no true examples and is never predicted: ACA over classes 0 and 1 = (1 + 0.5) / 2
        ConfusionMatrix cm = ConfusionMatrix.of(new long[][] {{3, 0, 0}, {1, 1, 0}, {0, 0, 0}});
        assertEquals(0.75, cm.aca(), 1e-12);
    }

    // scores  0.9 0.8 0.7 0.6 0.55 0.4
    // truth    1   0   1   1   0    0
    // cut after 0.9: P 1/1 R 1/3; 0.8: P 1/2 R 1/3; 0.7: P 2/3 R 2/3; 0.6: P 3/4 R 1; 0.55: 3/5; 0.4: 3/6
    // AP = (1/3)(1) + 0 + (1/3)(2/3) + (1/3)(3/4) = 0.805555...
    // ROC AUC = pairs (positive above negative) / 9: 0.9 beats 3, 0.7 beats 2, 0.6 beats 2 -> 7/9
    private static final int[] TRUTH = {1, 0, 1, 1, 0, 0};
    private static final float[] SCORE = {0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.4f};

    @Test
    void precisionRecallCurveAndAveragePrecision() {
        PrecisionRecallCurve pr = PrecisionRecallCurve.of(TRUTH, SCORE);
        assertEquals(6, pr.thresholds().length);
        assertEquals(1.0 / 3 + (1.0 / 3) * (2.0 / 3) + (1.0 / 3) * 0.75, pr.averagePrecision(), 1e-12);
        assertEquals(0.75, pr.precision()[3], 1e-12);
        assertEquals(1.0, pr.recall()[3], 1e-12);
        // best F1 at 0.6: 2 (3/4)(1) / (3/4 + 1) = 6/7
        assertEquals(6.0 / 7, pr.bestF1(), 1e-12);
        assertEquals(0.6f, pr.bestThreshold(), 1e-7);
    }

    @Test
    void rocAucCountsRankedPairs() {
        assertEquals(7.0 / 9, RocCurve.of(TRUTH, SCORE).auc(), 1e-12);
        // ties: one positive and one negative at the same score count half
        assertEquals(0.5, RocCurve.of(new int[] {1, 0}, new float[] {0.5f, 0.5f}).auc(), 1e-12);
    }

    @Test
    void thresholdSweepIncludesTheSeedsThresholds() {
        List<ThresholdSweep.Row> rows = ThresholdSweep.of(TRUTH, SCORE);
        assertEquals(19, rows.size());
        assertEquals(0.05, rows.get(0).threshold(), 1e-12);
        assertEquals(0.95, rows.get(18).threshold(), 1e-12);
        assertEquals(3, rows.stream().filter(ThresholdSweep.Row::seeds).count());
        // at 0.6: predicted positive = {0.9, 0.8, 0.7, 0.6}: TP 3, FP 1, TN 2 -> recall(1) = 1, recall(0) = 2/3
        ThresholdSweep.Row at06 = rows.get(11);
        assertEquals(0.6, at06.threshold(), 1e-12);
        assertTrue(at06.seeds());
        assertEquals((1 + 2.0 / 3) / 2, at06.aca(), 1e-12);
        assertEquals(0.75, at06.precision(), 1e-12);
    }

    @Test
    void evaluationJsonHasTheDocumentedKeys() {
        float[][] probs = new float[6][];
        for (int i = 0; i < 6; i++) {
            probs[i] = new float[] {1 - SCORE[i], SCORE[i]};
        }
        JsonObject json = Evaluation.of(List.of("Rest", "Happy"), TRUTH, probs).toJson();
        for (String key : List.of("accuracy", "aca", "macroF1", "confusionMatrix", "perClass", "f1", "averagePrecision",
                "rocAuc", "thresholdSweep")) {
            assertTrue(json.has(key), key);
        }
        assertEquals(7.0 / 9, json.get("rocAuc").getAsDouble(), 1e-12);
        JsonObject multi = Evaluation.of(List.of("a", "b", "c"), new int[] {0, 1, 2},
                new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 1, 0}}).toJson();
        assertEquals(2.0 / 3, multi.get("aca").getAsDouble(), 1e-12);
        assertTrue(!multi.has("rocAuc"));
    }

    @Test
    void theJsonFormReadsBackToTheSameEvaluation() {
        // Six faces, two classes: truths and the probability of class 1.
        int[] truth = {0, 0, 1, 1, 0, 1};
        float[] p1 = {0.1f, 0.6f, 0.7f, 0.4f, 0.2f, 0.9f};
        float[][] probabilities = new float[truth.length][];
        for (int i = 0; i < truth.length; i++) {
            probabilities[i] = new float[] {1 - p1[i], p1[i]};
        }
        Evaluation binary = Evaluation.of(List.of("Rest", "Happy"), truth, probabilities);
        Evaluation back = Evaluation.fromJson(binary.toJson());
        assertEquals(binary.toJson(), back.toJson());
        // 2 of 3 Happy found, 2 of 3 Rest kept: recall 2/3 each, ACA 2/3.
        assertEquals(2.0 / 3, back.aca(), 1e-12);
        assertEquals(binary.precisionRecall().averagePrecision(), back.precisionRecall().averagePrecision(), 0);
        assertEquals(binary.thresholdSweep(), back.thresholdSweep());

        Evaluation three = Evaluation.of(List.of("a", "b", "c"), new int[] {0, 1, 2, 2},
                new float[][] {{0.8f, 0.1f, 0.1f}, {0.2f, 0.5f, 0.3f}, {0.1f, 0.6f, 0.3f}, {0.1f, 0.2f, 0.7f}});
        Evaluation threeBack = Evaluation.fromJson(three.toJson());
        assertEquals(three.toJson(), threeBack.toJson());
        assertEquals(1, threeBack.confusionMatrix().count(2, 1));
        assertTrue(!threeBack.isBinary());
    }
}
