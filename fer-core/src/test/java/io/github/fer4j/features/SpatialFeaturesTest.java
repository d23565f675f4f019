package io.github.fer4j.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpatialFeaturesTest {
    /** A 48x48 face from a function of (x, y). */
    interface Shade {
        int at(int x, int y);
    }

    static byte[] face(Shade shade) {
        byte[] f = new byte[FaceSet.PIXELS];
        for (int y = 0; y < FaceSet.SIDE; y++) {
            for (int x = 0; x < FaceSet.SIDE; x++) {
                f[y * FaceSet.SIDE + x] = (byte) shade.at(x, y);
            }
        }
        return f;
    }

    static float[] features(FeatureExtractor fx, byte[] face) {
        float[] out = new float[fx.dimension()];
        fx.extract(face, 0, out, 0);
        return out;
    }

    @Test
    void hogHasTheDalalTriggsLayout() {
        // 48 / 6 = 8 cells a side, 7 x 7 blocks of 2 x 2 cells, 9 bins: 7 * 7 * 4 * 9
        assertEquals(1764, HogFeatures.defaults().dimension());
        // 8-pixel cells: 6 cells a side; 1-cell blocks: 6 x 6 blocks of 12 bins
        assertEquals(6 * 6 * 12, new HogFeatures(8, 1, 12).dimension());
    }

    @Test
    void aVerticalEdgePutsItsEnergyInTheHorizontalGradientBins() {
        // Dark left half, bright right half: gradients point along x, orientation 0 degrees, which lies halfway
        // between the centres of bin 0 (10 degrees) and bin 8 (170 degrees): both get half.
        HogFeatures hog = new HogFeatures(6, 1, 9);
        float[] f = features(hog, face((x, y) -> x < 24 ? 20 : 220));
        // Cell column 3 (x 18..23) holds the edge at x = 23; its cells have all their energy in bins 0 and 8.
        int cell = (2 * 8 + 3) * 9;
        assertEquals(f[cell], f[cell + 8], 1e-6);
        assertTrue(f[cell] > 0.5, "bin 0 carries the edge: " + f[cell]);
        for (int b = 1; b < 8; b++) {
            assertEquals(0f, f[cell + b], 1e-6, "bin " + b);
        }
        // A cell far from the edge is flat: all zero.
        for (int b = 0; b < 9; b++) {
            assertEquals(0f, f[(2 * 8) * 9 + b], 1e-6);
        }
    }

    @Test
    void aHorizontalEdgeGoesToTheNinetyDegreeBin() {
        HogFeatures hog = new HogFeatures(6, 1, 9);
        float[] f = features(hog, face((x, y) -> y < 24 ? 20 : 220));
        int cell = (3 * 8 + 2) * 9;  // cell row 3 holds the edge at y = 23
        // 90 degrees is the centre of bin 4 (80..100): all of it there.
        assertEquals(1f, f[cell + 4], 1e-5);
    }

    @Test
    void hogBlocksAreUnitLengthOrZero() {
        HogFeatures hog = HogFeatures.defaults();
        float[] f = features(hog, face((x, y) -> (x * 7 + y * 13 + x * y) % 256));
        int per = 2 * 2 * 9;
        for (int b = 0; b < f.length / per; b++) {
            double sum = 0;
            for (int i = 0; i < per; i++) {
                sum += f[b * per + i] * f[b * per + i];
            }
            assertEquals(1.0, Math.sqrt(sum), 1e-3, "block " + b);
        }
        float[] flat = features(hog, face((x, y) -> 128));
        for (float v : flat) {
            assertEquals(0f, v, 0f);
        }
    }

    @Test
    void lbpHas58UniformPatternsAndOneBinForTheRest() {
        Set<Integer> uniform = new HashSet<>();
        int others = 0;
        for (int code = 0; code < 256; code++) {
            int bin = LbpFeatures.bin(code);
            if (bin == LbpFeatures.BINS - 1) {
                others++;
            } else {
                assertTrue(uniform.add(bin), "one bin per uniform code");
            }
        }
        assertEquals(58, uniform.size());
        assertEquals(256 - 58, others);
        // 0b00001111: one 0->1 and one 1->0 transition around the circle: uniform.
        assertTrue(LbpFeatures.bin(0b00001111) < 58);
        // 0b10101010: eight transitions: not uniform.
        assertEquals(58, LbpFeatures.bin(0b10101010));
    }

    @Test
    void lbpOfAWorkedPatch() {
        // Centre 100 at (1, 1); neighbours clockwise from the top left: 120 50 130 60 140 70 150 80
        // -> bits 1 0 1 0 1 0 1 0 = 0b10101010, a non-uniform code (bin 58). Everything else is 100 (code 255).
        byte[] f = face((x, y) -> 100);
        int[][] ring = {{0, 0, 120}, {1, 0, 50}, {2, 0, 130}, {2, 1, 60}, {2, 2, 140}, {1, 2, 70}, {0, 2, 150}, {0, 1, 80}};
        for (int[] p : ring) {
            f[p[1] * 48 + p[0]] = (byte) p[2];
        }
        LbpFeatures lbp = new LbpFeatures(1);
        float[] h = features(lbp, f);
        int inner = 46 * 46;
        // The centre pixel (1,1) is non-uniform; the other pixels whose rings touch the changed pixels get other codes.
        assertTrue(h[58] >= 1f / inner, "the worked pixel lands in the non-uniform bin");
        double sum = 0;
        for (float v : h) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-5, "a region's histogram sums to one");
        assertTrue(h[LbpFeatures.bin(255)] > 0.99, "flat pixels all give code 255");
    }

    @Test
    void featureSetsAreRebuiltFromTheirSettings() {
        FeatureExtractor hogLbp = FeatureExtractor.named("hog+lbp", new JsonObject());
        assertEquals(1764 + 2124, hogLbp.dimension());
        FeatureExtractor custom = new ConcatenatedFeatures(java.util.List.of(new HogFeatures(8, 3, 12), new LbpFeatures(4)));
        FeatureExtractor rebuilt = FeatureExtractor.named(custom.name(), custom.settings());
        assertEquals(custom.dimension(), rebuilt.dimension());
        byte[] f = face((x, y) -> (x * x + 3 * y) % 256);
        assertArrayEquals(features(custom, f), features(rebuilt, f));
        assertThrows(IllegalArgumentException.class, () -> new HogFeatures(7, 2, 9));
        assertThrows(IllegalArgumentException.class, () -> FeatureExtractor.named("sift", new JsonObject()));
    }
}
