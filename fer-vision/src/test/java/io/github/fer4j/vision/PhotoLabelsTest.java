package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.Emotion;
import io.github.fer4j.data.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoLabelsTest {
    @TempDir
    Path dir;

    private PhotoLabels read(byte[] bytes) throws IOException {
        Path file = dir.resolve("labels.csv");
        Files.write(file, bytes);
        return PhotoLabels.read(file);
    }

    private String error(String text) {
        return assertThrows(InvalidInputException.class, () -> read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .getMessage();
    }

    @Test
    void readsPathsAndEmotionsWithTheirLines() throws IOException {
        PhotoLabels labels = read("path,emotion\r\nalice.jpg,happy\n\n\"sub dir/bob, smiling.png\", Happiness \ncarol.jpg,SAD\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of(new PhotoLabels.Entry(2, Path.of("alice.jpg"), Emotion.HAPPY),
                new PhotoLabels.Entry(4, Path.of("sub dir/bob, smiling.png"), Emotion.HAPPY),
                new PhotoLabels.Entry(5, Path.of("carol.jpg"), Emotion.SAD)), labels.entries());
    }

    @Test
    void findsTheColumnsByTheHeaderAndTakesFer2013Ids() throws IOException {
        // A FER2013 user's first labels file: ids, the columns in another order, and a column fer4j does not use.
        PhotoLabels labels = read(("Usage,Emotion,Path\nTraining,3,faces/0001.png\n\nPublicTest,0,\"faces/a,b.png\"\n"
                + "PrivateTest,Neutral,faces/0003.png\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of(new PhotoLabels.Entry(2, Path.of("faces/0001.png"), Emotion.HAPPY),
                new PhotoLabels.Entry(4, Path.of("faces/a,b.png"), Emotion.ANGRY),
                new PhotoLabels.Entry(5, Path.of("faces/0003.png"), Emotion.NEUTRAL)), labels.entries());
        // "label" names the emotion column too; a quoted field may hold a line break, and lines still count right.
        labels = read("file,label,note\nx.jpg,6,\"two\nlines\"\ny.jpg,surprised,\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of(new PhotoLabels.Entry(2, Path.of("x.jpg"), Emotion.NEUTRAL),
                new PhotoLabels.Entry(4, Path.of("y.jpg"), Emotion.SURPRISE)), labels.entries());
    }

    @Test
    void badLinesNameTheFileAndLine() {
        Path file = dir.resolve("labels.csv");
        assertEquals(file + ":2: expected path,emotion (or a header line naming the path and emotion columns)",
                error("a.jpg,happy\nb.jpg happy\n"));
        assertEquals(file + ":1: unknown emotion 'sleepy' (expected one of Angry, Disgust, Fear, Happy, Sad, Surprise,"
                + " Neutral, or a FER2013 id 0-6)", error("a.jpg,sleepy\n"));
        assertEquals(file + ":3: unknown emotion '7' (expected one of Angry, Disgust, Fear, Happy, Sad, Surprise,"
                + " Neutral, or a FER2013 id 0-6)", error("path,emotion\na.jpg,3\nb.jpg,7\n"));
        assertEquals(file + ":1: the header names no emotion column (emotion or label): path,usage",
                error("path,usage\na.jpg,Training\n"));
        assertEquals(file + ":3: expected at least 3 columns as the header says, found 2",
                error("usage,path,emotion\nTraining,a.jpg,4\nb.jpg,4\n"));
        assertEquals(file + ":2: empty path", error("path,emotion\n ,happy\n"));
        assertTrue(error("path,emotion\na.jpg,happy\n\"b.jpg,sad\n").startsWith(file + ":3: bad CSV quoting"),
                error("path,emotion\na.jpg,happy\n\"b.jpg,sad\n"));
        assertEquals(file + ": no labelled photos", error("path,emotion\n\n"));
        // Found by fuzzing: a NUL in a path made Path.resolve throw InvalidPathException in evaluate-photos.
        assertEquals(file + ":1: 'a\0.jpg' is not a valid path: Nul character not allowed", error("a\0.jpg,happy\n"));
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirLine() throws IOException {
        Path file = dir.resolve("labels.csv");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> read(new byte[] {'a', ',', 'h', 'a', 'p', 'p', 'y', '\r', '\n', 'b', (byte) 0xC3, ',', 's', 'a', 'd'}));
        assertEquals(file + ":2: not UTF-8 text", e.getMessage());
        assertEquals(dir.resolve("none.csv") + ": no such labels file",
                assertThrows(InvalidInputException.class, () -> PhotoLabels.read(dir.resolve("none.csv"))).getMessage());
    }
}
