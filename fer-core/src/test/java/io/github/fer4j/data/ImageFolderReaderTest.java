package io.github.fer4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    @TempDir
    Path root;

    private void writeImage(String relative, int size, Color fill, String format) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(fill);
        g.fillRect(0, 0, size, size);
        g.dispose();
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        ImageIO.write(image, format, file.toFile());
    }

    @Test
    void readsSplitsEmotionsInAnyCaseResizesAndGrays() throws IOException {
        byte[] face = SyntheticFaces.draw(Emotion.HAPPY, new SplittableRandom(3));
        BufferedImage gray = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setDataElements(0, 0, 48, 48, face);
        Path exact = root.resolve("train/Happy/Training_1.png");
        Files.createDirectories(exact.getParent());
        ImageIO.write(gray, "png", exact.toFile());
        writeImage("train/SAD/Training_2.png", 96, new Color(200, 100, 50), "png");
        writeImage("test/fear/PublicTest_3.jpg", 48, Color.WHITE, "jpg");
        writeImage("test/neutral/PrivateTest_4.png", 48, Color.BLACK, "png");
        Files.writeString(root.resolve("train/SAD/notes.txt"), "not an image, ignored");

        FaceSet faces = new ImageFolderReader(false, LoadProgress.NONE).load(root).faces();
        assertEquals(4, faces.size());
        // sorted: test/fear, test/neutral, train/Happy, train/SAD
        assertEquals(Emotion.FEAR, faces.emotion(0));
        assertEquals(Split.PUBLIC_TEST, faces.split(0));
        assertEquals(Split.PRIVATE_TEST, faces.split(1));
        assertEquals(Emotion.HAPPY, faces.emotion(2));
        assertEquals(Split.TRAINING, faces.split(2));
        assertEquals(java.util.Arrays.toString(face), java.util.Arrays.toString(faces.face(2)), "48x48 gray PNG is lossless");
        // (200,100,50) in gray is about 0.299*200 + 0.587*100 + 0.114*50 = 124; the 96x96 image is resized to 48x48
        int level = faces.pixel(3, 1000);
        assertTrue(Math.abs(level - 124) <= 12, "gray level " + level);
        assertTrue(faces.pixel(0, 0) > 240, "white JPEG stays white");
    }

    @Test
    void emotionFoldersMayBeFer2013Ids() throws IOException {
        writeImage("train/3/a.png", 48, Color.GRAY, "png");
        writeImage("train/6/b.png", 48, Color.GRAY, "png");
        FaceSet faces = new ImageFolderReader(false, LoadProgress.NONE).load(root).faces();
        assertEquals(Emotion.HAPPY, faces.emotion(0));
        assertEquals(Emotion.NEUTRAL, faces.emotion(1));
        writeImage("train/7/c.png", 48, Color.GRAY, "png");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new ImageFolderReader(false, LoadProgress.NONE).load(root));
        assertTrue(e.getMessage().startsWith(root.resolve("train/7") + ": unknown emotion folder"), e.getMessage());
    }

    @Test
    void unknownEmotionFolderIsNamed() throws IOException {
        writeImage("train/bored/x.png", 48, Color.GRAY, "png");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new ImageFolderReader(false, LoadProgress.NONE).load(root));
        assertTrue(e.getMessage().startsWith(root.resolve("train/bored") + ": unknown emotion folder"), e.getMessage());
    }

    @Test
    void corruptImageStopsTheLoadOrIsSkipped() throws IOException {
        writeImage("train/happy/good.png", 48, Color.GRAY, "png");
        Path broken = root.resolve("train/happy/broken.png");
        Files.write(broken, new byte[] {1, 2, 3, 4, 5});
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new ImageFolderReader(false, LoadProgress.NONE).load(root));
        assertTrue(e.getMessage().startsWith(broken + ": "), e.getMessage());
        LoadResult skipped = new ImageFolderReader(true, LoadProgress.NONE).load(root);
        assertEquals(1, skipped.faces().size());
        assertEquals(1, skipped.skippedRows());
    }

    @Test
    void emptyTreeIsRejected() throws IOException {
        Files.createDirectories(root.resolve("train/happy"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new ImageFolderReader(false, LoadProgress.NONE).load(root));
        assertTrue(e.getMessage().contains("no images found"), e.getMessage());
    }
}
