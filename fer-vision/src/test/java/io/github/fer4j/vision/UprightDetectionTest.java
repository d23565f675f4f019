package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A phone photo stores its pixels as the sensor saw them and says in EXIF how to turn them; the photo path reads it
 * upright, so BlazeFace sees the face upright, its eyes level. The same pixels without the EXIF note show a face lying
 * on its side.
 */
class UprightDetectionTest {
    @Test
    void aPhoneJpegIsDetectedUpright() throws IOException {
        // The face drawn upright, then stored turned 90 degrees counter-clockwise, which EXIF orientation 6 undoes.
        BufferedImage upright = DrawnFace.draw(480, 220, 0);
        BufferedImage stored = new BufferedImage(480, 480, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = stored.createGraphics();
        g.rotate(-Math.PI / 2, 240, 240);
        g.drawImage(upright, 0, 0, null);
        g.dispose();
        byte[] plain = jpeg(stored);
        byte[] phone = withExif(plain, exifSegment());
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, false);
        FaceDetector detector = new FaceDetector(FaceDetector.Kind.BLAZEFACE, 48);

        List<DetectedFace> faces = detector.detectFaces(Images.gray(decoder.decodeLuma(phone, "phone.jpg")));
        assertEquals(1, faces.size(), "one face: " + faces);
        EyePair eyes = faces.get(0).eyes().orElseThrow();
        assertEquals(0, eyes.angleDegrees(), 8, "eyes level: " + eyes);
        assertTrue(eyes.midY() < faces.get(0).box().y() + faces.get(0).box().height() / 2.0, "eyes in the upper half");

        // Without the EXIF note the face lies on its side: found or not, its eyes are not level.
        List<DetectedFace> sideways = detector.detectFaces(Images.gray(decoder.decodeLuma(plain, "sideways.jpg")));
        assertTrue(sideways.stream().allMatch(f -> Math.abs(f.eyes().orElseThrow().angleDegrees()) > 45), "sideways: " + sideways);
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    /** The APP1 (EXIF, orientation 6) segment of ImageDecoderTest's Pillow JPEG, marker included. */
    private static byte[] exifSegment() {
        byte[] jpeg = Base64.getDecoder().decode(ImageDecoderTest.JPEG_ORIENTATION_6);
        for (int i = 2; i + 4 < jpeg.length; ) {
            int length = (jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF);
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xE1) {
                return java.util.Arrays.copyOfRange(jpeg, i, i + 2 + length);
            }
            i += 2 + length;
        }
        throw new IllegalStateException("no APP1 segment");
    }

    /** The JPEG with the segment right after its start-of-image marker. */
    private static byte[] withExif(byte[] jpeg, byte[] segment) {
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(segment, 0, out, 2, segment.length);
        System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
        return out;
    }
}
