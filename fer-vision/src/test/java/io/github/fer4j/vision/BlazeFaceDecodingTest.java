package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.vision.BlazeFaceDetector.Candidate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BlazeFace's post-processing against hand-worked examples: anchors, decoding, weighted suppression, letterbox, levels. */
class BlazeFaceDecodingTest {
    private static final double EPS = 1e-6;

    /**
     * Front network (128 px, strides 8, 16, 16, 16): the stride-8 layer is a 16x16 grid with 2 anchors per cell (512), the
     * three stride-16 layers share an 8x8 grid with 2 anchors each per cell (6 per cell, 384). Cells row by row, centres
     * at (cell + 0.5) / cells:
     * anchors 0 and 1: cell (0, 0) of 16: (0.5/16, 0.5/16) = (0.03125, 0.03125);
     * anchor 2: cell (1, 0): (1.5/16, 0.5/16) = (0.09375, 0.03125);
     * anchor 32: cell (0, 1): (0.03125, 0.09375);
     * anchor 511: cell (15, 15): (0.96875, 0.96875);
     * anchors 512-517: cell (0, 0) of 8: (0.0625, 0.0625); anchor 518: cell (1, 0): (0.1875, 0.0625);
     * anchor 895: cell (7, 7): (0.9375, 0.9375).
     */
    @Test
    void anchorsAreMediaPipesGrids() {
        float[] a = BlazeFaceDetector.Network.FRONT.anchors;
        assertEquals(2 * 896, a.length);
        assertAnchor(a, 0, 0.03125, 0.03125);
        assertAnchor(a, 1, 0.03125, 0.03125);
        assertAnchor(a, 2, 0.09375, 0.03125);
        assertAnchor(a, 32, 0.03125, 0.09375);
        assertAnchor(a, 511, 0.96875, 0.96875);
        for (int i = 512; i < 518; i++) {
            assertAnchor(a, i, 0.0625, 0.0625);
        }
        assertAnchor(a, 518, 0.1875, 0.0625);
        assertAnchor(a, 895, 0.9375, 0.9375);
        // Back network (256 px, strides 16, 32, 32, 32): the same 16x16 and 8x8 grids, so the same centres.
        assertArrayEquals(a, BlazeFaceDetector.Network.BACK.anchors);
    }

    private static void assertAnchor(float[] anchors, int i, double x, double y) {
        assertEquals(x, anchors[2 * i], EPS, "anchor " + i + " x");
        assertEquals(y, anchors[2 * i + 1], EPS, "anchor " + i + " y");
    }

    /**
     * Anchor 2 (centre 0.09375, 0.03125) with logit 2 and regressors x 12.8, y -6.4, w 32, h 25.6, right eye (-6.4, 0):
     * score sigmoid(2) = 0.880797; centre (0.09375 + 12.8/128, 0.03125 - 6.4/128) = (0.19375, -0.01875); size
     * (32/128, 25.6/128) = (0.25, 0.2), so corners x 0.06875..0.31875, y -0.11875..0.08125; right eye
     * (0.09375 - 0.05, 0.03125) = (0.04375, 0.03125). Anchor 5's logit 150 is clipped to 100 (score 1, not NaN);
     * every other anchor's logit -3 (score 0.047) is under 0.5.
     */
    @Test
    void decodingFollowsTensorsToDetections() {
        float[] logits = new float[896];
        Arrays.fill(logits, -3f);
        logits[2] = 2f;
        logits[5] = 150f;
        float[] regressors = new float[896 * 16];
        float[] r = {12.8f, -6.4f, 32f, 25.6f, -6.4f, 0f};
        System.arraycopy(r, 0, regressors, 2 * 16, r.length);
        List<Candidate> found = BlazeFaceDetector.decode(logits, regressors, BlazeFaceDetector.Network.FRONT.anchors, 128, 0.5);
        assertEquals(2, found.size());
        Candidate c = found.get(0);
        assertEquals(0.880797, c.score(), 1e-6);
        assertEquals(0.06875, c.xmin(), EPS);
        assertEquals(0.31875, c.xmax(), EPS);
        assertEquals(-0.11875, c.ymin(), EPS);
        assertEquals(0.08125, c.ymax(), EPS);
        assertEquals(0.04375, c.keypoints()[0], EPS);
        assertEquals(0.03125, c.keypoints()[1], EPS);
        // Keypoints without a regressor sit on the anchor.
        assertEquals(0.09375, c.keypoints()[2], EPS);
        assertEquals(1.0, found.get(1).score(), 0);
    }

    /**
     * A (0.9, box 0..1 square, keypoints 0.5) and B (0.6, the box moved by 0.1: IoU 0.81 / 1.19 = 0.68 > 0.3) merge into
     * their score-weighted mean with A's score: xmin (0 * 0.9 + 0.1 * 0.6) / 1.5 = 0.04, xmax (0.9 + 1.1 * 0.6) / 1.5 =
     * 1.04, keypoints (0.5 * 0.9 + 0.8 * 0.6) / 1.5 = 0.62. D (0.8, moved by 0.6: IoU 0.4 / 1.6 = 0.25) and C (0.7, far
     * away) stay as they are. Best first: A', D, C.
     */
    @Test
    void weightedSuppressionAveragesOverlappingFaces() {
        Candidate a = candidate(0.9, 0, 0, 1, 1, 0.5);
        Candidate b = candidate(0.6, 0.1, 0.1, 1.1, 1.1, 0.8);
        Candidate c = candidate(0.7, 3, 3, 4, 4, 3.5);
        Candidate d = candidate(0.8, 0.6, 0, 1.6, 1, 1.1);
        List<Candidate> merged = BlazeFaceDetector.weightedNonMaxSuppression(List.of(b, c, a, d), BlazeFaceDetector.MERGE_IOU);
        assertEquals(3, merged.size());
        Candidate m = merged.get(0);
        assertEquals(0.9, m.score(), EPS);
        assertEquals(0.04, m.xmin(), EPS);
        assertEquals(0.04, m.ymin(), EPS);
        assertEquals(1.04, m.xmax(), EPS);
        assertEquals(1.04, m.ymax(), EPS);
        for (double k : m.keypoints()) {
            assertEquals(0.62, k, EPS);
        }
        // A face alone is its own weighted mean.
        assertSame(d, merged.get(1));
        assertSame(c, merged.get(2));
    }

    private static void assertSame(Candidate expected, Candidate actual) {
        assertEquals(expected.score(), actual.score(), EPS);
        assertArrayEquals(new double[] {expected.xmin(), expected.ymin(), expected.xmax(), expected.ymax()},
                new double[] {actual.xmin(), actual.ymin(), actual.xmax(), actual.ymax()}, EPS);
        assertArrayEquals(expected.keypoints(), actual.keypoints(), EPS);
    }

    private static Candidate candidate(double score, double x0, double y0, double x1, double y1, double keypoint) {
        double[] k = new double[12];
        Arrays.fill(k, keypoint);
        return new Candidate(score, x0, y0, x1, y1, k);
    }

    /**
     * A 640x480 photo letterboxed into 128 px: the square of the long side (640) starts 80 px above the photo, scale
     * 0.2, so the photo lands at (0, 16) as 128x96; the input's (0.25, 0.5) is the photo's (32 * 5, (64 - 16) * 5) =
     * (160, 240).
     */
    @Test
    void letterboxCentresThePhoto() {
        BlazeFaceDetector.View v = BlazeFaceDetector.letterbox(640, 480, 128);
        assertEquals(new BlazeFaceDetector.View(0, 0, 640, 480, 0, 16, 128, 96), v);
        assertEquals(160, v.photoX(0.25, 128), EPS);
        assertEquals(240, v.photoY(0.5, 128), EPS);
    }

    /**
     * 640x480, boxes from 40 px: level 0 is the letterbox (the 640 square 80 px above the photo) and the two squares of
     * the short side, 480, at x 0 and 160 (half a side apart would be 240; two squares reach the end, so they split the
     * 160 px left); a 40 px box is 0.083 of 480, under 0.2, so level 1 is squares of 240, 120 apart: x 0, 100, ..., 400
     * (5, 400 px split in 4 steps of 100 no more than 120) and y 0, 120, 240 (3): 15; 40 < 0.2 * 240 = 48, so level 2
     * is squares of 200 (not 120: a 40 px box needs no square smaller than 40 / 0.2), 100 apart: x 0, 88, ..., 440 (6)
     * and y 0, 93.3, 186.7, 280 (4): 24; 40 = 0.2 * 200 ends it. Boxes from 96 px need level 0 alone (0.2 * 480 = 96).
     */
    @Test
    void levelsHalveUntilTheSmallestFaceIsAFifthOfASquare() {
        List<List<BlazeFaceDetector.Square>> levels = BlazeFaceDetector.levels(640, 480, 40);
        assertEquals(List.of(3, 15, 24), levels.stream().map(List::size).toList());
        // The squares are tiles: a face they cut at an edge inside the photo is dropped (the letterbox sees it whole).
        assertEquals(List.of(new BlazeFaceDetector.Square(0, -80, 640, false), new BlazeFaceDetector.Square(0, 0, 480, true),
                new BlazeFaceDetector.Square(160, 0, 480, true)), levels.get(0));
        assertEquals(List.of(0.0, 100.0, 200.0, 300.0, 400.0), levels.get(1).stream().filter(t -> t.y() == 0)
                .map(BlazeFaceDetector.Square::x).toList());
        assertEquals(List.of(0.0, 120.0, 240.0), levels.get(1).stream().filter(t -> t.x() == 0).map(BlazeFaceDetector.Square::y).toList());
        assertTrue(levels.get(1).stream().allMatch(t -> t.side() == 240 && t.tile()));
        assertTrue(levels.get(2).stream().allMatch(t -> t.side() == 200 && t.tile()));
        assertEquals(1, BlazeFaceDetector.levels(640, 480, 96).size());
        // A portrait photo's squares run down it; a square photo has the letterbox alone.
        assertEquals(List.of(0.0, 160.0), BlazeFaceDetector.levels(480, 640, 96).get(0).stream().skip(1)
                .map(BlazeFaceDetector.Square::y).toList());
        assertEquals(1, BlazeFaceDetector.levels(500, 500, 100).get(0).size());
    }

    /** Faces are boxes in whole pixels, largest first; one under the smallest size or centred outside the photo is dropped. */
    @Test
    void facesDropTheTooSmallAndTheOutside() {
        List<DetectedFace> faces = BlazeFaceDetector.faces(List.of(candidate(0.9, 10, 10, 60.4, 70.6, 30),
                candidate(0.8, 100, 100, 300, 300, 200), candidate(0.95, 400, 10, 420, 30, 410),
                candidate(0.7, -100, 0, -10, 90, 0)), 640, 480, 48);
        assertEquals(2, faces.size());
        assertEquals(new FaceBox(100, 100, 200, 200), faces.get(0).box());
        assertEquals(new FaceBox(10, 10, 50, 61), faces.get(1).box());
        assertEquals(0.9, faces.get(1).confidence(), EPS);
        assertEquals(new DetectedFace.Keypoint(30, 30), faces.get(1).keypoints().get(DetectedFace.MOUTH_CENTRE));
    }
}
