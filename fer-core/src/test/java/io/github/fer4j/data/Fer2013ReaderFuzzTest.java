package io.github.fer4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.fer4j.AllocationBudget;
import io.github.fer4j.TestData;
import io.github.fer4j.JazzerAgentAvailable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the FER2013 csv reader as the command line opens a file ({@link FaceSetReader#load}): any bytes give
 * faces or an InvalidInputException naming the file, in bounded time and memory. The saved inputs (seeds and past
 * findings) are under src/test/resources/io/github/fer4j/data/Fer2013ReaderFuzzTestInputs.
 */
@ExtendWith(JazzerAgentAvailable.class)
class Fer2013ReaderFuzzTest {
    @TempDir
    static Path dir;

    /** The file as given: plain csv, or (when it starts with gzip's magic) a possibly damaged gzip stream. */
    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void csv(byte[] bytes) {
        read(bytes);
    }

    /** The fuzzed text compressed with gzip, so that the parser behind the decompressor gets the same variety. */
    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void gzipCsv(byte[] bytes) {
        read(gzip(bytes));
    }

    /** Reads the file twice: failing on the first bad row, and skipping bad rows (each row's own check). */
    private static void read(byte[] bytes) {
        Path file = TestData.written(dir.resolve("fer2013.csv"), bytes);
        for (boolean skipBadRows : new boolean[] {false, true}) {
            AllocationBudget.reading(bytes, AllocationBudget.GZIP, () -> {
                try {
                    LoadResult result = FaceSetReader.load(file, skipBadRows, LoadProgress.NONE);
                    assertTrue(result.faces().size() > 0, "a successful load has faces");
                    assertEquals(result.faces().size() * FaceSet.PIXELS, result.faces().pixelArray().length);
                } catch (InvalidInputException e) {
                    assertTrue(e.getMessage().startsWith(file + ":"), "the error names the file: " + e.getMessage());
                }
            });
        }
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
