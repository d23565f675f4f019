package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.cnn.TestTimeAugmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 engine's calibration cache: the first open measures and stores the ranges, a later open reads them and builds
 * the very graph the measurement gave; an entry is found only for the network, views and settings it was measured on;
 * a damaged entry is ignored and written again; with caching off the engine still opens.
 */
class Int8CalibrationCacheTest {
    @TempDir
    Path dir;

    static StoredCnn stored;

    @BeforeAll
    static void train() throws Exception {
        stored = TinyTrainedCnn.get().trained().stored();
    }

    private static byte[] key(StoredCnn cnn) {
        return Int8CalibrationCache.key(cnn, OnnxInt8Engine.CALIBRATION_FACES, OnnxInt8Engine.CALIBRATION_SEED,
                OnnxInt8Engine.CALIBRATION_QUANTILE);
    }

    private static byte[] graph(StoredCnn cnn, Int8CalibrationCache cache) throws Exception {
        return ((OnnxCnn) OnnxInt8Engine.open(cnn, cache)).graphBytes();
    }

    @Test
    void theFirstOpenStoresTheRangesAndTheNextOpenBuildsTheSameGraphFromThem() throws Exception {
        Int8CalibrationCache cache = new Int8CalibrationCache(dir);
        Path entry = cache.entryFile(key(stored));
        byte[] measured = graph(stored, new Int8CalibrationCache(null));
        assertFalse(Files.exists(entry), "nothing is written with caching off");

        assertArrayEquals(measured, graph(stored, cache), "a first open measures as without a cache");
        assertTrue(Files.isRegularFile(entry), "the first open stores its ranges");
        Int8Calibration kept = cache.find(key(stored)).orElseThrow();
        assertEquals(OnnxInt8Engine.CALIBRATION_FACES, kept.faces());
        assertEquals(OnnxInt8Engine.CALIBRATION_QUANTILE, kept.quantile());
        assertArrayEquals(measured, graph(stored, cache), "the graph from the kept ranges is the measured one");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "one entry, no temporary file left");
        }
    }

    @Test
    void aLaterOpenUsesTheKeptRangesRatherThanMeasuringAgain() throws Exception {
        Int8CalibrationCache cache = new Int8CalibrationCache(dir);
        byte[] measured = graph(stored, cache);
        float[] ranges = cache.find(key(stored)).orElseThrow().ranges();
        float[] doubled = ranges.clone();
        for (int a = 0; a < doubled.length; a++) {
            doubled[a] *= 2;
        }
        cache.store(key(stored), new Int8Calibration(doubled, OnnxInt8Engine.CALIBRATION_QUANTILE, OnnxInt8Engine.CALIBRATION_FACES));
        assertFalse(Arrays.equals(measured, graph(stored, cache)), "the open read the stored ranges");
        assertArrayEquals(doubled, cache.find(key(stored)).orElseThrow().ranges());
    }

    @Test
    void anEntryBelongsToOneNetworkAndItsViews() {
        byte[] parameters = stored.parameters().clone();
        parameters[parameters.length - 1] ^= 1;
        StoredCnn changed = new StoredCnn(stored.task(), stored.architecture(), stored.mean(), stored.std(), stored.tta(),
                stored.info(), parameters);
        StoredCnn flipped = new StoredCnn(stored.task(), stored.architecture(), stored.mean(), stored.std(),
                stored.tta() == TestTimeAugmentation.FLIP ? TestTimeAugmentation.NONE : TestTimeAugmentation.FLIP,
                stored.info(), stored.parameters());
        StoredCnn shifted = new StoredCnn(stored.task(), stored.architecture(), stored.mean() + 1, stored.std(), stored.tta(),
                stored.info(), stored.parameters());
        assertArrayEquals(key(stored), key(new StoredCnn(stored.task(), stored.architecture(), stored.mean(), stored.std(),
                stored.tta(), stored.info(), stored.parameters())), "the same network, the same key");
        for (StoredCnn other : new StoredCnn[] {changed, flipped, shifted}) {
            assertFalse(Arrays.equals(key(stored), key(other)));
        }
        assertFalse(Arrays.equals(key(stored), Int8CalibrationCache.key(stored, 500, OnnxInt8Engine.CALIBRATION_SEED,
                OnnxInt8Engine.CALIBRATION_QUANTILE)), "other calibration faces, another key");
        Int8CalibrationCache cache = new Int8CalibrationCache(dir);
        cache.store(key(stored), new Int8Calibration(new float[] {1, 2, 3}, 1, 10));
        assertTrue(cache.find(key(changed)).isEmpty(), "no entry for a network that was not measured");
    }

    @Test
    void aDamagedOrTruncatedEntryIsMeasuredAgainAndRewritten() throws Exception {
        Int8CalibrationCache cache = new Int8CalibrationCache(dir);
        byte[] measured = graph(stored, cache);
        Path entry = cache.entryFile(key(stored));
        byte[] sound = Files.readAllBytes(entry);

        byte[] flipped = sound.clone();
        flipped[flipped.length - 12] ^= 0x10;
        Files.write(entry, flipped);
        assertTrue(cache.find(key(stored)).isEmpty(), "a flipped bit fails the checksum");
        assertArrayEquals(measured, graph(stored, cache));
        assertArrayEquals(sound, Files.readAllBytes(entry), "the damaged entry was written again");

        Files.write(entry, Arrays.copyOf(sound, sound.length - 5));
        assertTrue(cache.find(key(stored)).isEmpty(), "a truncated entry is not used");
        Files.write(entry, "not an entry".getBytes());
        assertTrue(cache.find(key(stored)).isEmpty(), "a foreign file is not used");
        assertArrayEquals(measured, graph(stored, cache));
        assertArrayEquals(sound, Files.readAllBytes(entry));
    }

    @Test
    void anUnwritableCacheFolderIsNotAnError() throws Exception {
        Path notAFolder = dir.resolve("file");
        Files.writeString(notAFolder, "x");
        Int8CalibrationCache cache = new Int8CalibrationCache(notAFolder);
        assertArrayEquals(graph(stored, new Int8CalibrationCache(null)), graph(stored, cache));
        assertTrue(cache.find(key(stored)).isEmpty());
    }
}
