package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fer4j.TestData;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Eye alignment: the angle of a face turned by a known angle is found, the aligned crop puts the eyes where the
 * targets say, a face turned either way gives the crop of the level face, and a face without eyes found is cut as
 * before.
 */
class FaceAlignmentTest {
    private static final EyeFinder FINDER = new EyeFinder();
    private static final FaceDetector DETECTOR = new FaceDetector(FaceDetector.Kind.HAAR, 48);

    private static EmotionRecognizer recognizer(boolean align) {
        return EmotionRecognizer.create(EmotionRecognizer.defaultModel(), "default",
                new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, ImageDecoder.DEFAULT_MAX_PIXELS, false, true, align));
    }

    @ParameterizedTest(name = "{0} px face turned {1} degrees")
    @CsvSource({"160, -20", "160, -12", "160, -6", "160, 0", "160, 6", "160, 12", "160, 20",
                "200, -20", "200, -12", "200, -6", "200, 0", "200, 6", "200, 12", "200, 20"})
    void theAngleOfADrawnFaceTurnedByAKnownAngleIsFoundWithinThreeDegrees(int side, double degrees) {
        Mat gray = Images.gray(DrawnFace.draw(400, side, degrees));
        List<FaceBox> faces = DETECTOR.detect(gray);
        assertEquals(1, faces.size(), "the drawn face is found");
        EyePair eyes = FINDER.find(gray, FaceDetector.Kind.HAAR.cropper().region(faces.get(0)))
                .orElseThrow(() -> new AssertionError("no eyes found in the face turned " + degrees + " degrees"));
        System.err.printf("drawn face %d px turned %.0f degrees: eyes at %.2f degrees, %.1f px apart%n", side, degrees,
                eyes.angleDegrees(), eyes.distance());
        assertEquals(degrees, eyes.angleDegrees(), 3.0, "angle");
        // The eyes' midpoint is where it was drawn: above the centre of the canvas, turned with the face.
        double scale = side / 200.0;
        double t = Math.toRadians(degrees);
        assertEquals(200 + Math.sin(t) * DrawnFace.EYES_ABOVE_CENTRE * scale, eyes.midX(), 0.05 * side, "midpoint x");
        assertEquals(200 - Math.cos(t) * DrawnFace.EYES_ABOVE_CENTRE * scale, eyes.midY(), 0.05 * side, "midpoint y");
        assertEquals(DrawnFace.EYE_SPACING * scale, eyes.distance(), 0.1 * DrawnFace.EYE_SPACING * scale, "distance");
    }

    @Test
    void theAlignedCropOfAFaceTurnedEitherWayIsTheCropOfTheLevelFace() {
        EmotionRecognizer aligned = recognizer(true);
        EmotionRecognizer boxOnly = recognizer(false);
        byte[] level = onlyFace(aligned, DrawnFace.draw(400, 180, 0)).crop();
        byte[] levelBox = onlyFace(boxOnly, DrawnFace.draw(400, 180, 0)).crop();
        for (double degrees : new double[] {-15, 15}) {
            BufferedImage turned = DrawnFace.draw(400, 180, degrees);
            double withAlignment = RecognitionTest.correlation(onlyFace(aligned, turned).crop(), level);
            double without = RecognitionTest.correlation(onlyFace(boxOnly, turned).crop(), levelBox);
            System.err.printf("face turned %.0f degrees: crop against the level face's, correlation %.3f aligned, %.3f from the box%n",
                    degrees, withAlignment, without);
            assertTrue(withAlignment >= 0.8, "aligned crop correlation " + withAlignment);
            assertTrue(withAlignment > without + 0.1, "alignment undoes the turn: " + withAlignment + " against " + without);
        }
    }

    private static RecognizedFace onlyFace(EmotionRecognizer recognizer, BufferedImage photo) {
        List<RecognizedFace> faces = recognizer.recognize(photo);
        assertEquals(1, faces.size());
        return faces.get(0);
    }

    @Test
    void theCropPutsTheEyesAtTheTargets() {
        // Two bright dots 100 px apart, turned 20 degrees about (150, 140), on a dark photo.
        double t = Math.toRadians(20);
        EyePair eyes = new EyePair(150 - 50 * Math.cos(t), 140 - 50 * Math.sin(t), 150 + 50 * Math.cos(t), 140 + 50 * Math.sin(t));
        Mat photo = new Mat(300, 300, opencv_core.CV_8UC1, new Scalar(30));
        for (double[] eye : new double[][] {{eyes.leftX(), eyes.leftY()}, {eyes.rightX(), eyes.rightY()}}) {
            opencv_imgproc.circle(photo, new Point((int) Math.floor(eye[0]), (int) Math.floor(eye[1])), 3, new Scalar(250),
                    opencv_imgproc.FILLED, opencv_imgproc.LINE_8, 0);
        }
        FaceAligner aligner = new FaceAligner(0.38, 0.39);
        byte[] crop = aligner.crop(photo, eyes);
        // In the crop: x = 24 -+ 0.195 * 48 = 14.64 and 33.36, y = 0.38 * 48 = 18.24 (continuous coordinates).
        assertBrightestNear(crop, 0, 24, 24 - 0.195 * 48, 0.38 * 48);
        assertBrightestNear(crop, 24, 48, 24 + 0.195 * 48, 0.38 * 48);
    }

    /** The brightest pixel of columns [from, to) has its centre within a pixel of (x, y). */
    private static void assertBrightestNear(byte[] crop, int from, int to, double x, double y) {
        int best = -1;
        int bestX = 0;
        int bestY = 0;
        for (int row = 0; row < FaceSet.SIDE; row++) {
            for (int col = from; col < to; col++) {
                int v = crop[row * FaceSet.SIDE + col] & 0xFF;
                if (v > best) {
                    best = v;
                    bestX = col;
                    bestY = row;
                }
            }
        }
        assertEquals(x, bestX + 0.5, 1.0, "eye x");
        assertEquals(y, bestY + 0.5, 1.0, "eye y");
    }

    @Test
    void eyesThatGiveACropUnlikeTheDetectorsAreRefused() {
        FaceAligner aligner = new FaceAligner(0.38, 0.39);
        FaceBox region = new FaceBox(100, 100, 200, 200);
        // Eyes 78 px apart, level, at 0.38 of the way down: the crop is this very region.
        assertTrue(aligner.agreesWith(new EyePair(161, 176, 239, 176), region));
        // Twice as far apart: a crop twice the size.
        assertFalse(aligner.agreesWith(new EyePair(122, 176, 278, 176), region));
        // Right size, but at the chin: the crop's centre is 0.4 sides too low.
        assertFalse(aligner.agreesWith(new EyePair(161, 256, 239, 256), region));
    }

    @Test
    void withoutEyesTheFaceIsCutFromTheBoxAsBefore() {
        // A square photo of noise: read whole (no face is detected), and no eyes are found in it.
        BufferedImage noise = PhotoComposer.compose(300, 280, List.of(), 4);
        assertEquals(Optional.empty(), FINDER.find(Images.gray(noise), new FaceBox(10, 0, 280, 280)));
        RecognizedFace aligned = onlyFace(recognizer(true), noise);
        RecognizedFace boxOnly = onlyFace(recognizer(false), noise);
        assertEquals(boxOnly.box(), aligned.box());
        assertArrayEquals(boxOnly.crop(), aligned.crop());
    }

    @Test
    void theAngleOfTurnedFer2013FacesIsFound() {
        Optional<java.nio.file.Path> file = TestData.fer2013();
        assumeTrue(file.isPresent(), TestData.MISSING);
        FaceSet faces = Fer2013Reader.read(file.get());
        List<Double> errors = new ArrayList<>();
        int tried = 0;
        for (int i : PhotoComposer.usable(faces, faces.indices(Split.PUBLIC_TEST), 150)) {
            double degrees = tried++ % 2 == 0 ? 10 : -10;
            FaceBox pasted = new FaceBox(144, 144, 192, 192);
            Optional<EyePair> level = FINDER.find(Images.gray(turned(faces.face(i), 0, i)), pasted);
            Optional<EyePair> turned = FINDER.find(Images.gray(turned(faces.face(i), degrees, i)), pasted);
            if (level.isPresent() && turned.isPresent()) {
                // FER2013's faces are not all level: the turn is measured from the face's own angle.
                errors.add(Math.abs(turned.get().angleDegrees() - level.get().angleDegrees() - degrees));
            }
        }
        double[] sorted = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        long within = errors.stream().filter(e -> e <= 3).count();
        System.err.printf("FER2013 faces turned 10 degrees either way: eyes found in both of %d of %d, median error %.2f "
                + "degrees, %d within 3 degrees%n", errors.size(), tried, sorted[sorted.length / 2], within);
        assertTrue(errors.size() >= tried / 3, "eyes found in too few faces: " + errors.size());
        assertTrue(sorted[sorted.length / 2] <= 3, "median error " + sorted[sorted.length / 2]);
        assertTrue(within >= 0.7 * errors.size(), within + " of " + errors.size() + " within 3 degrees");
    }

    /** A FER2013 face upscaled to 192 px at (144, 144) on a 480 px canvas, turned about its centre. */
    private static BufferedImage turned(byte[] face, double degrees, long seed) {
        BufferedImage canvas = PhotoComposer.compose(480, 480, List.of(), seed);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.rotate(Math.toRadians(degrees), 240, 240);
        g.drawImage(PhotoComposer.face(face), 144, 144, 192, 192, null);
        g.dispose();
        return canvas;
    }
}
