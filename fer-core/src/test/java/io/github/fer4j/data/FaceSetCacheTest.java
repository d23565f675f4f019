package io.github.fer4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsed-csv cache: used while the source is unchanged, rebuilt when it changes or the entry is damaged. */
class FaceSetCacheTest {
    @TempDir
    Path dir;

    private Path cacheFolder() {
        return dir.resolve("cache");
    }

    /** A cache that covers every file, however small, so the tests can use small files. */
    private FaceSetCache cache() {
        return new FaceSetCache(cacheFolder(), 0);
    }

    private LoadResult load(Path file, FaceSetCache cache) {
        return new Fer2013Reader(false, LoadProgress.NONE, cache).load(file);
    }

    private Path gzip(String name, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }

    private static String csv(int seed) {
        return "emotion,pixels,Usage\n" + Fer2013ReaderTest.row(3, seed, "Training") + "\n"
                + Fer2013ReaderTest.row(0, seed + 7, "PublicTest") + "\n" + Fer2013ReaderTest.row(6, seed + 100, "PrivateTest") + "\n";
    }

    private List<Path> entries() throws IOException {
        if (!Files.isDirectory(cacheFolder())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cacheFolder())) {
            return files.toList();
        }
    }

    private static void assertSameFaces(FaceSet expected, FaceSet actual) {
        assertArrayEquals(expected.pixelArray(), actual.pixelArray(), "pixels");
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.emotion(i), actual.emotion(i), "emotion " + i);
            assertEquals(expected.split(i), actual.split(i), "split " + i);
        }
        assertEquals(expected.sha256(), actual.sha256(), "the source's SHA-256");
        assertEquals(expected.source(), actual.source());
    }

    @Test
    void secondLoadComesFromTheEntryWithTheSourcesFacesAndHash() throws IOException {
        Path file = gzip("fer.csv.gz", csv(0));
        FaceSet parsed = load(file, FaceSetCache.OFF).faces();
        assertTrue(entries().isEmpty(), "the cache that is off writes nothing");

        LoadResult first = load(file, cache());
        assertSameFaces(parsed, first.faces());
        assertEquals(1, entries().size(), "one entry for the file");
        LoadResult second = load(file, cache());
        assertSameFaces(parsed, second.faces());
        assertTrue(second.hadSplits());

        // The reader really takes the entry: one with other pixels under the file's key comes back as is.
        FaceSetCache.Key key = FaceSetCache.Key.of(file);
        byte[] other = parsed.pixelArray().clone();
        other[5] ^= 1;
        byte[] emotions = {3, 0, 6};
        byte[] splits = {0, 1, 2};
        cache().store(key, new FaceSetCache.Entry(other, emotions, splits, parsed.sha256(), true));
        assertArrayEquals(other, load(file, cache()).faces().pixelArray());
    }

    @Test
    void changedSourceIsParsedAgainAndItsEntryReplaced() throws IOException {
        Path file = gzip("fer.csv.gz", csv(0));
        FaceSet before = load(file, cache()).faces();
        FileTime time = Files.getLastModifiedTime(file);
        gzip("fer.csv.gz", csv(50));
        // Same size is likely (the rows have the same lengths); a different time must be enough.
        Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() + 60_000));
        FaceSet after = load(file, cache()).faces();
        assertSameFaces(load(file, FaceSetCache.OFF).faces(), after);
        assertNotEquals(before.sha256(), after.sha256());
        assertEquals(50, after.pixel(0, 0));
        assertEquals(1, entries().size(), "the entry was replaced, not added to");
        assertTrue(cache().find(FaceSetCache.Key.of(file)).isPresent(), "and it matches the new state");
    }

    @Test
    void damagedOrTruncatedEntryIsIgnoredAndWrittenAgain() throws IOException {
        Path file = gzip("fer.csv.gz", csv(0));
        FaceSet parsed = load(file, cache()).faces();
        Path entry = entries().get(0);
        byte[] good = Files.readAllBytes(entry);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Files.write(entry, flipped);
        assertTrue(cache().find(FaceSetCache.Key.of(file)).isEmpty(), "a flipped pixel byte fails the checksum");
        assertSameFaces(parsed, load(file, cache()).faces());
        assertArrayEquals(good, Files.readAllBytes(entry), "rewritten whole");

        Files.write(entry, java.util.Arrays.copyOf(good, good.length - 3));
        assertSameFaces(parsed, load(file, cache()).faces());
        assertArrayEquals(good, Files.readAllBytes(entry));

        Files.writeString(entry, "not an entry");
        assertSameFaces(parsed, load(file, cache()).faces());
        assertArrayEquals(good, Files.readAllBytes(entry));
    }

    @Test
    void aFileWithSkippedRowsIsNotCachedSoAStrictLoadStillFails() throws IOException {
        String text = csv(0) + Fer2013ReaderTest.row(9, 1, "Training") + "\n";
        Path file = gzip("bad.csv.gz", text);
        LoadResult lenient = new Fer2013Reader(true, LoadProgress.NONE, cache()).load(file);
        assertEquals(1, lenient.skippedRows());
        assertTrue(entries().isEmpty());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> load(file, cache()));
        assertEquals(file + ":5: emotion must be an integer 0..6, found '9'", e.getMessage());
    }

    @Test
    void smallFilesAreNotCachedByDefaultAndAnUnwritableFolderDoesNotFailTheLoad() throws IOException {
        Path file = gzip("fer.csv.gz", csv(0));
        FaceSet parsed = load(file, new FaceSetCache(cacheFolder(), FaceSetCache.DEFAULT_MINIMUM_SIZE)).faces();
        assertTrue(entries().isEmpty(), "a few rows parse faster than a cache would help");

        Path blocked = dir.resolve("a-file");
        Files.writeString(blocked, "in the way of the cache folder");
        assertSameFaces(parsed, load(file, new FaceSetCache(blocked, 0)).faces());
    }

    @Test
    void fer2013FromItsEntryEqualsFer2013Parsed() throws IOException {
        java.util.Optional<Path> fer2013 = io.github.fer4j.TestData.fer2013();
        org.junit.jupiter.api.Assumptions.assumeTrue(fer2013.isPresent(), io.github.fer4j.TestData.MISSING);
        FaceSetCache cache = new FaceSetCache(cacheFolder(), FaceSetCache.DEFAULT_MINIMUM_SIZE);
        LoadResult parsed = load(fer2013.get(), FaceSetCache.OFF);
        load(fer2013.get(), cache);
        assertTrue(cache.find(FaceSetCache.Key.of(fer2013.get())).isPresent(), "FER2013 is big enough to be cached");
        LoadResult cached = load(fer2013.get(), cache);
        assertSameFaces(parsed.faces(), cached.faces());
        assertEquals(parsed.hadSplits(), cached.hadSplits());
    }

    @Test
    void settingTurnsTheCacheOffOrMovesIt() {
        String before = System.getProperty(FaceSetCache.SETTING);
        try {
            System.setProperty(FaceSetCache.SETTING, "off");
            assertSame(FaceSetCache.OFF, FaceSetCache.fromSettings());
            assertFalse(FaceSetCache.OFF.covers(Long.MAX_VALUE - 1));
            System.setProperty(FaceSetCache.SETTING, cacheFolder().toString());
            FaceSetCache moved = FaceSetCache.fromSettings();
            assertTrue(moved.covers(FaceSetCache.DEFAULT_MINIMUM_SIZE));
            assertEquals(cacheFolder(), moved.entryFile(new FaceSetCache.Key("/x.csv", 1, 2)).getParent());
        } finally {
            if (before == null) {
                System.clearProperty(FaceSetCache.SETTING);
            } else {
                System.setProperty(FaceSetCache.SETTING, before);
            }
        }
    }
}
