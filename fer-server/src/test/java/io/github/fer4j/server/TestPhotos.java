package io.github.fer4j.server;

import io.github.fer4j.TestData;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Photos composed by the tests from FER2013 faces (loaded once), and plain backgrounds. */
final class TestPhotos {
    private static FaceSet faces;
    private static boolean tried;

    private TestPhotos() {
    }

    /** FER2013, or null when it is absent (tests then skip, saying so). */
    static synchronized FaceSet faces() {
        if (!tried) {
            tried = true;
            TestData.fer2013().ifPresent(p -> faces = Fer2013Reader.read(p));
        }
        return faces;
    }

    static BufferedImage background(int width, int height, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = (int) Math.max(0, Math.min(255, 110 + x / 20 + r.nextGaussian() * 8));
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    /** A photo with the given PublicTest faces (by position in the split) pasted at (x, y, side) triples. */
    static BufferedImage withFaces(int width, int height, List<int[]> placements) {
        BufferedImage photo = background(width, height, placements.size());
        int[] publicTest = faces().indices(Split.PUBLIC_TEST);
        Graphics2D g = photo.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        for (int[] p : placements) {
            BufferedImage face = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
            face.getRaster().setDataElements(0, 0, 48, 48, faces().face(publicTest[p[0]]));
            g.drawImage(face, p[1], p[2], p[3], p[3], null);
        }
        g.dispose();
        return photo;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
