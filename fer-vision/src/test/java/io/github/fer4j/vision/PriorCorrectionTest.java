package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The photo path's correction for the training data's class shares ({@link EmotionRecognizer.Options#priorCorrection}). */
class PriorCorrectionTest {
    /** A model that says the same probabilities for every face, with the class shares {@code info} records. */
    private record Fixed(float[] p, ModelInfo info) implements Classifier {
        @Override
        public String kind() {
            return "fixed";
        }

        @Override
        public Task task() {
            return Task.EMOTIONS;
        }

        @Override
        public float[] probabilities(byte[] face) {
            return p.clone();
        }

        @Override
        public Classifier withInfo(ModelInfo info) {
            return new Fixed(p, info);
        }
    }

    private static final float[] P = {0.10f, 0.02f, 0.08f, 0.40f, 0.20f, 0.05f, 0.15f};
    private static final double[] SHARES = {0.125, 0.015625, 0.125, 0.25, 0.125, 0.125, 0.234375};
    private static final FaceBox BOX = new FaceBox(0, 0, 48, 48);

    private static ModelInfo withShares(double[] shares) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int c = 0; c < shares.length; c++) {
            m.put(Task.EMOTIONS.classNames().get(c), shares[c]);
        }
        return new ModelInfo(null, new ModelInfo.DataProvenance("faces.csv", "", 100, 0, m), Map.of(), null);
    }

    private static Map<String, Double> read(ModelInfo info, double power) {
        EmotionRecognizer recognizer = EmotionRecognizer.create(new Fixed(P, info), "fixed", new EmotionRecognizer.Options(
                FaceDetector.Kind.HAAR, 48, 1_000_000, false, true, false, power));
        return recognizer.classify(BOX, new byte[FaceSet.PIXELS]).probabilities();
    }

    @Test
    void eachProbabilityIsDividedByItsShareToThePowerAndRenormalised() {
        // Power 1: p / share = 0.8, 1.28, 0.64, 1.6, 1.6, 0.4, 0.64 (sum 6.96), so Happy 1.6 / 6.96 = 0.229885 and Disgust
        // 1.28 / 6.96 = 0.183908: a class the training faces rarely showed gains the most.
        Map<String, Double> full = read(withShares(SHARES), 1);
        assertEquals(1.6 / 6.96, full.get("Happy"), 1e-6);
        assertEquals(1.28 / 6.96, full.get("Disgust"), 1e-6);
        assertEquals(0.4 / 6.96, full.get("Surprise"), 1e-6);
        // Power 0.5: p / sqrt(share); Disgust 0.02 / 0.125 = 0.16, Happy 0.4 / 0.5 = 0.8.
        Map<String, Double> half = read(withShares(SHARES), 0.5);
        double sum = 0;
        for (int c = 0; c < P.length; c++) {
            sum += P[c] / Math.sqrt(SHARES[c]);
        }
        assertEquals(0.16 / sum, half.get("Disgust"), 1e-6);
        assertEquals(0.8 / sum, half.get("Happy"), 1e-6);
        assertEquals(1.0, half.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
    }

    @Test
    void withoutSharesOrAtPowerZeroTheModelsOwnProbabilitiesAreKept() {
        for (Map<String, Double> same : List.of(read(ModelInfo.NONE, 0.5), read(withShares(SHARES), 0))) {
            for (int c = 0; c < P.length; c++) {
                assertEquals(P[c], same.get(Task.EMOTIONS.classNames().get(c)), 1e-7);
            }
        }
        // A share of zero (a class the training faces never showed) cannot be divided by: nothing is corrected.
        double[] zero = SHARES.clone();
        zero[1] = 0;
        assertEquals(P[1], read(withShares(zero), 1).get("Disgust"), 1e-7);
        EmotionRecognizer none = EmotionRecognizer.create(new Fixed(P, ModelInfo.NONE), "fixed", EmotionRecognizer.Options.defaults());
        assertEquals(0, none.priorCorrection());
        EmotionRecognizer some = EmotionRecognizer.create(new Fixed(P, withShares(SHARES)), "fixed", EmotionRecognizer.Options.defaults());
        assertEquals(EmotionRecognizer.Options.PRIOR_CORRECTION, some.priorCorrection());
    }

    @Test
    void thePowerIsFromZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, 1, false, true, false, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, 1, false, true, false, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, 1, false, true, false, Double.NaN));
    }
}
