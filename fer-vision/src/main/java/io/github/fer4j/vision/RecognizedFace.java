package io.github.fer4j.vision;

import java.util.Map;

/**
 * One face found in a photo: where it is, the probability of each emotion (in the model's class order), the
 * most probable one, and the 48x48 crop the model saw.
 */
public record RecognizedFace(FaceBox box, Map<String, Double> probabilities, String dominant, byte[] crop) {
    public double probability(String emotion) {
        return probabilities.getOrDefault(emotion, 0.0);
    }
}
