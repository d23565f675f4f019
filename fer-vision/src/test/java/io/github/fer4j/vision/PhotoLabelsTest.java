package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void badLinesNameTheFileAndLine() {
        Path file = dir.resolve("labels.csv");
        assertEquals(file + ":2: expected path,emotion", error("a.jpg,happy\nb.jpg happy\n"));
        assertEquals(file + ":1: unknown emotion 'sleepy' (expected one of Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral)",
                error("a.jpg,sleepy\n"));
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
