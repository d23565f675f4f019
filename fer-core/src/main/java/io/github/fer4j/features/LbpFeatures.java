package io.github.fer4j.features;

import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;

/**
 * Uniform local binary patterns (Ojala et al.) of a 48x48 face, as histograms over a {@code grid} x {@code grid}
 * grid of regions. Each inner pixel gets an 8-bit code, one bit per neighbour (clockwise from the top left) that
 * is at least as bright as it; the 58 codes with at most two 0/1 transitions around the circle keep their own bin
 * and all others share one, so a region has 59 bins, each divided by the region's pixel count.
 */
public final class LbpFeatures implements FeatureExtractor {
    static final int BINS = 59;
    /** Bin of each 8-bit code: 0..57 for the uniform codes in increasing order, 58 for the rest. */
    private static final int[] BIN = new int[256];

    static {
        int next = 0;
        for (int code = 0; code < 256; code++) {
            int transitions = Integer.bitCount((code ^ ((code >> 1) | ((code & 1) << 7))) & 0xFF);
            BIN[code] = transitions <= 2 ? next++ : BINS - 1;
        }
    }

    private final int grid;

    public LbpFeatures(int grid) {
        if (grid < 1 || grid > 16) {
            throw new IllegalArgumentException("LBP grid must be 1..16 regions a side, got " + grid);
        }
        this.grid = grid;
    }

    /** 6x6 regions of 8x8 pixels: 2,124 features. */
    public static LbpFeatures defaults() {
        return new LbpFeatures(6);
    }

    static LbpFeatures of(JsonObject settings) {
        return new LbpFeatures(settings.has("grid") ? settings.get("grid").getAsInt() : defaults().grid);
    }

    @Override
    public String name() {
        return "lbp";
    }

    @Override
    public int dimension() {
        return grid * grid * BINS;
    }

    /** The 59-bin uniform-pattern index of an 8-bit LBP code. */
    static int bin(int code) {
        return BIN[code];
    }

    @Override
    public void extract(byte[] pixels, int offset, float[] out, int outOffset) {
        int side = FaceSet.SIDE;
        int[] counts = new int[grid * grid * BINS];
        int[] regionPixels = new int[grid * grid];
        // Neighbours clockwise from the top left: (dy, dx).
        int[] dy = {-1, -1, -1, 0, 1, 1, 1, 0};
        int[] dx = {-1, 0, 1, 1, 1, 0, -1, -1};
        for (int y = 1; y < side - 1; y++) {
            for (int x = 1; x < side - 1; x++) {
                int center = pixels[offset + y * side + x] & 0xFF;
                int code = 0;
                for (int n = 0; n < 8; n++) {
                    int neighbour = pixels[offset + (y + dy[n]) * side + x + dx[n]] & 0xFF;
                    code = (code << 1) | (neighbour >= center ? 1 : 0);
                }
                int region = (y * grid / side) * grid + x * grid / side;
                counts[region * BINS + BIN[code]]++;
                regionPixels[region]++;
            }
        }
        for (int r = 0; r < grid * grid; r++) {
            for (int b = 0; b < BINS; b++) {
                out[outOffset + r * BINS + b] = regionPixels[r] == 0 ? 0f : (float) counts[r * BINS + b] / regionPixels[r];
            }
        }
    }

    @Override
    public JsonObject settings() {
        JsonObject s = new JsonObject();
        s.addProperty("grid", grid);
        return s;
    }
}
