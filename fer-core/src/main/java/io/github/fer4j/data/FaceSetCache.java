package io.github.fer4j.data;

import io.github.fer4j.model.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Checksum;

/**
 * A binary copy of a parsed FER2013 csv in the user's cache folder, so that the next load of the same file reads
 * 83 MB of bytes instead of inflating and parsing 300 MB of text. An entry belongs to one source file (its real
 * path) and is used only while that file keeps the size and modification time it had when the entry was written;
 * the entry also keeps the source's SHA-256, so provenance stays that of the csv. Entries are written atomically and
 * end with a CRC-32C: a damaged, truncated or foreign entry is ignored and written again.
 *
 * <p>The folder is {@code $XDG_CACHE_HOME/fer4j}, else {@code ~/.cache/fer4j}. The system property
 * {@value #SETTING} (or else the environment variable {@value #ENVIRONMENT}) set to {@code off} turns the cache off;
 * set to anything else, it names the folder.
 */
public final class FaceSetCache {
    /** System property that turns the cache off ({@code off}) or names its folder. */
    public static final String SETTING = "fer4j.cache";
    /** Environment variable read when the system property is not set; same values. */
    public static final String ENVIRONMENT = "FER4J_CACHE";
    /** Files smaller than this parse in a few milliseconds and are not cached (nor are the many small test files). */
    public static final long DEFAULT_MINIMUM_SIZE = 8L << 20;
    /** A cache that never has an entry and never writes one. */
    public static final FaceSetCache OFF = new FaceSetCache(null, Long.MAX_VALUE);

    private static final byte[] MAGIC = "fer4j-faces\n".getBytes(StandardCharsets.US_ASCII);
    /** Raise it whenever the entry layout, or what the reader makes of a csv, changes: older entries are then ignored. */
    private static final int FORMAT = 1;

    /** Which source file an entry was made from, and the state of that file. */
    public record Key(String path, long size, long modifiedNanos) {
        /** The key of a file as it is now. */
        public static Key of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Key(file.toRealPath().toString(), attributes.size(),
                    attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        }
    }

    /** A parsed source: N x 2304 pixels, N emotions, N split ordinals, the source's SHA-256 and whether it had splits. */
    public record Entry(byte[] pixels, byte[] emotions, byte[] splits, String sha256, boolean hadSplits) {
        public int rows() {
            return emotions.length;
        }
    }

    private final Path folder;
    private final long minimumSize;

    /** A cache in {@code folder} for source files of at least {@code minimumSize} bytes. */
    public FaceSetCache(Path folder, long minimumSize) {
        this.folder = folder;
        this.minimumSize = minimumSize;
    }

    /** The cache the settings ask for: off, a named folder, or the user's cache folder. */
    public static FaceSetCache fromSettings() {
        String setting = System.getProperty(SETTING);
        if (setting == null || setting.isBlank()) {
            setting = System.getenv(ENVIRONMENT);
        }
        if (setting != null && !setting.isBlank()) {
            return setting.trim().equalsIgnoreCase("off") ? OFF : new FaceSetCache(Path.of(setting.trim()), DEFAULT_MINIMUM_SIZE);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new FaceSetCache(base.resolve("fer4j"), DEFAULT_MINIMUM_SIZE);
    }

    /** fer4j's cache folder, which other caches (ONNX Runtime's unpacked library) share; empty when caching is off. */
    public java.util.Optional<Path> folder() {
        return java.util.Optional.ofNullable(folder);
    }

    /** Whether files of this size are looked up and stored at all. */
    public boolean covers(long size) {
        return folder != null && size >= minimumSize;
    }

    /** Where the entry of a source file lives (a name from its real path, so each file has one entry). */
    Path entryFile(Key key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.path().getBytes(StandardCharsets.UTF_8));
            return folder.resolve("faces-" + HexFormat.of().formatHex(hash, 0, 12) + ".bin");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** The entry made from the file with this key, if there is a sound one. */
    public Optional<Entry> find(Key key) {
        if (!covers(key.size())) {
            return Optional.empty();
        }
        Path file = entryFile(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        // The checksum sits above the buffer, so it covers exactly the bytes handed out, not the read-ahead.
        try (CheckedInputStream checked = new CheckedInputStream(
                new BufferedInputStream(Files.newInputStream(file), 1 << 16), new CRC32C());
             DataInputStream in = new DataInputStream(checked)) {
            return Optional.ofNullable(read(in, checked.getChecksum(), key));
        } catch (IOException | RuntimeException e) {
            // Truncated, damaged or unreadable: the caller parses the source and writes the entry again.
            return Optional.empty();
        }
    }

    /** The entry in the stream, or null when it is for another file, another state of it, or is damaged. */
    private static Entry read(DataInputStream in, Checksum crc, Key key) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC) || in.readInt() != FORMAT) {
            return null;
        }
        if (!in.readUTF().equals(key.path()) || in.readLong() != key.size() || in.readLong() != key.modifiedNanos()) {
            return null;
        }
        String sha = in.readUTF();
        boolean hadSplits = in.readBoolean();
        int rows = in.readInt();
        if (rows < 1 || rows > Integer.MAX_VALUE / FaceSet.PIXELS) {
            return null;
        }
        byte[] emotions = new byte[rows];
        byte[] splits = new byte[rows];
        byte[] pixels = new byte[rows * FaceSet.PIXELS];
        in.readFully(emotions);
        in.readFully(splits);
        in.readFully(pixels);
        long expected = crc.getValue();
        if (in.readLong() != expected || in.read() != -1) {
            return null;
        }
        for (int i = 0; i < rows; i++) {
            if (emotions[i] < 0 || emotions[i] >= Emotion.COUNT || splits[i] < 0 || splits[i] >= Split.values().length) {
                return null;
            }
        }
        return new Entry(pixels, emotions, splits, sha, hadSplits);
    }

    /**
     * Stores the entry of the file with this key (a no-op when the file is not covered). The entry is complete or
     * absent: it is written to a temporary file and moved into place.
     */
    public void store(Key key, Entry entry) throws IOException {
        if (!covers(key.size())) {
            return;
        }
        AtomicFiles.write(entryFile(key), raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32C());
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(checked, 1 << 16));
            out.write(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(key.path());
            out.writeLong(key.size());
            out.writeLong(key.modifiedNanos());
            out.writeUTF(entry.sha256());
            out.writeBoolean(entry.hadSplits());
            out.writeInt(entry.rows());
            out.write(entry.emotions());
            out.write(entry.splits());
            out.write(entry.pixels());
            out.flush();
            out.writeLong(checked.getChecksum().getValue());
            out.flush();
        });
    }
}
