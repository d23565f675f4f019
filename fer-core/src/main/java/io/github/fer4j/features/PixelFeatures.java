package io.github.fer4j.features;

import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;

/** The raw gray levels, 2304 of them: the seeds' input. */
public final class PixelFeatures implements FeatureExtractor {
    @Override
    public String name() {
        return "pixels";
    }

    @Override
    public int dimension() {
        return FaceSet.PIXELS;
    }

    @Override
    public void extract(byte[] pixels, int offset, float[] out, int outOffset) {
        for (int p = 0; p < FaceSet.PIXELS; p++) {
            out[outOffset + p] = pixels[offset + p] & 0xFF;
        }
    }

    @Override
    public JsonObject settings() {
        return new JsonObject();
    }
}
