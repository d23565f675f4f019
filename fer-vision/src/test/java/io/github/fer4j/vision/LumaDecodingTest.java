package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The detector's decoding path: a JPEG straight to its luma channel, checked against decoding in colour and graying. */
class LumaDecodingTest {
    private final ImageDecoder decoder = new ImageDecoder();

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }

    /** A colour picture: a drawn face with skin, hair and a blue-gray background. */
    private static BufferedImage scene() {
        return DrawnFace.draw(240, 160, 0);
    }

    @Test
    void aJpegDecodedToItsLumaMatchesTheColourDecodeTurnedGray() throws IOException {
        byte[] jpeg = encode(scene(), "jpg");
        BufferedImage luma = decoder.decodeLuma(jpeg, "scene.jpg");
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, luma.getType());
        byte[] fast = Images.bytes(Images.gray(luma));
        byte[] plain = Images.bytes(Images.gray(decoder.decode(jpeg, "scene.jpg")));
        assertEquals(plain.length, fast.length);
        long sum = 0;
        int max = 0;
        for (int i = 0; i < fast.length; i++) {
            int d = Math.abs((fast[i] & 0xFF) - (plain[i] & 0xFF));
            sum += d;
            max = Math.max(max, d);
        }
        // libjpeg's Y is 0.299 R + 0.587 G + 0.114 B of the pixel before it is turned into RGB; graying the decoded
        // RGB rounds each channel once more, so most levels agree and the rest differ by one. Where a channel of the
        // decoded RGB was clipped to 0..255 (saturated skin or hair next to a sharp edge, where JPEG rings) the gray
        // of the clipped pixel is off by a few levels: the luma is the truer of the two there.
        double mean = (double) sum / fast.length;
        System.err.printf("luma decode against colour decode + gray: mean difference %.3f levels, largest %d%n", mean, max);
        assertTrue(mean < 0.05, "mean difference " + mean);
        assertTrue(max <= 8, "largest difference " + max);
    }

    @Test
    void otherFormatsComeOutInColourAsBefore() throws IOException {
        byte[] png = encode(scene(), "png");
        BufferedImage image = decoder.decodeLuma(png, "scene.png");
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, image.getType());
        assertTrue(Arrays.equals(Images.bytes(Images.gray(image)), Images.bytes(Images.gray(decoder.decode(png, "scene.png")))));
    }

    @Test
    void aGrayImageIsCopiedAsItIsWhichEqualsDrawingItInColourFirst() {
        BufferedImage gray = new BufferedImage(37, 23, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                gray.getRaster().setSample(x, y, 0, (x * 7 + y * 13) % 256);
            }
        }
        Mat direct = Images.gray(gray);
        Mat viaColour = Images.gray(ImageDecoder.toBgr(gray));
        assertTrue(Arrays.equals(Images.bytes(viaColour), Images.bytes(direct)));
    }

    @Test
    void exifOrientationTurnsALumaImageToo() {
        byte[] jpeg = Base64.getDecoder().decode(ImageDecoderTest.JPEG_ORIENTATION_6);
        BufferedImage luma = decoder.decodeLuma(jpeg, "oriented.jpg");
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, luma.getType());
        assertEquals(20, luma.getWidth());
        assertEquals(30, luma.getHeight());
        // The white block is at the top right once upright, as the colour decode shows it.
        assertTrue(luma.getRaster().getSample(15, 5, 0) > 200);
        assertTrue(luma.getRaster().getSample(5, 25, 0) < 60);
    }

    @Test
    void aTruncatedJpegIsRefusedOnTheLumaPathToo() throws IOException {
        byte[] jpeg = encode(scene(), "jpg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        ImageDecoder.DecodeException e = assertThrows(ImageDecoder.DecodeException.class, () -> decoder.decodeLuma(cut, "cut.jpg"));
        assertTrue(e.getMessage().startsWith("cut.jpg: truncated image"), e.getMessage());
    }

    @Test
    void onlyYCbCrOrGrayJpegsWithoutAProfileAreReadAsLuma() throws IOException {
        byte[] jfif = encode(scene(), "jpg");
        assertTrue(JpegMarkers.lumaIsGray(jfif), "JFIF: YCbCr");
        BufferedImage grayScene = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
        assertTrue(JpegMarkers.lumaIsGray(encode(grayScene, "jpg")), "one component");
        // The same frame without its JFIF marker and with component ids 'R', 'G', 'B': libjpeg reads it as RGB.
        byte[] rgb = withoutSegment(jfif, 0xE0);
        int sof = find(rgb, 0xC0);
        rgb[sof + 4 + 6] = 'R';
        rgb[sof + 4 + 9] = 'G';
        rgb[sof + 4 + 12] = 'B';
        assertFalse(JpegMarkers.lumaIsGray(rgb), "RGB ids");
        byte[] ids123 = withoutSegment(jfif, 0xE0);
        assertTrue(JpegMarkers.lumaIsGray(ids123), "no marker, ids 1 2 3: YCbCr");
        // An Adobe marker with transform 0 (RGB) or 1 (YCbCr), and an ICC profile, after the SOI.
        assertFalse(JpegMarkers.lumaIsGray(withSegment(ids123, 0xEE, adobe(0))), "Adobe RGB");
        assertTrue(JpegMarkers.lumaIsGray(withSegment(ids123, 0xEE, adobe(1))), "Adobe YCbCr");
        assertFalse(JpegMarkers.lumaIsGray(withSegment(jfif, 0xE2, "ICC_PROFILE\0\1\1xxxx".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))),
                "ICC profile");
        assertFalse(JpegMarkers.lumaIsGray(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}), "not a marker");
        assertFalse(JpegMarkers.lumaIsGray(Arrays.copyOf(jfif, 30)), "cut before the frame header");
        // And the decoder takes the colour path for what the scan refuses.
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, decoder.decodeLuma(withSegment(ids123, 0xEE, adobe(0)), "adobe.jpg").getType());
    }

    private static byte[] adobe(int transform) {
        byte[] data = new byte[12];
        System.arraycopy("Adobe".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, data, 0, 5);
        data[6] = 100;
        data[11] = (byte) transform;
        return data;
    }

    /** The offset of the first segment with this marker. */
    private static int find(byte[] jpeg, int marker) {
        int i = 2;
        while ((jpeg[i + 1] & 0xFF) != marker) {
            i += 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF));
        }
        return i;
    }

    private static byte[] withoutSegment(byte[] jpeg, int marker) {
        int at = find(jpeg, marker);
        int length = 2 + ((jpeg[at + 2] & 0xFF) << 8 | (jpeg[at + 3] & 0xFF));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, at);
        out.write(jpeg, at + length, jpeg.length - at - length);
        return out.toByteArray();
    }

    private static byte[] withSegment(byte[] jpeg, int marker, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(marker);
        out.write((data.length + 2) >> 8);
        out.write((data.length + 2) & 0xFF);
        out.write(data, 0, data.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
