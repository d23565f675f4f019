package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.AllocationBudget;
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

    /** A 30x20 lossless WebP written by Pillow: red left third, white top right, black bottom right. */
    static final String WEBP = "UklGRjQAAABXRUJQVlA4TCgAAAAvHcAEABcw//M///MfKAWFbds2Snf7X07s8q05IKL/4b4laUWqAMQB";

    /**
     * A 30x20 JPEG written by Pillow whose stored pixels have a white 10x10 block at the top left, with EXIF
     * orientation 6 (shown rotated 90 degrees clockwise): upright, it is 20x30 with the block at the top right.
     */
    static final String JPEG_ORIENTATION_6 = "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAYAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAAUAB4DASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD9/K/kC/4Ojv8AlOv8c/8AuWf/AFGNJo/4ijv+C6//AEfN/wCYy8Mf/KyvkD9qP9qP47fto/HbXf2l/wBpfxz/AMJL428S/Zf7b1v+zLWz+0/Z7WK1h/c2sUUKbYYIk+VBnbk5YkkA8/ooooAKKKKACiiigD//2Q==";

    @Test
    void decodesWebp() {
        BufferedImage image = decoder.decode(java.util.Base64.getDecoder().decode(WEBP), "tiny.webp");
        assertEquals(30, image.getWidth());
        assertEquals(20, image.getHeight());
        assertEquals(0xFF0000, image.getRGB(2, 2) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(25, 5) & 0xFFFFFF);
        assertEquals(0x000000, image.getRGB(25, 15) & 0xFFFFFF);
    }

    @Test
    void exifOrientationFromAJpegIsApplied() {
        BufferedImage image = decoder.decode(java.util.Base64.getDecoder().decode(JPEG_ORIENTATION_6), "rotated.jpg");
        assertEquals(20, image.getWidth(), "width and height swap");
        assertEquals(30, image.getHeight());
        assertTrue((image.getRGB(15, 4) & 0xFF) > 200, "the white block is now at the top right");
        assertTrue((image.getRGB(4, 4) & 0xFF) < 60, "and no longer at the top left");
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

    /** A 200x150 photo: light top half, dark bottom half, with noise so that its data is not tiny. */
    private static byte[] photo(String format) throws IOException {
        BufferedImage image = new BufferedImage(200, 150, BufferedImage.TYPE_3BYTE_BGR);
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 200; x++) {
                int v = (y < 75 ? 220 : 40) + r.nextInt(20);
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void aTruncatedPhotoIsAnErrorNamingHowMuchWasReadUnlessAllowed(String format) throws IOException {
        byte[] whole = photo(format);
        byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
        ImageDecoder.DecodeException e = assertThrows(ImageDecoder.DecodeException.class, () -> decoder.decode(half, "cut." + format));
        assertTrue(e.getMessage().startsWith("cut." + format + ": truncated image: the file ends after "
                + String.format(java.util.Locale.ROOT, "%,d", half.length) + " bytes, before its 200 x 150 pixels are complete"),
                e.getMessage());
        assertTrue(e.getMessage().contains("--allow-truncated"), e.getMessage());
        assertEquals(java.util.List.of(), decoder.decodeReporting(whole, "whole." + format).warnings(), "a whole file has no warning");

        ImageDecoder.Decoded partial = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, true).decodeReporting(half, "cut." + format);
        assertEquals(1, partial.warnings().size());
        assertTrue(partial.warnings().get(0).contains("decoded what was there"), partial.warnings().get(0));
        int top = partial.image().getRGB(100, 10) & 0xFF;
        assertTrue(top > 180, "the rows before the cut are the photo's: " + top);
    }

    /**
     * Found by fuzzing: a 36-byte lossless WebP that declares 30 x 4865 pixels. TwelveMonkeys' reader takes every read
     * past the end as zeros, so it went on decoding nothing for 18 s (ImageIO's file cache made each read a system call)
     * and allocated 5 GB of EOFExceptions; now it is refused after a few reads past the end.
     */
    @Test
    void aTruncatedWebpIsRefusedInsteadOfDecodedFromNothing() {
        byte[] truncated = java.util.Base64.getDecoder().decode("UklGRjQAAABXRUJQVlA4TCgAAAAvHQDABAAXMP/zVgCqAMQB");
        ImageDecoder.DecodeException e = assertThrows(ImageDecoder.DecodeException.class,
                () -> decoder.decode(truncated, "cut.webp"));
        assertEquals("cut.webp: truncated image: the file ends after 36 bytes, before its 30 x 4865 pixels are complete "
                + "(the image data ends before its pixels do); --allow-truncated decodes what is there", e.getMessage());
    }

    /**
     * Found by fuzzing: a 47-byte WebP whose VP8L chunk declares 128 MB. Reading its EXIF orientation through
     * metadata-extractor's stream reader allocated the declared size before finding that the data ends.
     */
    @Test
    void aChunkSizeFromTheFileIsCheckedBeforeItIsAllocated() {
        byte[] webp = java.util.Base64.getDecoder().decode("UklGRjQAAABXRUJQVlA4TCgAAAgvaQAAAAAAAABfTuzyrTggov/hviVpRaoAxAE=");
        AllocationBudget.forInput(webp.length, AllocationBudget.PLAIN).check("decoding a 47-byte WebP", () -> {
            BufferedImage image = decoder.decode(webp, "chunk.webp");
            assertEquals(106, image.getWidth());
        });
    }
}
