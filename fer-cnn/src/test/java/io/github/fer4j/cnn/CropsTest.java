package io.github.fer4j.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.fer4j.data.FaceSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CropsTest {
    private static byte[] gradientFace() {
        byte[] face = new byte[FaceSet.PIXELS];
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                face[y * 48 + x] = (byte) (x * 5 + y);
            }
        }
        return face;
    }

    private static float gray(byte[] face, int x, int y) {
        return face[y * 48 + x] & 0xff;
    }

    @Test
    void centreCropIsTheMiddleAndNormalized() {
        byte[] face = gradientFace();
        Crops crops = new Crops(44, 0.5f, 0.25f);
        float[] out = new float[44 * 44];
        crops.render(face, 0, Crops.View.CENTRE, out, 0);
        // Centre of a 44 crop in a 48 face: pixels 2..45.
        assertEquals((gray(face, 2, 2) / 255f - 0.5f) / 0.25f, out[0], 1e-6);
        assertEquals((gray(face, 45, 45) / 255f - 0.5f) / 0.25f, out[44 * 44 - 1], 1e-6);
        assertEquals((gray(face, 12, 7) / 255f - 0.5f) / 0.25f, out[5 * 44 + 10], 1e-6);
    }

    @Test
    void mirrorReversesEachRow() {
        byte[] face = gradientFace();
        Crops crops = new Crops(44, 0, 1);
        float[] plain = new float[44 * 44];
        float[] mirrored = new float[44 * 44];
        crops.render(face, 0, Crops.View.CENTRE, plain, 0);
        crops.render(face, 0, new Crops.View(0, 0, 0, 1, true), mirrored, 0);
        for (int y = 0; y < 44; y++) {
            for (int x = 0; x < 44; x++) {
                assertEquals(plain[y * 44 + 43 - x], mirrored[y * 44 + x], 1e-6);
            }
        }
    }

    @Test
    void wholePixelShiftsCopyAndBorderRepeats() {
        byte[] face = gradientFace();
        Crops crops = new Crops(44, 0, 1);
        float[] out = new float[44 * 44];
        crops.render(face, 0, new Crops.View(-3, 4, 0, 1, false), out, 0);
        // x0 = 2 - 3 = -1 -> clamped to column 0; y0 = 2 + 4 = 6.
        assertEquals(gray(face, 0, 6) / 255f, out[0], 1e-6);
        assertEquals(gray(face, 0, 6) / 255f, out[1], 1e-6);
        assertEquals(gray(face, 1, 6) / 255f, out[2], 1e-6);
        // Bottom rows run past row 47 and repeat it.
        assertEquals(gray(face, 10, 47) / 255f, out[43 * 44 + 11], 1e-6);
    }

    @Test
    void halfPixelShiftInterpolatesAndRotationTurnsAboutTheCentre() {
        byte[] face = gradientFace();
        Crops crops = new Crops(44, 0, 1);
        float[] out = new float[44 * 44];
        crops.render(face, 0, new Crops.View(0.5, 0, 0, 1, false), out, 0);
        assertEquals((gray(face, 10, 9) + gray(face, 11, 9)) / 2 / 255f, out[7 * 44 + 8], 1e-5);

        // A quarter turn: output (u, v) reads source (centre - (v - c), centre + (u - c)), here all whole pixels.
        crops.render(face, 0, new Crops.View(0, 0, Math.PI / 2, 1, false), out, 0);
        double c = 21.5;
        int u = 10;
        int v = 30;
        double sx = -(v - c) + 23.5;
        double sy = (u - c) + 23.5;
        assertEquals(gray(face, (int) Math.round(sx), (int) Math.round(sy)) / 255f, out[v * 44 + u], 1e-4);
    }

    @Test
    void randomViewsStayWithinTheirLimitsAndRepeatWithTheSeed() {
        Augmentation a = new Augmentation(3, 10, 0.1, true);
        SplittableRandom r1 = new SplittableRandom(7);
        SplittableRandom r2 = new SplittableRandom(7);
        int mirrored = 0;
        for (int i = 0; i < 2000; i++) {
            Crops.View v = Crops.View.random(a, r1);
            assertEquals(v, Crops.View.random(a, r2));
            org.junit.jupiter.api.Assertions.assertTrue(Math.abs(v.dx()) <= 3 && Math.abs(v.dy()) <= 3);
            org.junit.jupiter.api.Assertions.assertTrue(Math.abs(v.angle()) <= Math.toRadians(10) + 1e-12);
            org.junit.jupiter.api.Assertions.assertTrue(v.scale() >= 0.9 && v.scale() <= 1.1);
            mirrored += v.mirror() ? 1 : 0;
        }
        org.junit.jupiter.api.Assertions.assertTrue(mirrored > 900 && mirrored < 1100, "about half mirrored: " + mirrored);
    }

    @Test
    void testTimeViews() {
        assertEquals(1, TestTimeAugmentation.NONE.views(2).size());
        assertEquals(2, TestTimeAugmentation.FLIP.views(2).size());
        assertEquals(10, TestTimeAugmentation.CROPS.views(2).size());
        assertEquals(10, TestTimeAugmentation.CROPS.views(2).stream().distinct().count());
    }
}
