package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Following faces from one frame to the next ({@link EmotionRecognizer#recognizeNear}) against searching each frame whole. */
class RecognizeNearTest {
    private static final EmotionRecognizer RECOGNIZER = EmotionRecognizer.create();

    /** A drawn face of 150 px on a 640x480 frame, its centre at (cx, cy). */
    private static BufferedImage frame(int cx, int cy) {
        return frame(cx, cy, 220);
    }

    /** The same drawn face, its picture {@code side} px square (the face about 150/220 of it), centred at (cx, cy). */
    private static BufferedImage frame(int cx, int cy, int side) {
        BufferedImage face = DrawnFace.draw(220, 150, 0);
        BufferedImage frame = PhotoComposer.compose(640, 480, List.of(), 2);
        frame.createGraphics().drawImage(face, cx - side / 2, cy - side / 2, side, side, null);
        return frame;
    }

    private static void assertSameFaces(List<RecognizedFace> expected, List<RecognizedFace> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).box(), actual.get(i).box());
            assertEquals(expected.get(i).probabilities(), actual.get(i).probabilities());
        }
    }

    @Test
    void aFaceThatMovedAFewPixelsIsFoundNearItsLastBoxWhereTheWholeFrameSearchFindsIt() {
        List<RecognizedFace> before = RECOGNIZER.recognize(frame(300, 230));
        assertEquals(1, before.size(), "the drawn face is found");
        BufferedImage moved = frame(312, 222);
        List<RecognizedFace> whole = RECOGNIZER.recognize(moved);
        List<RecognizedFace> near = RECOGNIZER.recognizeNear(moved, List.of(before.get(0).box()));
        assertEquals(1, near.size());
        double iou = near.get(0).box().iou(whole.get(0).box());
        System.err.printf("followed face: %s, whole-frame search: %s, IoU %.3f%n", near.get(0).box(), whole.get(0).box(), iou);
        // Both are the cascade's boxes for one face, one from a search of the region around the old box, one from
        // the whole frame: a few pixels apart at most.
        assertTrue(iou >= 0.8, "IoU " + iou);
        assertEquals(whole.get(0).dominant(), near.get(0).dominant());
        // And it moved with the face: right and up.
        assertTrue(near.get(0).box().x() > before.get(0).box().x() && near.get(0).box().y() < before.get(0).box().y());
    }

    @Test
    void aFaceThatCameCloserAndMovedIsFollowedWithinTheDefaultNeighbourhood() {
        FaceDetector detector = RECOGNIZER.detector();
        List<RecognizedFace> before = RECOGNIZER.recognize(frame(300, 230, 220));
        assertEquals(1, before.size(), "the drawn face is found");
        FaceBox last = before.get(0).box();
        // 15 % larger and moved by a fifth of its side: inside the default's quarter side and 0.8-1.25 sizes.
        int shift = last.width() / 5;
        BufferedImage moved = frame(300 + shift, 230 - shift / 2, 253);
        FaceBox whole = RECOGNIZER.recognize(moved).get(0).box();
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
            List<FaceBox> near = detector.detectNear(Images.gray(moved), last);
            assertEquals(1, near.size(), "one face near the last box: " + near);
            assertTrue(near.get(0).iou(whole) >= 0.8, near.get(0) + " against the whole search's " + whole);
            assertTrue(near.get(0).width() > last.width(), "the box grew with the face: " + near.get(0) + " after " + last);
            // A face far outside the neighbourhood (three sides away) is not searched for there.
            FaceBox far = new FaceBox(last.x() - 3 * last.width(), last.y(), last.width(), last.height());
            assertTrue(detector.detectNear(Images.gray(moved), far).isEmpty());
        }
    }

    @Test
    void aNeighbourhoodMustSpanTheFacesSide() {
        assertThrows(IllegalArgumentException.class, () -> new FaceDetector.Neighbourhood(0.25, 1.0, 1.25));
        assertThrows(IllegalArgumentException.class, () -> new FaceDetector.Neighbourhood(0.25, 0.8, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new FaceDetector.Neighbourhood(-0.1, 0.8, 1.25));
        assertThrows(IllegalArgumentException.class, () -> new FaceDetector.Neighbourhood(Double.NaN, 0.8, 1.25));
    }

    @Test
    void whenNoFaceIsNearAnExpectedBoxTheWholeFrameIsSearched() {
        BufferedImage image = frame(450, 260);
        List<RecognizedFace> whole = RECOGNIZER.recognize(image);
        assertEquals(1, whole.size());
        // The face was last seen far to the left: nothing there, so the whole frame is searched and the face found.
        assertSameFaces(whole, RECOGNIZER.recognizeNear(image, List.of(new FaceBox(40, 60, 150, 150))));
        // A face that was there and one that was not: the whole frame too.
        assertSameFaces(whole, RECOGNIZER.recognizeNear(image, List.of(whole.get(0).box(), new FaceBox(40, 60, 150, 150))));
    }

    @Test
    void withNothingExpectedItIsTheWholeFrameSearch() {
        BufferedImage image = frame(320, 240);
        assertSameFaces(RECOGNIZER.recognize(image), RECOGNIZER.recognizeNear(image, List.of()));
    }
}
