package io.github.fer4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrintableTest {
    @TempDir
    Path dir;

    @Test
    void controlCharactersAreEscapedAndLongTextIsShortened() {
        assertEquals("Usage\\x1b[31m\\n", Printable.of("Usage\u001b[31m\n"));
        assertEquals("a\\u200bb", Printable.of("a\u200bb"), "a zero-width space would be invisible");
        assertEquals("Angry", Printable.of("Angry"));
        String shown = Printable.of("x".repeat(500));
        assertEquals(Printable.MAX_LENGTH + 3, shown.length());
        assertTrue(shown.endsWith("..."));
    }

    @Test
    void binaryIsNamedNotShown() {
        byte[] noise = new byte[300];
        new SplittableRandom(1).nextBytes(noise);
        String decoded = new String(noise, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(Printable.looksBinary(decoded));
        assertEquals("<binary content, " + decoded.length() + " characters>", Printable.of(decoded));
        assertFalse(Printable.looksBinary("emotion,pixels,Usage"));
    }

    @Test
    void aGzipOfBinaryContentIsReportedAsBinaryWithoutItsBytes() throws IOException {
        byte[] noise = new byte[5000];
        new SplittableRandom(2).nextBytes(noise);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(noise);
        }
        Path file = Files.write(dir.resolve("noise.csv.gz"), gz.toByteArray());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Fer2013Reader.read(file));
        assertTrue(e.getMessage().contains("found binary content"), e.getMessage());
        for (char c : e.getMessage().toCharArray()) {
            assertTrue(c >= 0x20 && c < 0x7f, "only printable ASCII in: " + e.getMessage());
        }
    }
}
