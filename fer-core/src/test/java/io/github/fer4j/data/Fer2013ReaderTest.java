package io.github.fer4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fer2013ReaderTest {
    @TempDir
    Path dir;

    /** A row whose pixel p has value (seed + p) % 256. */
    static String row(int emotion, int seed, String usage) {
        StringBuilder pixels = new StringBuilder();
        for (int p = 0; p < FaceSet.PIXELS; p++) {
            if (p > 0) {
                pixels.append(' ');
            }
            pixels.append((seed + p) % 256);
        }
        return emotion + "," + pixels + (usage == null ? "" : "," + usage);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private Path writeGzip(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        }
        Path file = dir.resolve(name);
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static String validFile() {
        return "emotion,pixels,Usage\n" + row(3, 0, "Training") + "\n" + row(0, 7, "PublicTest") + "\n"
                + row(6, 100, "PrivateTest") + "\n";
    }

    @Test
    void readsRowsLabelsSplitsAndPixelsExactly() throws IOException {
        FaceSet faces = Fer2013Reader.read(write("fer.csv", validFile()));
        assertEquals(3, faces.size());
        assertEquals(Emotion.HAPPY, faces.emotion(0));
        assertEquals(Emotion.ANGRY, faces.emotion(1));
        assertEquals(Emotion.NEUTRAL, faces.emotion(2));
        assertEquals(Split.TRAINING, faces.split(0));
        assertEquals(Split.PUBLIC_TEST, faces.split(1));
        assertEquals(Split.PRIVATE_TEST, faces.split(2));
        assertEquals(7, faces.pixel(1, 0));
        assertEquals((100 + 2303) % 256, faces.pixel(2, 2303));
        assertEquals(64, faces.sha256().length());
    }

    @Test
    void gzipIsDetectedByMagicBytesNotByName() throws IOException {
        Path plain = write("plain.csv", validFile());
        Path gzipNamedCsv = writeGzip("actually-gzip.csv", validFile().getBytes(StandardCharsets.US_ASCII));
        Path plainNamedGz = write("actually-plain.csv.gz", validFile());
        FaceSet a = Fer2013Reader.read(plain);
        FaceSet b = Fer2013Reader.read(gzipNamedCsv);
        FaceSet c = Fer2013Reader.read(plainNamedGz);
        assertArrayEquals(a.pixelArray(), b.pixelArray());
        assertArrayEquals(a.pixelArray(), c.pixelArray());
    }

    @Test
    void acceptsCrlfQuotesBomAndColumnsInAnyOrder() throws IOException {
        String text = "\uFEFFUsage, \"pixels\", emotion\r\nTraining,\"" + row(5, 3, null).substring(2) + "\",5\r\n";
        FaceSet faces = Fer2013Reader.read(write("kaggle.csv", text));
        assertEquals(1, faces.size());
        assertEquals(Emotion.SURPRISE, faces.emotion(0));
        assertEquals(3, faces.pixel(0, 0));
        assertEquals((3 + 2303) % 256, faces.pixel(0, 2303));
    }

    @Test
    void fileWithoutUsageIsAllTrainingAndCanBeSplitBySeed() throws IOException {
        StringBuilder text = new StringBuilder("emotion,pixels\n");
        for (int i = 0; i < 100; i++) {
            text.append(row(i % 7, i, null)).append('\n');
        }
        LoadResult result = new Fer2013Reader(false, LoadProgress.NONE).load(write("train.csv", text.toString()));
        assertFalse(result.hadSplits());
        assertEquals(100, result.faces().indices(Split.TRAINING).length);
        FaceSet split = result.faces().withValidationFraction(0.2, 42);
        assertEquals(20, split.indices(Split.PUBLIC_TEST).length);
        assertEquals(80, split.indices(Split.TRAINING).length);
        assertArrayEquals(split.indices(Split.PUBLIC_TEST),
                result.faces().withValidationFraction(0.2, 42).indices(Split.PUBLIC_TEST), "same seed, same split");
    }

    private void assertBad(String fileText, String expectedMessage) throws IOException {
        Path file = write("bad.csv", fileText);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Fer2013Reader.read(file));
        assertEquals(file + ":" + expectedMessage, e.getMessage());
    }

    @Test
    void shortPixelRowNamesFileLineAndCount() throws IOException {
        String shortRow = row(2, 0, "Training").replaceFirst(" 255,", ",");
        assertBad("emotion,pixels,Usage\n" + row(1, 0, "Training") + "\n" + shortRow + "\n",
                "3: expected 2304 pixels, found 2303");
    }

    @Test
    void pixelOutsideRangeIsRejected() throws IOException {
        String bad = row(2, 0, "Training").replaceFirst("^2,0 ", "2,256 ");
        assertBad("emotion,pixels,Usage\n" + bad + "\n", "2: pixel 1 is outside 0..255: 256");
        String negative = row(2, 0, "Training").replaceFirst("^2,0 ", "2,-4 ");
        assertBad("emotion,pixels,Usage\n" + negative + "\n", "2: pixel 1 is outside 0..255: negative value");
        String letter = row(2, 0, "Training").replaceFirst("^2,0 1 ", "2,0 x ");
        assertBad("emotion,pixels,Usage\n" + letter + "\n", "2: pixel 2 is not an integer: unexpected character 'x'");
    }

    @Test
    void labelOutsideZeroToSixIsRejected() throws IOException {
        assertBad("emotion,pixels,Usage\n" + row(7, 0, "Training") + "\n", "2: emotion must be an integer 0..6, found '7'");
    }

    @Test
    void unknownUsageIsRejected() throws IOException {
        assertBad("emotion,pixels,Usage\n" + row(1, 0, "Validation") + "\n",
                "2: unknown Usage 'Validation' (expected Training, PublicTest or PrivateTest)");
    }

    @Test
    void wrongFieldCountIsRejected() throws IOException {
        assertBad("emotion,pixels,Usage\n" + row(1, 0, "Training") + ",extra\n", "2: expected 3 fields, found 4");
    }

    @Test
    void emptyFileAndMissingHeaderAndHeaderOnlyAreRejected() throws IOException {
        Path empty = write("empty.csv", "");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Fer2013Reader.read(empty));
        assertEquals(empty + ": empty file (expected a header line emotion,pixels,Usage)", e.getMessage());
        Path noHeader = write("noheader.csv", row(1, 0, "Training") + "\n");
        e = assertThrows(InvalidInputException.class, () -> Fer2013Reader.read(noHeader));
        assertTrue(e.getMessage().startsWith(noHeader + ":1: expected a header naming the columns emotion,pixels[,Usage]"),
                e.getMessage());
        Path headerOnly = write("header.csv", "emotion,pixels,Usage\n");
        e = assertThrows(InvalidInputException.class, () -> Fer2013Reader.read(headerOnly));
        assertEquals(headerOnly + ": no data rows after the header", e.getMessage());
    }

    @Test
    void truncatedGzipIsRejectedWithTheLineReached() throws IOException {
        StringBuilder text = new StringBuilder("emotion,pixels,Usage\n");
        for (int i = 0; i < 50; i++) {
            text.append(row(i % 7, i * 13, "Training")).append('\n');
        }
        Path whole = writeGzip("whole.csv.gz", text.toString().getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.csv.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Fer2013Reader.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ":"), e.getMessage());
        assertTrue(e.getMessage().endsWith("truncated gzip stream: the file ends before the compressed data does"),
                e.getMessage());
    }

    @Test
    void skipBadRowsCountsAndKeepsTheGoodOnes() throws IOException {
        String text = "emotion,pixels,Usage\n" + row(1, 0, "Training") + "\n" + row(9, 0, "Training") + "\n"
                + row(2, 0, "Training").replaceFirst(" 255,", ",") + "\n" + row(3, 9, "PublicTest") + "\n";
        LoadResult result = new Fer2013Reader(true, LoadProgress.NONE).load(write("mixed.csv", text));
        assertEquals(2, result.faces().size());
        assertEquals(2, result.skippedRows());
        assertEquals(2, result.skippedReasons().size());
        assertTrue(result.skippedReasons().get(0).endsWith(":3: emotion must be an integer 0..6, found '9'"));
        assertEquals(Emotion.HAPPY, result.faces().emotion(1));
    }

    @Test
    void missingFileAndDirectoryAreRejected() {
        Path missing = dir.resolve("nope.csv");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Fer2013Reader.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Fer2013Reader.read(dir));
        assertEquals(dir + ": is a directory, not a fer2013 csv file", e.getMessage());
    }

    @Test
    void blankLinesAreIgnoredAndLastLineNeedsNoNewline() throws IOException {
        FaceSet faces = Fer2013Reader.read(write("blank.csv",
                "emotion,pixels,Usage\n\n" + row(1, 0, "Training") + "\n   \n" + row(2, 1, "Training")));
        assertEquals(2, faces.size());
    }

    @Test
    void onePixelsFieldParsesAsTheReaderParsesItsRow(@TempDir Path dir) throws IOException {
        StringBuilder field = new StringBuilder();
        for (int p = 0; p < FaceSet.PIXELS; p++) {
            field.append(p == 0 ? "" : " ").append((p * 7) % 256);
        }
        Path csv = Files.writeString(dir.resolve("one.csv"), "emotion,pixels,Usage\n3,\"" + field + "\",Training\n");
        assertArrayEquals(Fer2013Reader.read(csv).face(0), Fer2013Reader.pixels(field.toString()));
        assertArrayEquals(Fer2013Reader.read(csv).face(0), Fer2013Reader.pixels(" " + field + " "), "surrounding blanks");
        assertEquals("expected 2304 pixels, found 2303", assertThrows(InvalidInputException.class,
                () -> Fer2013Reader.pixels(field.substring(0, field.lastIndexOf(" ")))).getMessage());
        assertEquals("pixel 1 is outside 0..255: 300", assertThrows(InvalidInputException.class,
                () -> Fer2013Reader.pixels("300" + field.substring(1))).getMessage());
        assertEquals("pixel 1 is not an integer: unexpected character 'a'", assertThrows(InvalidInputException.class,
                () -> Fer2013Reader.pixels("a" + field.substring(1))).getMessage());
        assertEquals("expected 2304 pixels, found 0", assertThrows(InvalidInputException.class,
                () -> Fer2013Reader.pixels("")).getMessage());
    }
}
