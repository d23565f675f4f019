package io.github.fer4j.vision;

import com.google.gson.JsonObject;
import java.util.Map;

/**
 * One face found in a photo: where it is, the probability of each emotion (in the model's class order), the
 * most probable one, and the 48x48 crop the model saw.
 */
public record RecognizedFace(FaceBox box, Map<String, Double> probabilities, String dominant, byte[] crop) {
    public double probability(String emotion) {
        return probabilities.getOrDefault(emotion, 0.0);
    }

    /** {@code {"box": {x, y, width, height}, "probabilities": {...}, "dominant": ...}}, as the CLI and the API write it. */
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
        return o;
    }
}
