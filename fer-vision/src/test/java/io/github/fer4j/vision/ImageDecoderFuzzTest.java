package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.fer4j.AllocationBudget;
import io.github.fer4j.TestData;
import io.github.fer4j.JazzerAgentAvailable;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the photo decoder with a one-megapixel limit: any bytes give an upright BGR image within the limit or a
 * DecodeException naming the input, and no header may make it allocate more than the limit allows.
 */
@ExtendWith(JazzerAgentAvailable.class)
class ImageDecoderFuzzTest {
    static final long MAX_PIXELS = 1_000_000;
    private static final ImageDecoder DECODER = new ImageDecoder(MAX_PIXELS);

    @TempDir
    static Path dir;

    /** Small valid images in every format the decoder reads, an EXIF-rotated JPEG, and a header over the limit. */
    static Stream<byte[]> images() throws IOException {
        BufferedImage image = new BufferedImage(12, 8, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(2, 2, 6, 4);
        g.dispose();
        Stream.Builder<byte[]> seeds = Stream.builder();
        for (String format : new String[] {"png", "jpg", "bmp", "gif"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, format, out);
            seeds.add(out.toByteArray());
        }
        seeds.add(Base64.getDecoder().decode(ImageDecoderTest.WEBP));
        seeds.add(Base64.getDecoder().decode(ImageDecoderTest.JPEG_ORIENTATION_6));
        seeds.add(TestImages.bombPng(50_000, 50_000));
        return seeds.build();
    }

    @MethodSource("images")
    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void decodeBytes(byte[] bytes) {
        decode(bytes, "upload", () -> DECODER.decode(bytes, "upload"));
    }

    @MethodSource("images")
    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void decodeFile(byte[] bytes) {
        Path file = TestData.written(dir.resolve("photo"), bytes);
        decode(bytes, file.toString(), () -> DECODER.decode(file));
    }

    private interface Decoding {
        BufferedImage run();
    }

    private static void decode(byte[] bytes, String name, Decoding decoding) {
        AllocationBudget.forInput(bytes.length, AllocationBudget.PLAIN).check("decoding " + bytes.length + " bytes", () -> {
            try {
                BufferedImage image = decoding.run();
                assertEquals(BufferedImage.TYPE_3BYTE_BGR, image.getType());
                assertTrue((long) image.getWidth() * image.getHeight() <= MAX_PIXELS,
                        image.getWidth() + " x " + image.getHeight() + " is over the limit");
            } catch (ImageDecoder.DecodeException e) {
                assertTrue(e.getMessage().startsWith(name + ":"), "the error names the input: " + e.getMessage());
                assertFalse(e.getMessage().isBlank());
            }
        });
    }
}
