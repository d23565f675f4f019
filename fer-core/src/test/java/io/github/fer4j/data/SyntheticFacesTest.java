package io.github.fer4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticFacesTest {
    @Test
    void sameSeedSameFacesAndOtherSeedOtherFaces() {
        FaceSet a = SyntheticFaces.generate(200, 7);
        FaceSet b = SyntheticFaces.generate(200, 7);
        FaceSet c = SyntheticFaces.generate(200, 8);
        assertArrayEquals(a.pixelArray(), b.pixelArray());
        assertFalse(Arrays.equals(a.pixelArray(), c.pixelArray()));
    }

    @Test
    void classesAndSplitsFollowFer2013Proportions() {
        FaceSet faces = SyntheticFaces.generate(5000, 1);
        int[] total = new int[Emotion.COUNT];
        faces.counts().values().forEach(c -> {
            for (int e = 0; e < Emotion.COUNT; e++) {
                total[e] += c[e];
            }
        });
        assertTrue(total[Emotion.HAPPY.id()] > 1000 && total[Emotion.HAPPY.id()] < 1500, "Happy is the largest class");
        assertTrue(total[Emotion.DISGUST.id()] > 30 && total[Emotion.DISGUST.id()] < 130, "Disgust is rare");
        double train = faces.indices(Split.TRAINING).length / 5000.0;
        assertEquals(0.8, train, 0.03);
        assertTrue(faces.has(Split.PUBLIC_TEST) && faces.has(Split.PRIVATE_TEST));
    }

    @Test
    void facesUseTheGrayRangeAndDifferFromEachOther() {
        FaceSet faces = SyntheticFaces.generate(50, 3);
        int min = 255;
        int max = 0;
        for (byte b : faces.pixelArray()) {
            min = Math.min(min, b & 0xFF);
            max = Math.max(max, b & 0xFF);
        }
        assertTrue(min < 40 && max > 215, "range " + min + ".." + max);
        assertFalse(Arrays.equals(faces.face(0), faces.face(1)));
    }
}
