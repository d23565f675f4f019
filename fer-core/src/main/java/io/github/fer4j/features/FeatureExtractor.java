package io.github.fer4j.features;

import com.google.gson.JsonObject;

/** Turns a 48x48 face into a fixed-length feature vector; fitted state, if any, comes from Training only. */
public interface FeatureExtractor {
    /** Short name used on the command line and in model files ("pixels", "hog", ...). */
    String name();

    /** Length of the feature vector. */
    int dimension();

    /** Writes the features of the face at {@code pixels[offset .. offset+2304)} to {@code out[outOffset ..]}. */
    void extract(byte[] pixels, int offset, float[] out, int outOffset);

    /** The settings needed to rebuild this extractor from a model file. */
    JsonObject settings();

    /** Rebuilds an extractor from its name and settings (as written by {@link #settings()}). */
    static FeatureExtractor named(String name, JsonObject settings) {
        if (name.contains("+")) {
            return ConcatenatedFeatures.of(name, settings);
        }
        return switch (name) {
            case "pixels" -> new PixelFeatures();
            case "hog" -> HogFeatures.of(settings);
            case "lbp" -> LbpFeatures.of(settings);
            default -> throw new IllegalArgumentException("unknown feature set '" + name
                    + "' (expected pixels, hog, lbp or a sum such as hog+lbp)");
        };
    }
}
