package io.github.fer4j.cli;

import static io.github.fer4j.cli.FerCommandTest.fer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.TestData;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.vision.DrawnFace;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fer predict and fer evaluate-photos on photos written by the test (no face photo is committed). */
class PhotoCommandsTest {
    @TempDir
    Path dir;

    private static BufferedImage noise(int width, int height, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = (int) Math.max(0, Math.min(255, 120 + r.nextGaussian() * 10));
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    @Test
    void aFolderScanTakesEveryFormatTheDecoderReadsAndCountsWhatItSkips() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("scan"));
        ImageIO.write(noise(160, 120, 2), "png", photos.resolve("a.png").toFile());
        ImageIO.write(noise(160, 120, 3), "tiff", photos.resolve("b.tif").toFile());
        ImageIO.write(noise(160, 120, 4), "tiff", photos.resolve("c.TIFF").toFile());
        Files.writeString(photos.resolve("notes.txt"), "not a photo");
        Files.writeString(photos.resolve("more.txt"), "not a photo either");
        Files.writeString(photos.resolve("README"), "no suffix");
        FerCommandTest.Run run = fer("predict", photos.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("b.tif  no face found") && run.out().contains("c.TIFF  no face found"), run.out());
        assertTrue(run.err().contains("fer: 3 photos, 0 could not be read"), run.err());
        assertTrue(run.err().contains("skipped 3 files in the folders given, not images by their names (2 .txt, 1 without a suffix)"),
                run.err());
    }

    @Test
    void badFilesAreReportedOneLineEachAndTheBatchGoesOn() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        ImageIO.write(noise(320, 240, 1), "png", photos.resolve("empty-scene.png").toFile());
        Files.write(photos.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        Files.write(photos.resolve("zero.png"), new byte[0]);
        Path json = dir.resolve("faces.json");
        FerCommandTest.Run run = fer("predict", photos.toString(), dir.resolve("missing.jpg").toString(), "--json", json.toString(),
                "--csv", dir.resolve("faces.csv").toString());
        assertEquals(2, run.code(), "some files could not be read");
        assertTrue(run.out().contains("empty-scene.png  no face found"), run.out());
        assertTrue(run.err().contains("fer: " + photos.resolve("zero.png") + ": empty file"), run.err());
        assertTrue(run.err().contains("fer: " + photos.resolve("broken.jpg") + ": "), run.err());
        assertTrue(run.err().contains("missing.jpg: no such file, folder or matching photo"), run.err());
        JsonArray results = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonArray("photos");
        assertEquals(3, results.size());
        JsonObject scene = results.get(1).getAsJsonObject();
        assertEquals(0, scene.getAsJsonArray("faces").size());
        assertTrue(scene.has("noFaceReason"));
        assertTrue(Files.readString(dir.resolve("faces.csv")).contains("no face found"));

        FerCommandTest.Run clean = fer("predict", photos.resolve("empty-scene.png").toString());
        assertEquals(0, clean.code(), "a photo without a face is processed fine");
    }

    @Test
    void alignLevelsATurnedFaceBeforeTheCropAndNoAlignCutsItFromTheBox() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("drawn"));
        ImageIO.write(DrawnFace.draw(400, 180, 0), "png", photos.resolve("level.png").toFile());
        ImageIO.write(DrawnFace.draw(400, 180, 15), "png", photos.resolve("turned.png").toFile());
        FerCommandTest.Run aligned = fer("predict", photos.toString(), "--align", "--crops", dir.resolve("aligned").toString());
        FerCommandTest.Run boxOnly = fer("predict", photos.toString(), "--no-align", "--crops", dir.resolve("box").toString());
        assertEquals(0, aligned.code(), aligned.err());
        assertEquals(0, boxOnly.code(), boxOnly.err());
        double withAlignment = correlation(crop(dir.resolve("aligned/turned-face1.png")), crop(dir.resolve("aligned/level-face1.png")));
        double without = correlation(crop(dir.resolve("box/turned-face1.png")), crop(dir.resolve("box/level-face1.png")));
        assertTrue(withAlignment > without + 0.1, "the turned face's crop is the level face's: " + withAlignment + " against " + without);

        FerCommandTest.Run help = fer("predict", "--help");
        assertTrue(help.out().contains("--[no-]align") && help.out().contains("eyes level"), help.out());
    }

    private static byte[] crop(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        byte[] pixels = new byte[image.getWidth() * image.getHeight()];
        image.getRaster().getDataElements(0, 0, image.getWidth(), image.getHeight(), pixels);
        return pixels;
    }

    private static double correlation(byte[] a, byte[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += (a[i] & 0xFF) / (double) a.length;
            mb += (b[i] & 0xFF) / (double) b.length;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += ((a[i] & 0xFF) - ma) * ((b[i] & 0xFF) - mb);
            aa += ((a[i] & 0xFF) - ma) * ((a[i] & 0xFF) - ma);
            bb += ((b[i] & 0xFF) - mb) * ((b[i] & 0xFF) - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void labelErrorsNameTheLine() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        ImageIO.write(noise(100, 100, 2), "png", photos.resolve("a.png").toFile());
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "path,emotion\na.png,happy\na.png,bored\n");
        FerCommandTest.Run run = fer("evaluate-photos", photos.toString(), "--labels", labels.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains(labels + ":3: unknown emotion 'bored'"), run.err());
    }

    @Test
    void labelsAsAFer2013UserWritesThem() throws IOException {
        // Ids instead of names, an extra column, the columns in another order, one absolute path, and the photo folder
        // given as a relative path: all were refused or crashed before.
        Path photos = Files.createDirectories(dir.resolve("photos"));
        ImageIO.write(noise(120, 90, 3), "png", photos.resolve("a.png").toFile());
        ImageIO.write(noise(90, 90, 4), "png", photos.resolve("b, c.png").toFile());
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "Usage,emotion,path\nPublicTest,3,a.png\nPrivateTest,0,\"" + photos.resolve("b, c.png")
                + "\"\n");
        Path relative = Path.of("").toAbsolutePath().relativize(photos);
        Path results = dir.resolve("id-results");
        FerCommandTest.Run run = fer("evaluate-photos", relative.toString(), "--labels", labels.toString(), "--out",
                results.toString());
        assertEquals(0, run.code(), run.err());
        List<String> rows = Files.readAllLines(results.resolve("predictions.csv"));
        assertEquals(3, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(1).startsWith("a.png,Happy,"), rows.get(1));
        assertTrue(rows.get(2).startsWith("\"" + photos.resolve("b, c.png") + "\",Angry,"), rows.get(2));
        // Each row ends with every class's probability, summing to 1, the answer's among them; no face: empty cells.
        assertEquals("path,emotion,predicted,probability,Angry,Disgust,Fear,Happy,Sad,Surprise,Neutral", rows.get(0));
        for (String row : rows.subList(1, 3)) {
            // Counted from the end: the quoted path may hold a comma.
            List<String> cells = List.of(row.split(",", -1));
            List<String> last = cells.subList(cells.size() - 7, cells.size());
            String predicted = cells.get(cells.size() - 9);
            if (predicted.equals(EvaluatePhotosCommand.NO_FACE)) {
                assertTrue(last.stream().allMatch(String::isEmpty), row);
                continue;
            }
            double sum = last.stream().mapToDouble(Double::parseDouble).sum();
            assertEquals(1.0, sum, 0.001, row);
            int at = List.of("Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral").indexOf(predicted);
            assertEquals(cells.get(cells.size() - 8), last.get(at), row);
        }
    }

    @Test
    void composedPhotoOfFer2013FacesIsAnnotatedAndEvaluated() throws IOException {
        Optional<Path> data = TestData.fer2013();
        assumeTrue(data.isPresent(), TestData.MISSING);
        FaceSet faces = Fer2013Reader.read(data.get());
        int[] publicTest = faces.indices(Split.PUBLIC_TEST);
        Path photos = Files.createDirectories(dir.resolve("photos"));
        StringBuilder labels = new StringBuilder("path,emotion\n");
        for (int k = 0; k < 6; k++) {
            int i = publicTest[k + 3];
            BufferedImage photo = noise(640, 480, k);
            BufferedImage face = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
            face.getRaster().setDataElements(0, 0, 48, 48, faces.face(i));
            Graphics2D g = photo.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(face, 220, 120, 200, 200, null);
            g.dispose();
            ImageIO.write(photo, "jpg", photos.resolve("p" + k + ".jpg").toFile());
            labels.append("p").append(k).append(".jpg,").append(faces.emotion(i).displayName()).append('\n');
        }
        Path out = dir.resolve("annotated");
        FerCommandTest.Run run = fer("predict", photos.resolve("*.jpg").toString(), "--out", out.toString(), "--crops",
                dir.resolve("crops").toString());
        assertEquals(0, run.code(), run.err());
        long found = run.out().lines().filter(l -> l.contains(" face 1 ")).count();
        assertTrue(found >= 4, "faces found in " + found + " of 6 photos:\n" + run.out());
        BufferedImage annotated = ImageIO.read(out.resolve("p0.jpg").toFile());
        assertNotNull(annotated);
        assertEquals(640, annotated.getWidth());
        try (var crops = Files.list(dir.resolve("crops"))) {
            assertEquals(run.out().lines().filter(l -> l.matches(".*  face \\d+  box .*")).count(), crops.count(),
                    "one 48x48 crop per face found");
        }

        Path labelFile = dir.resolve("labels.csv");
        Files.writeString(labelFile, labels);
        Path results = dir.resolve("photo-results");
        FerCommandTest.Run evaluation = fer("evaluate-photos", photos.toString(), "--labels", labelFile.toString(), "--out",
                results.toString());
        assertEquals(0, evaluation.code(), evaluation.err());
        JsonObject metrics = JsonParser.parseString(Files.readString(results.resolve("metrics.json"))).getAsJsonObject();
        assertEquals(6, metrics.get("photos").getAsInt());
        assertEquals(6 - found, metrics.get("noFace").getAsLong(), "photos without a face are counted, not dropped");
        assertTrue(evaluation.out().contains("no face"), evaluation.out());
        assertTrue(Files.exists(results.resolve("figures/confusion-normalized.svg")));
        assertFalse(Files.readString(results.resolve("predictions.csv")).isBlank());
    }
}
