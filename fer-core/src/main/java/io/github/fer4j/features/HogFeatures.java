package io.github.fer4j.features;

import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;

/**
 * Histograms of oriented gradients (Dalal and Triggs) of a 48x48 face: centred-difference gradients, unsigned
 * orientations in {@code bins} bins over 0..180 degrees (each pixel's magnitude split between the two nearest
 * bins), summed over {@code cell} x {@code cell} pixel cells, then each {@code block} x {@code block} group of cells
 * (stride one cell) normalized with L2-Hys (L2, clip at 0.2, L2 again).
 */
public final class HogFeatures implements FeatureExtractor {
    private static final double CLIP = 0.2;
    private static final double EPSILON = 1e-6;

    private final int cell;
    private final int block;
    private final int bins;
    private final int cells;
    private final int blocks;

    public HogFeatures(int cell, int block, int bins) {
        if (cell < 2 || FaceSet.SIDE % cell != 0) {
            throw new IllegalArgumentException("HOG cell size must divide 48 and be at least 2, got " + cell);
        }
        if (block < 1 || block > FaceSet.SIDE / cell) {
            throw new IllegalArgumentException("HOG block must be 1.." + FaceSet.SIDE / cell + " cells, got " + block);
        }
        if (bins < 2 || bins > 36) {
            throw new IllegalArgumentException("HOG bins must be 2..36, got " + bins);
        }
        this.cell = cell;
        this.block = block;
        this.bins = bins;
        this.cells = FaceSet.SIDE / cell;
        this.blocks = cells - block + 1;
    }

    /** 6-pixel cells, 2x2-cell blocks, 9 bins: 1,764 features. */
    public static HogFeatures defaults() {
        return new HogFeatures(6, 2, 9);
    }

    static HogFeatures of(JsonObject settings) {
        HogFeatures d = defaults();
        return new HogFeatures(settings.has("cell") ? settings.get("cell").getAsInt() : d.cell,
                settings.has("block") ? settings.get("block").getAsInt() : d.block,
                settings.has("bins") ? settings.get("bins").getAsInt() : d.bins);
    }

    @Override
    public String name() {
        return "hog";
    }

    @Override
    public int dimension() {
        return blocks * blocks * block * block * bins;
    }

    @Override
    public void extract(byte[] pixels, int offset, float[] out, int outOffset) {
        int side = FaceSet.SIDE;
        double[] histogram = new double[cells * cells * bins];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                // Centred differences inside, one-sided at the border.
                int xl = Math.max(0, x - 1);
                int xr = Math.min(side - 1, x + 1);
                int yu = Math.max(0, y - 1);
                int yd = Math.min(side - 1, y + 1);
                double gx = (double) ((pixels[offset + y * side + xr] & 0xFF) - (pixels[offset + y * side + xl] & 0xFF)) / (xr - xl);
                double gy = (double) ((pixels[offset + yd * side + x] & 0xFF) - (pixels[offset + yu * side + x] & 0xFF)) / (yd - yu);
                double magnitude = Math.sqrt(gx * gx + gy * gy);
                if (magnitude == 0) {
                    continue;
                }
                // Unsigned orientation in [0, 180) degrees, as a fractional bin position between bin centres.
                double angle = Math.toDegrees(Math.atan2(gy, gx));
                if (angle < 0) {
                    angle += 180;
                }
                if (angle >= 180) {
                    angle -= 180;
                }
                double position = angle / (180.0 / bins) - 0.5;
                int low = (int) Math.floor(position);
                double upperShare = position - low;
                int base = ((y / cell) * cells + x / cell) * bins;
                histogram[base + Math.floorMod(low, bins)] += magnitude * (1 - upperShare);
                histogram[base + Math.floorMod(low + 1, bins)] += magnitude * upperShare;
            }
        }
        int per = block * block * bins;
        double[] v = new double[per];
        int o = outOffset;
        for (int by = 0; by < blocks; by++) {
            for (int bx = 0; bx < blocks; bx++) {
                int k = 0;
                for (int cy = by; cy < by + block; cy++) {
                    for (int cx = bx; cx < bx + block; cx++) {
                        System.arraycopy(histogram, (cy * cells + cx) * bins, v, k, bins);
                        k += bins;
                    }
                }
                // L2-Hys: v / ||v||, clip at 0.2, and normalize again.
                normalize(v);
                for (int i = 0; i < per; i++) {
                    v[i] = Math.min(v[i], CLIP);
                }
                normalize(v);
                for (int i = 0; i < per; i++) {
                    out[o++] = (float) v[i];
                }
            }
        }
    }

    private static void normalize(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        double norm = Math.sqrt(sum + EPSILON * EPSILON);
        for (int i = 0; i < v.length; i++) {
            v[i] /= norm;
        }
    }

    @Override
    public JsonObject settings() {
        JsonObject s = new JsonObject();
        s.addProperty("cell", cell);
        s.addProperty("block", block);
        s.addProperty("bins", bins);
        return s;
    }
}
