package io.github.fer4j.vision;

import com.google.gson.JsonObject;
import java.util.Map;

/**
 * One face found in a photo: where it is, the probability of each emotion (in the model's class order), the
 * most probable one, the 48x48 crop the model saw, what found the face ({@link #WHOLE_FRAME} when no detector did and
 * the photo was read as one face, else the detector's {@link FaceDetector.Kind#label}) and how sure that detector was
 * ({@code NaN} when it gives no score, as the cascades do).
 */
public record RecognizedFace(FaceBox box, Map<String, Double> probabilities, String dominant, byte[] crop, String detector,
                             double confidence) {
    /** {@link #detector} of a face that is the whole photo, read so because no detector found one. */
    public static final String WHOLE_FRAME = "whole-frame";

    /** A face whose finder is not known (for tests and tools that build faces themselves). */
    public RecognizedFace(FaceBox box, Map<String, Double> probabilities, String dominant, byte[] crop) {
        this(box, probabilities, dominant, crop, null, Double.NaN);
    }

    public double probability(String emotion) {
        return probabilities.getOrDefault(emotion, 0.0);
    }

    /**
     * {@code {"box": {x, y, width, height}, "probabilities": {...}, "dominant": ..., "detector": ..., "confidence": ...}},
     * as the CLI and the API write it; confidence only where the detector gives one.
     */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        JsonObject b = new JsonObject();
        b.addProperty("x", box.x());
        b.addProperty("y", box.y());
        b.addProperty("width", box.width());
        b.addProperty("height", box.height());
        o.add("box", b);
        JsonObject p = new JsonObject();
        probabilities.forEach(p::addProperty);
        o.add("probabilities", p);
        o.addProperty("dominant", dominant);
        if (detector != null) {
            o.addProperty("detector", detector);
        }
        if (!Double.isNaN(confidence)) {
            o.addProperty("confidence", Math.round(confidence * 10000) / 10000.0);
        }
        return o;
    }
}
