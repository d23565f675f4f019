package io.github.fer4j.spark;

import io.github.fer4j.TestData;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.vision.PhotoComposer;
import io.github.fer4j.vision.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Test photos composed at test time (no face image is committed): FER2013 PrivateTest faces, or drawn synthetic faces
 * when FER2013 is absent, pasted onto noisy backgrounds, one or two per photo or none, as JPEG and PNG; and a set of
 * files that are not readable photos, each for its own reason.
 */
final class ComposedPhotos {
    private ComposedPhotos() {
    }

    /** FER2013's PrivateTest faces when the data is here, else synthetic faces; seeded, so the same every run. */
    static FaceSet faces() {
        return TestData.fer2013().map(file -> {
            FaceSet all = Fer2013Reader.read(file);
            int[] usable = PhotoComposer.usable(all, all.indices(Split.PRIVATE_TEST), 2000).stream().mapToInt(Integer::intValue).toArray();
            return all.subset(usable);
        }).orElseGet(() -> SyntheticFaces.generate(2000, 7));
    }

    /** Writes {@code count} photos into {@code folder}; returns their names. */
    static List<String> write(Path folder, FaceSet faces, int count, long seed) throws IOException {
        Files.createDirectories(folder);
        SplittableRandom r = new SplittableRandom(seed);
        List<String> names = new ArrayList<>();
        int[][] sizes = {{320, 240}, {400, 300}, {480, 360}, {240, 240}, {300, 400}};
        for (int i = 0; i < count; i++) {
            int[] size = sizes[r.nextInt(sizes.length)];
            int w = size[0];
            int h = size[1];
            List<PhotoComposer.Placement> placements = new ArrayList<>();
            // One photo in ten has no face at all; a third of the rest have two.
            int people = i % 10 == 9 ? 0 : r.nextInt(3) == 0 ? 2 : 1;
            for (int p = 0; p < people; p++) {
                int side = Math.min(w, h) / (people + 1) + r.nextInt(Math.min(w, h) / 4);
                int x = people == 1 ? r.nextInt(w - side + 1) : p * (w / 2) + r.nextInt(Math.max(1, w / 2 - side + 1));
                int y = r.nextInt(h - side + 1);
                placements.add(new PhotoComposer.Placement(faces.face(r.nextInt(faces.size())), x, y, Math.min(side, w / people)));
            }
            BufferedImage photo = PhotoComposer.compose(w, h, placements, r.nextLong());
            String format = i % 4 == 3 ? "png" : "jpg";
            String name = String.format("photo-%04d.%s", i, format);
            ImageIO.write(photo, format, folder.resolve(name).toFile());
            names.add(name);
        }
        return names;
    }

    /** Ten files that are not readable photos, by name, each of them broken in its own way. */
    static Map<String, byte[]> badFiles(FaceSet faces) throws IOException {
        BufferedImage photo = PhotoComposer.compose(320, 240,
                List.of(new PhotoComposer.Placement(faces.face(0), 100, 60, 120)), 1);
        byte[] jpeg = encode(photo, "jpg");
        byte[] png = encode(photo, "png");
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("truncated.jpg", java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        bad.put("empty.jpg", new byte[0]);
        bad.put("text.png", "this is a text file, not a PNG\n".getBytes(StandardCharsets.UTF_8));
        bad.put("bomb.png", TestImages.bombPng(50_000, 50_000));
        bad.put("truncated.png", java.util.Arrays.copyOf(png, png.length / 3));
        bad.put("page.jpg", "<!DOCTYPE html><html><body>not a photo</body></html>".getBytes(StandardCharsets.UTF_8));
        byte[] gif = new byte[400];
        new SplittableRandom(3).nextBytes(gif);
        System.arraycopy("GIF89a".getBytes(StandardCharsets.US_ASCII), 0, gif, 0, 6);
        bad.put("noise.gif", gif);
        bad.put("header-only.jpg", java.util.Arrays.copyOf(jpeg, 20));
        bad.put("archive.webp", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0});
        bad.put("tiny-bomb.bmp", bmpHeader(100_000, 100_000));
        return bad;
    }

    /** A BMP header that claims width x height pixels at 24 bits, with no pixel data after it. */
    private static byte[] bmpHeader(int width, int height) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(54).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(0).putInt(0).putInt(54);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).putInt(0).putInt(0)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        return b.array();
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
