package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    @TempDir
    Path dir;
    private final ImageDecoder decoder = new ImageDecoder();

    private static BufferedImage sample(int type) {
        BufferedImage image = new BufferedImage(30, 20, type);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                image.setRGB(x, y, x < 10 ? Color.RED.getRGB() : y < 10 ? Color.WHITE.getRGB() : Color.BLACK.getRGB());
            }
        }
        return image;
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "bmp", "gif"})
    void decodesCommonFormatsInColourAndGray(String format) throws IOException {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY}) {
            Path file = dir.resolve("photo-" + type + "." + format);
            assertTrue(ImageIO.write(sample(type), format, file.toFile()), format);
            BufferedImage image = decoder.decode(file);
            assertEquals(30, image.getWidth());
            assertEquals(20, image.getHeight());
            assertEquals(BufferedImage.TYPE_3BYTE_BGR, image.getType());
            int white = image.getRGB(20, 5) & 0xFF;
            assertTrue(white > 200, format + " keeps white: " + white);
        }
    }

    @Test
    void exifOrientationsTurnThePhotoUpright() {
        // A 3x2 image with a marked top-left pixel; where it lands tells the transform.
        BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_3BYTE_BGR);
        stored.setRGB(0, 0, 0xFFFFFF);
        int[][] expected = {{0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 2}, {0, 2}};
        for (int o = 1; o <= 8; o++) {
            BufferedImage upright = ImageDecoder.orient(stored, o);
            assertEquals(o >= 5 ? 2 : 3, upright.getWidth(), "orientation " + o);
            int[] at = expected[o - 1];
            assertEquals(0xFFFFFF, upright.getRGB(at[0], at[1]) & 0xFFFFFF, "orientation " + o + " puts the corner at "
                    + at[0] + "," + at[1]);
        }
    }

    @Test
    void badFilesGiveOneClearLineEach() throws IOException {
        Path empty = dir.resolve("empty.jpg");
        Files.write(empty, new byte[0]);
        assertEquals(empty + ": empty file", assertThrows(ImageDecoder.DecodeException.class, () -> decoder.decode(empty)).getMessage());
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "this is not a picture");
        assertTrue(assertThrows(ImageDecoder.DecodeException.class, () -> decoder.decode(text)).getMessage()
                .startsWith(text + ": not an image"));
        Path good = dir.resolve("good.jpg");
        ImageIO.write(sample(BufferedImage.TYPE_INT_RGB), "jpg", good.toFile());
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, java.util.Arrays.copyOf(bytes, 40));
        ImageDecoder.DecodeException e = assertThrows(ImageDecoder.DecodeException.class, () -> decoder.decode(cut));
        assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
    }

    @Test
    void hugeImagesAreRefusedFromTheHeaderAlone() throws IOException {
        byte[] bomb = TestImages.bombPng(50_000, 50_000);
        assertTrue(bomb.length < 200);
        ImageDecoder.DecodeException e = assertThrows(ImageDecoder.DecodeException.class, () -> decoder.decode(bomb, "bomb.png"));
        assertTrue(e.tooLarge());
        assertEquals("bomb.png: image is 50000 x 50000 = 2500.0 megapixels, over the limit of 40.0", e.getMessage());
    }
}
