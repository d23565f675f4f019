package io.github.fer4j.onnx;

import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.data.FaceSetCache;
import io.github.fer4j.model.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The activation ranges the int8 engine measured for a network, kept in fer4j's cache folder
 * ({@link FaceSetCache#folder()}), so that the next process opens the same network in int8 without running the
 * calibration faces again (that run was about 3 s of a 3.5 s open on 2 cores). The pretrained default model's entry is
 * shipped in the jar ({@link #SHIPPED}), so a fresh machine opens it at once too.
 *
 * <p>An entry is named by a SHA-256 over everything the ranges depend on: the network's architecture, task, input
 * normalisation, test-time views and parameter bytes (through CRC-32Cs of their slices: {@link #parameterChecksums}), the calibration settings (faces, seed, quantile) and
 * {@link #FORMAT}. Any change gives another name, so an entry is never used for a network it was not measured on.
 * Entries are written atomically and end with a CRC-32C; a damaged, truncated or foreign entry is ignored (the caller
 * measures again and writes it anew). With caching off, only the shipped entries are read and nothing is written.
 */
final class Int8CalibrationCache {
    private static final byte[] MAGIC = "fer4j-int8-ranges\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * Raise it whenever the entry layout, the calibration faces' generator ({@code SyntheticFaces}) or the calibration
     * itself changes: older entries are then never found. (ShippedInt8RangesTest fails on such a change, as the default
     * model's shipped ranges are no longer the measured ones.)
     */
    private static final int FORMAT = 2;

    /** Where entries shipped in the jar live: beside the pretrained models, named as in the cache folder. */
    static final String SHIPPED = "/io/github/fer4j/models/";

    private final Path folder;

    /** A cache in {@code folder}; null: only the entries shipped in the jar, and nothing is written. */
    Int8CalibrationCache(Path folder) {
        this.folder = folder;
    }

    /** The cache the settings ask for ({@link FaceSetCache#SETTING}): with caching off, only the shipped entries. */
    static Int8CalibrationCache fromSettings() {
        return new Int8CalibrationCache(FaceSetCache.fromSettings().folder().orElse(null));
    }

    /** The key of {@code stored} calibrated on {@code faces} synthetic faces from {@code seed} at {@code quantile}. */
    static byte[] key(StoredCnn stored, int faces, long seed, double quantile) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer header = ByteBuffer.allocate(64);
            header.putInt(FORMAT).putInt(faces).putLong(seed).putDouble(quantile)
                    .putFloat(stored.mean()).putFloat(stored.std());
            sha.update(header.array(), 0, header.position());
            String text = stored.architecture().id() + "|" + stored.task().name()
                    + "|" + stored.tta().id() + "|" + stored.parameters().length + "|";
            sha.update(text.getBytes(StandardCharsets.UTF_8));
            sha.update(parameterChecksums(stored.parameters()));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** How many slices of the parameter bytes {@link #parameterChecksums} sums apart. */
    static final int SLICES = 8;

    /**
     * A CRC-32C of each of {@link #SLICES} equal slices of {@code parameters}: 256 bits that change with any change of
     * the weights. The key digests these, not the bytes themselves: a one-photo command opens the model once, and SHA-256
     * over the default model's 12.8 MB of weights took 194 ms under the quick compiler the photo commands run with,
     * against 6 ms for the CRC-32Cs (an intrinsic there). An entry only ever holds ranges fer4j measured, so what the key
     * must do is tell networks apart, which 256 bits of CRC do; nothing is trusted on its strength.
     */
    static byte[] parameterChecksums(byte[] parameters) {
        ByteBuffer sums = ByteBuffer.allocate(SLICES * Long.BYTES);
        for (int i = 0; i < SLICES; i++) {
            int from = (int) ((long) parameters.length * i / SLICES);
            int to = (int) ((long) parameters.length * (i + 1) / SLICES);
            CRC32C crc = new CRC32C();
            crc.update(parameters, from, to - from);
            sums.putLong(crc.getValue());
        }
        return sums.array();
    }

    static String entryName(byte[] key) {
        return "int8-" + HexFormat.of().formatHex(key, 0, 16) + ".ranges";
    }

    Path entryFile(byte[] key) {
        return folder.resolve(entryName(key));
    }

    /**
     * The calibration stored under {@code key}, if there is a sound entry for it: in the cache folder, else shipped in
     * the jar (the pretrained models' ranges, so that a fresh machine opens them in int8 at once).
     */
    Optional<Int8Calibration> find(byte[] key) {
        if (folder != null && Files.isRegularFile(entryFile(key))) {
            try {
                Optional<Int8Calibration> found = read(Files.newInputStream(entryFile(key)), key);
                if (found.isPresent()) {
                    return found;
                }
            } catch (IOException e) {
                // Unreadable: as if absent.
            }
        }
        InputStream shipped = Int8CalibrationCache.class.getResourceAsStream(SHIPPED + entryName(key));
        return shipped == null ? Optional.empty() : read(shipped, key);
    }

    /** The entry in {@code stream} (closed here), or empty when it is for another key, damaged or truncated. */
    static Optional<Int8Calibration> read(InputStream stream, byte[] key) {
        try (CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(stream), new CRC32C());
             DataInputStream in = new DataInputStream(checked)) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC) || in.readInt() != FORMAT) {
                return Optional.empty();
            }
            byte[] storedKey = in.readNBytes(key.length);
            if (!Arrays.equals(storedKey, key)) {
                return Optional.empty();
            }
            double quantile = in.readDouble();
            int faces = in.readInt();
            int count = in.readInt();
            if (count <= 0 || count > 1 << 16 || faces <= 0) {
                return Optional.empty();
            }
            float[] ranges = new float[count];
            for (int a = 0; a < count; a++) {
                ranges[a] = in.readFloat();
                if (!(ranges[a] > 0) || !Float.isFinite(ranges[a])) {
                    return Optional.empty();
                }
            }
            long expected = checked.getChecksum().getValue();
            if (in.readLong() != expected || in.read() != -1) {
                return Optional.empty();
            }
            return Optional.of(new Int8Calibration(ranges, quantile, faces));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stores {@code calibration} under {@code key}; a cache that cannot be written is not an error (the next open measures again). */
    void store(byte[] key, Int8Calibration calibration) {
        if (folder == null) {
            return;
        }
        try {
            write(entryFile(key), key, calibration);
        } catch (IOException | RuntimeException e) {
            // Read-only or full cache folder: int8 still opens, by measuring each time.
        }
    }

    /** Writes the entry of {@code calibration} under {@code key} to {@code file}, atomically. */
    static void write(Path file, byte[] key, Int8Calibration calibration) throws IOException {
        AtomicFiles.write(file, raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw), new CRC32C());
            DataOutputStream out = new DataOutputStream(checked);
            out.write(MAGIC);
            out.writeInt(FORMAT);
            out.write(key);
            out.writeDouble(calibration.quantile());
            out.writeInt(calibration.faces());
            float[] ranges = calibration.ranges();
            out.writeInt(ranges.length);
            for (float r : ranges) {
                out.writeFloat(r);
            }
            out.flush();
            out.writeLong(checked.getChecksum().getValue());
            out.flush();
        });
    }
}
