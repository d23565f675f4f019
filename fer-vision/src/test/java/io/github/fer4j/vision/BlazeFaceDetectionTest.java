package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * BlazeFace on drawn faces ({@link DrawnFace}) at known places, sizes and angles: one box around each face and both eyes
 * where they were drawn, the eye on the photo's left first.
 */
class BlazeFaceDetectionTest {
    private static final FaceDetector DETECTOR = new FaceDetector(FaceDetector.Kind.BLAZEFACE, 48);

    /** A 640x480 photo with a drawn face of {@code side} turned by {@code degrees}, its centre at (cx, cy). */
    private static BufferedImage photo(int side, double degrees, int cx, int cy) {
        BufferedImage photo = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = photo.createGraphics();
        g.setColor(new Color(90, 100, 110));
        g.fillRect(0, 0, 640, 480);
        g.drawImage(DrawnFace.draw(2 * side, side, degrees), cx - side, cy - side, null);
        g.dispose();
        return photo;
    }

    /** Where DrawnFace puts an eye ({@code sign} -1: the photo's left), turned about the face's centre. */
    private static double[] eye(int side, double degrees, int cx, int cy, int sign) {
        double t = Math.toRadians(degrees);
        double s = side / 200.0;
        double ex = sign * DrawnFace.EYE_SPACING / 2;
        double ey = -DrawnFace.EYES_ABOVE_CENTRE;
        return new double[] {cx + s * (ex * Math.cos(t) - ey * Math.sin(t)), cy + s * (ex * Math.sin(t) + ey * Math.cos(t))};
    }

    @ParameterizedTest(name = "side {0}, {1} degrees, centre ({2}, {3})")
    @CsvSource({"160, 0, 320, 240", "100, 0, 200, 300", "240, 0, 330, 230", "160, -20, 300, 240", "160, 15, 420, 220",
        "240, 30, 320, 240", "120, -30, 460, 300"})
    void findsTheFaceAndItsEyes(int side, double degrees, int cx, int cy) {
        List<DetectedFace> faces = DETECTOR.detectFaces(Images.gray(photo(side, degrees, cx, cy)));
        assertEquals(1, faces.size(), "one face: " + faces);
        DetectedFace face = faces.get(0);
        FaceBox box = face.box();
        assertTrue(face.confidence() >= 0.5 && face.confidence() <= 1, "confidence " + face.confidence());
        // The box holds the face from brows to chin: about three quarters of the drawn frame, centred on it.
        assertEquals(cx, box.x() + box.width() / 2.0, 0.12 * side, "box centre x " + box);
        assertEquals(cy, box.y() + box.height() / 2.0, 0.12 * side, "box centre y " + box);
        assertEquals(0.75 * side, box.width(), 0.15 * side, "box width " + box);
        EyePair eyes = face.eyes().orElseThrow();
        double[] left = eye(side, degrees, cx, cy, -1);
        double[] right = eye(side, degrees, cx, cy, 1);
        assertEquals(0, Math.hypot(eyes.leftX() - left[0], eyes.leftY() - left[1]), 0.08 * side, "left eye " + eyes);
        assertEquals(0, Math.hypot(eyes.rightX() - right[0], eyes.rightY() - right[1]), 0.08 * side, "right eye " + eyes);
        // BlazeFace is trained on faces near upright; on these drawn faces its eye line is within 7 degrees of the truth.
        assertEquals(degrees, eyes.angleDegrees(), 8, "eye line angle");
        // MediaPipe's first keypoint is the person's right eye: on the photo's left in a photo that is not mirrored.
        assertTrue(face.keypoints().get(DetectedFace.RIGHT_EYE).x() < face.keypoints().get(DetectedFace.LEFT_EYE).x());
        // Nose and mouth lie below the eyes' midpoint, along the face's axis.
        double t = Math.toRadians(degrees);
        DetectedFace.Keypoint mouth = face.keypoints().get(DetectedFace.MOUTH_CENTRE);
        double down = (mouth.x() - eyes.midX()) * -Math.sin(t) + (mouth.y() - eyes.midY()) * Math.cos(t);
        assertTrue(down > 0.2 * side, "mouth " + down + " px below the eyes");
    }

    @Test
    void findsEachOfSeveralFaces() {
        BufferedImage photo = new BufferedImage(960, 480, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = photo.createGraphics();
        g.setColor(new Color(120, 120, 120));
        g.fillRect(0, 0, 960, 480);
        int[][] at = {{160, 200, 200}, {480, 260, 180}, {800, 220, 190}};
        for (int[] f : at) {
            g.drawImage(DrawnFace.draw(2 * f[2], f[2], 0), f[0] - f[2], f[1] - f[2], null);
        }
        g.dispose();
        List<DetectedFace> faces = DETECTOR.detectFaces(Images.gray(photo));
        assertEquals(3, faces.size(), "three faces: " + faces);
        for (int[] f : at) {
            assertTrue(faces.stream().anyMatch(d -> Math.abs(d.box().x() + d.box().width() / 2.0 - f[0]) < 0.12 * f[2]
                    && Math.abs(d.box().y() + d.box().height() / 2.0 - f[1]) < 0.12 * f[2]), "a face at " + f[0] + ", " + f[1]);
        }
    }

    /** A small face (60 px in 1280x720, under a quarter of the whole letterbox) is found by the finer levels. */
    @Test
    void findsASmallFaceInALargePhoto() {
        BufferedImage photo = new BufferedImage(1280, 720, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = photo.createGraphics();
        g.setColor(new Color(90, 100, 110));
        g.fillRect(0, 0, 1280, 720);
        g.drawImage(DrawnFace.draw(160, 80, 0), 900 - 80, 500 - 80, null);
        g.dispose();
        FaceDetector detector = new FaceDetector(FaceDetector.Kind.BLAZEFACE, 48);
        List<DetectedFace> faces = detector.detectFaces(Images.gray(photo));
        assertEquals(1, faces.size(), "one face: " + faces);
        FaceBox box = faces.get(0).box();
        assertEquals(900, box.x() + box.width() / 2.0, 10);
        assertEquals(500, box.y() + box.height() / 2.0, 12);
        // Looking for large faces only, the same photo has none.
        assertEquals(List.of(), new FaceDetector(FaceDetector.Kind.BLAZEFACE, 200).detectFaces(Images.gray(photo)));
    }

    /**
     * The back network (256 px, not used by the default search) decodes with its own graph's options: a 100 px face in
     * a 640x480 photo, 0.16 of the letterbox, under what the front network sees, is found with its eyes where drawn.
     */
    @Test
    void theBackNetworkFindsASmallerFace() {
        BufferedImage photo = photo(100, 0, 420, 300);
        org.bytedeco.opencv.opencv_core.Mat gray = Images.gray(photo);
        BlazeFaceDetector back = new BlazeFaceDetector(BlazeFaceDetector.Network.BACK);
        List<DetectedFace> faces = BlazeFaceDetector.faces(back.run(gray, BlazeFaceDetector.letterbox(640, 480, 256)), 640, 480, 1);
        assertEquals(1, faces.size(), "one face: " + faces);
        EyePair eyes = faces.get(0).eyes().orElseThrow();
        double[] left = eye(100, 0, 420, 300, -1);
        assertEquals(0, Math.hypot(eyes.leftX() - left[0], eyes.leftY() - left[1]), 8, "left eye " + eyes);
    }

    @Test
    void noFaceInAnEmptyPhoto() {
        BufferedImage photo = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        assertEquals(List.of(), DETECTOR.detectFaces(Images.gray(photo)));
    }
}
