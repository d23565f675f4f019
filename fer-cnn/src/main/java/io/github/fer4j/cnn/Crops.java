package io.github.fer4j.cnn;

import io.github.fer4j.data.FaceSet;
import java.util.SplittableRandom;

/**
 * Turns 48x48 faces into the network's input: a square crop of side {@code side}, possibly mirrored, rotated,
 * scaled and shifted, sampled bilinearly with the border pixels repeated, then normalized to
 * {@code (gray / 255 - mean) / std}. Training draws a random view per face from a seeded generator; test time
 * takes the centre crop or a fixed set of views (see {@link TestTimeAugmentation}).
 */
public final class Crops {
    private static final int SIDE = FaceSet.SIDE;

    /** One view of a face: shift in pixels, rotation in radians, scale (1 = none), mirror. */
    public record View(double dx, double dy, double angle, double scale, boolean mirror) {
        /** The centre crop, as it is. */
        public static final View CENTRE = new View(0, 0, 0, 1, false);

        /** A view drawn from {@code jitter}'s ranges. */
        public static View random(Augmentation jitter, SplittableRandom random) {
            double dx = uniform(random, jitter.maxShift());
            double dy = uniform(random, jitter.maxShift());
            double angle = Math.toRadians(uniform(random, jitter.maxRotationDegrees()));
            double scale = 1 + uniform(random, jitter.maxScale());
            boolean mirror = jitter.mirror() && random.nextBoolean();
            return new View(dx, dy, angle, scale, mirror);
        }

        private static double uniform(SplittableRandom random, double max) {
            return max == 0 ? 0 : (2 * random.nextDouble() - 1) * max;
        }
    }

    private final int side;
    private final float mean;
    private final float std;

    /** Crops of {@code side} pixels, normalized with {@code mean} and {@code std}. */
    public Crops(int side, float mean, float std) {
        if (side > SIDE || side < 8) {
            throw new IllegalArgumentException("crop side must be 8.." + SIDE + ", not " + side);
        }
        this.side = side;
        this.mean = mean;
        this.std = std;
    }

    public int side() {
        return side;
    }

    public float mean() {
        return mean;
    }

    public float std() {
        return std;
    }

    public int size() {
        return side * side;
    }

    /** Writes {@code view} of the face at {@code face[from .. from + 2304)} into {@code out[at .. at + side^2)}. */
    public void render(byte[] face, int from, View view, float[] out, int at) {
        double centre = (SIDE - 1) / 2.0;
        double outCentre = (side - 1) / 2.0;
        float inv255 = 1f / 255f;
        if (view.angle() == 0 && view.scale() == 1 && view.dx() == Math.rint(view.dx()) && view.dy() == Math.rint(view.dy())) {
            // Whole-pixel shifts: a plain copy (the centre crop and test-time crops take this path).
            int x0 = (int) Math.round(centre - outCentre + view.dx());
            int y0 = (int) Math.round(centre - outCentre + view.dy());
            for (int v = 0; v < side; v++) {
                int y = clamp(y0 + v);
                for (int u = 0; u < side; u++) {
                    int x = clamp(x0 + (view.mirror() ? side - 1 - u : u));
                    out[at + v * side + u] = ((face[from + y * SIDE + x] & 0xff) * inv255 - mean) / std;
                }
            }
            return;
        }
        double cos = Math.cos(view.angle()) / view.scale();
        double sin = Math.sin(view.angle()) / view.scale();
        for (int v = 0; v < side; v++) {
            double oy = v - outCentre;
            for (int u = 0; u < side; u++) {
                double ox = view.mirror() ? outCentre - u : u - outCentre;
                double sx = cos * ox - sin * oy + centre + view.dx();
                double sy = sin * ox + cos * oy + centre + view.dy();
                out[at + v * side + u] = (bilinear(face, from, sx, sy) * inv255 - mean) / std;
            }
        }
    }

    private static float bilinear(byte[] face, int from, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        int xa = clamp(x0);
        int xb = clamp(x0 + 1);
        int ya = clamp(y0) * SIDE + from;
        int yb = clamp(y0 + 1) * SIDE + from;
        float top = (face[ya + xa] & 0xff) * (1 - fx) + (face[ya + xb] & 0xff) * fx;
        float bottom = (face[yb + xa] & 0xff) * (1 - fx) + (face[yb + xb] & 0xff) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static int clamp(int i) {
        return i < 0 ? 0 : i >= SIDE ? SIDE - 1 : i;
    }
}
