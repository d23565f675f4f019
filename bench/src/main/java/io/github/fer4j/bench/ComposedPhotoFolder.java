package io.github.fer4j.bench;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes a folder of composed photos for the Spark benchmark: 320x240 to 480x360 JPEGs with zero, one or two FER2013
 * PrivateTest faces (synthetic faces without the data) pasted onto a noisy gradient. Seeded: the same folder every run.
 * Usage: {@code ComposedPhotoFolder OUT_DIR COUNT [fer2013.csv.gz]}.
 */
public final class ComposedPhotoFolder {
    private ComposedPhotoFolder() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Path data = Path.of(args.length > 2 ? args[2] : "../shared/data/fer2013.csv.gz");
        FaceSet faces = Files.isRegularFile(data) ? Fer2013Reader.read(data).subset(Split.PRIVATE_TEST) : SyntheticFaces.generate(2000, 7);
        Files.createDirectories(out);
        SplittableRandom r = new SplittableRandom(2026);
        int[][] sizes = {{320, 240}, {400, 300}, {480, 360}};
        for (int i = 0; i < count; i++) {
            int[] size = sizes[r.nextInt(sizes.length)];
            BufferedImage photo = background(size[0], size[1], r);
            Graphics2D g = photo.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            // One photo in ten has nobody in it; a third of the rest have two people side by side.
            int people = i % 10 == 9 ? 0 : r.nextInt(3) == 0 ? 2 : 1;
            for (int p = 0; p < people; p++) {
                int half = size[0] / people;
                int side = Math.min(half, size[1]) * (5 + r.nextInt(4)) / 10;
                int x = p * half + r.nextInt(half - side + 1);
                int y = r.nextInt(size[1] - side + 1);
                g.drawImage(face(faces.face(r.nextInt(faces.size()))), x, y, side, side, null);
            }
            g.dispose();
            ImageIO.write(photo, "jpg", out.resolve(String.format("photo-%05d.jpg", i)).toFile());
        }
        System.err.printf("wrote %d photos to %s (faces from %s)%n", count, out, Files.isRegularFile(data) ? data : "synthetic faces");
    }

    static BufferedImage background(int width, int height, SplittableRandom r) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        double base = 60 + r.nextInt(120);
        double gx = (r.nextDouble() - 0.5) * 100 / width;
        double gy = (r.nextDouble() - 0.5) * 100 / height;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = (int) Math.max(0, Math.min(255, Math.round(base + gx * x + gy * y + r.nextGaussian() * 6)));
                canvas.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        return canvas;
    }

    static BufferedImage face(byte[] pixels) {
        BufferedImage image = new BufferedImage(FaceSet.SIDE, FaceSet.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, FaceSet.SIDE, FaceSet.SIDE, pixels);
        return image;
    }
}
