package io.github.fer4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads FER2013's csv layout ({@code emotion,pixels,Usage}), plain or gzip (told apart by the magic bytes,
 * not the name), in one pass straight into bytes: no String per row or pixel. A file without a Usage column
 * is accepted with every face in Training. Rows that break the format stop the load with
 * {@code file:line: reason}, or are skipped and counted when asked. A file read without bad rows is kept in a
 * {@link FaceSetCache} (the user's, unless told otherwise), so that the next load of the unchanged file skips the
 * parsing.
 */
public final class Fer2013Reader {
    private static final int MAX_LINE = 1 << 20;
    private static final int KEEP_REASONS = 10;

    private final boolean skipBadRows;
    private final LoadProgress progress;
    private final FaceSetCache cache;

    /** A reader with the cache the settings ask for ({@link FaceSetCache#fromSettings()}). */
    public Fer2013Reader(boolean skipBadRows, LoadProgress progress) {
        this(skipBadRows, progress, FaceSetCache.fromSettings());
    }

    /** A reader with the given cache ({@link FaceSetCache#OFF} for none). */
    public Fer2013Reader(boolean skipBadRows, LoadProgress progress, FaceSetCache cache) {
        this.skipBadRows = skipBadRows;
        this.progress = progress;
        this.cache = cache;
    }

    /** Reads a whole file, failing on the first bad row. */
    public static FaceSet read(Path file) {
        return new Fer2013Reader(false, LoadProgress.NONE).load(file).faces();
    }

    public LoadResult load(Path file) {
        if (!Files.exists(file)) {
            throw InvalidInputException.at(file, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw InvalidInputException.at(file, "is a directory, not a fer2013 csv file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read: " + e.getMessage());
        }
        if (size == 0) {
            throw InvalidInputException.at(file, "empty file (expected a header line emotion,pixels,Usage)");
        }
        FaceSetCache.Key key = cacheKey(file, size);
        if (key != null) {
            Optional<FaceSetCache.Entry> hit = cache.find(key);
            if (hit.isPresent()) {
                FaceSetCache.Entry e = hit.get();
                progress.update(size, size);
                return new LoadResult(new FaceSet(e.pixels(), e.emotions(), e.splits(), file.getFileName().toString(),
                        e.sha256()), e.hadSplits(), 0, List.of());
            }
        }
        try (HashingStream raw = new HashingStream(Files.newInputStream(file), size, progress)) {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream decoded = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            // With a second core, reading, hashing and inflating run on a thread of their own while this one parses.
            boolean ahead = Runtime.getRuntime().availableProcessors() > 1;
            Parser parser;
            try (InputStream in = ahead ? new ReadAheadInputStream(decoded, 1 << 20, "fer4j-read " + file.getFileName())
                    : decoded) {
                parser = new Parser(file, in, gzip);
                try {
                    parser.run();
                } catch (EOFException e) {
                    throw InvalidInputException.at(file, parser.lineNumber,
                            "truncated gzip stream: the file ends before the compressed data does");
                } catch (ZipException e) {
                    throw InvalidInputException.at(file, parser.lineNumber, "corrupt gzip stream: " + e.getMessage());
                }
            }
            String sha = HexFormat.of().formatHex(raw.digest.digest());
            FaceSetCache.Entry entry = new FaceSetCache.Entry(Arrays.copyOf(parser.pixels, parser.rows * FaceSet.PIXELS),
                    Arrays.copyOf(parser.emotions, parser.rows), Arrays.copyOf(parser.splits, parser.rows), sha,
                    parser.usageColumn >= 0);
            if (key != null && parser.skipped == 0) {
                store(file, key, entry);
            }
            FaceSet faces = new FaceSet(entry.pixels(), entry.emotions(), entry.splits(), file.getFileName().toString(), sha);
            return new LoadResult(faces, entry.hadSplits(), parser.skipped, List.copyOf(parser.reasons));
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read: " + e.getMessage());
        }
    }

    /** The cache key of the file, or null when the cache does not cover it or the file cannot be looked at. */
    private FaceSetCache.Key cacheKey(Path file, long size) {
        if (!cache.covers(size)) {
            return null;
        }
        try {
            return FaceSetCache.Key.of(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** Keeps a clean load for next time, unless the file changed while it was read; a cache that fails is skipped. */
    private void store(Path file, FaceSetCache.Key key, FaceSetCache.Entry entry) {
        try {
            if (FaceSetCache.Key.of(file).equals(key)) {
                cache.store(key, entry);
            }
        } catch (IOException | InvalidInputException e) {
            // The cache only saves time: a read-only or full cache folder must not fail the load.
        }
    }

    /**
     * One FER2013 pixels field ({@code "70 80 82 ..."}: 2304 gray levels 0..255 separated by blanks) as bytes, checked
     * as the reader checks a row's field; a bad field throws an {@link InvalidInputException} with the reason alone
     * (the caller knows which row it is). For readers that get the fields one at a time, such as Spark's csv source.
     */
    public static byte[] pixels(String field) {
        byte[] text = field.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[FaceSet.PIXELS];
        String problem = parsePixels(text, 0, text.length, out, 0);
        if (problem != null) {
            throw new InvalidInputException(problem);
        }
        return out;
    }

    /** Space-separated gray levels in buf[s, e) -> pixels[base .. base+2304); returns why the field is bad, or null. */
    private static String parsePixels(byte[] buf, int s, int e, byte[] pixels, int base) {
        int[] span = trim(buf, s, e);
        s = span[0];
        e = span[1];
        int count = 0;
        int value = -1;
        for (int p = s; p <= e; p++) {
            int c = p < e ? buf[p] : ' ';
            if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    int q = p;
                    while (q < e && buf[q] >= '0' && buf[q] <= '9') {
                        q++;
                    }
                    return "pixel " + (count + 1) + " is outside 0..255: "
                            + new String(buf, numberStart(buf, p), q - numberStart(buf, p), StandardCharsets.US_ASCII);
                }
            } else if (c == ' ' || c == '\t') {
                if (value >= 0) {
                    if (count < FaceSet.PIXELS) {
                        pixels[base + count] = (byte) value;
                    }
                    count++;
                    value = -1;
                }
            } else if (c == '-') {
                return "pixel " + (count + 1) + " is outside 0..255: negative value";
            } else {
                return "pixel " + (count + 1) + " is not an integer: unexpected "
                        + (c >= 0 ? "character '" + Printable.of(String.valueOf((char) c)) + "'" : String.format("byte 0x%02x", c & 0xFF));
            }
        }
        if (count != FaceSet.PIXELS) {
            return "expected " + FaceSet.PIXELS + " pixels, found " + count;
        }
        return null;
    }

    private static int numberStart(byte[] buf, int p) {
        while (p > 0 && buf[p - 1] >= '0' && buf[p - 1] <= '9') {
            p--;
        }
        return p;
    }

    /** Drops surrounding blanks and double quotes. */
    private static int[] trim(byte[] buf, int s, int e) {
        while (s < e && (buf[s] == ' ' || buf[s] == '"')) {
            s++;
        }
        while (e > s && (buf[e - 1] == ' ' || buf[e - 1] == '"')) {
            e--;
        }
        return new int[] {s, e};
    }

    /** One pass over the lines of the decompressed stream. */
    private final class Parser {
        private final Path file;
        private final InputStream in;
        private final boolean gzip;
        private byte[] buf = new byte[1 << 20];
        private int start;
        private int end;
        private int scan;
        private boolean eof;
        private int lineStart;
        private int lineEnd;
        long lineNumber;

        private int emotionColumn = -1;
        private int pixelsColumn = -1;
        int usageColumn = -1;
        private int columns;
        private final int[] fieldStart = new int[64];
        private final int[] fieldEnd = new int[64];

        byte[] pixels = new byte[4096 * FaceSet.PIXELS];
        byte[] emotions = new byte[4096];
        byte[] splits = new byte[4096];
        int rows;
        int skipped;
        final List<String> reasons = new ArrayList<>();

        Parser(Path file, InputStream in, boolean gzip) {
            this.file = file;
            this.in = in;
            this.gzip = gzip;
        }

        void run() throws IOException {
            if (!nextLine()) {
                throw InvalidInputException.at(file, "empty file (expected a header line emotion,pixels,Usage)");
            }
            readHeader();
            while (nextLine()) {
                if (isBlank()) {
                    continue;
                }
                String problem = parseRow();
                if (problem != null) {
                    if (!skipBadRows) {
                        throw InvalidInputException.at(file, lineNumber, problem);
                    }
                    skipped++;
                    if (reasons.size() < KEEP_REASONS) {
                        reasons.add(file + ":" + lineNumber + ": " + problem);
                    }
                }
            }
            if (rows == 0) {
                throw InvalidInputException.at(file, skipped > 0
                        ? "no usable rows (" + skipped + " bad rows skipped)"
                        : "no data rows after the header");
            }
        }

        private void readHeader() {
            int from = lineStart;
            // A UTF-8 byte order mark is harmless; skip it.
            if (lineEnd - from >= 3 && (buf[from] & 0xFF) == 0xEF && (buf[from + 1] & 0xFF) == 0xBB
                    && (buf[from + 2] & 0xFF) == 0xBF) {
                from += 3;
            }
            String header = new String(buf, from, lineEnd - from, StandardCharsets.UTF_8);
            String[] names = header.split(",", -1);
            if (names.length > fieldStart.length) {
                throw InvalidInputException.at(file, 1, "header has " + names.length + " columns, too many for fer2013");
            }
            for (int c = 0; c < names.length; c++) {
                String name = names[c].trim().replace("\"", "").toLowerCase(Locale.ROOT);
                switch (name) {
                    case "emotion" -> emotionColumn = c;
                    case "pixels" -> pixelsColumn = c;
                    case "usage" -> usageColumn = c;
                    default -> { }
                }
            }
            columns = names.length;
            if (emotionColumn < 0 || pixelsColumn < 0) {
                throw InvalidInputException.at(file, 1, Printable.looksBinary(header)
                        ? "expected a header naming the columns emotion,pixels[,Usage], found binary content (is this a fer2013 csv file?)"
                        : "expected a header naming the columns emotion,pixels[,Usage], found '" + Printable.of(header) + "'"
                                + (gzip ? "" : " (is this a fer2013 csv file?)"));
            }
        }

        private boolean isBlank() {
            for (int p = lineStart; p < lineEnd; p++) {
                if (buf[p] != ' ' && buf[p] != '\t') {
                    return false;
                }
            }
            return true;
        }

        /** Parses the current line into the next row; returns why it is bad, or null. */
        private String parseRow() {
            int fields = 0;
            int from = lineStart;
            for (int p = lineStart; p <= lineEnd; p++) {
                if (p == lineEnd || buf[p] == ',') {
                    if (fields < fieldStart.length) {
                        fieldStart[fields] = from;
                        fieldEnd[fields] = p;
                    }
                    fields++;
                    from = p + 1;
                }
            }
            if (fields != columns) {
                return "expected " + columns + " fields, found " + fields;
            }
            ensureCapacity();
            int emotion = parseEmotion(fieldStart[emotionColumn], fieldEnd[emotionColumn]);
            if (emotion < 0) {
                return "emotion must be an integer 0..6, found '" + text(emotionColumn) + "'";
            }
            String pixelProblem = parsePixels(buf, fieldStart[pixelsColumn], fieldEnd[pixelsColumn], pixels, rows * FaceSet.PIXELS);
            if (pixelProblem != null) {
                return pixelProblem;
            }
            int split = Split.TRAINING.ordinal();
            if (usageColumn >= 0) {
                split = parseUsage(fieldStart[usageColumn], fieldEnd[usageColumn]);
                if (split < 0) {
                    return "unknown Usage '" + text(usageColumn) + "' (expected Training, PublicTest or PrivateTest)";
                }
            }
            emotions[rows] = (byte) emotion;
            splits[rows] = (byte) split;
            rows++;
            return null;
        }

        private int parseEmotion(int s, int e) {
            int[] span = trim(buf, s, e);
            s = span[0];
            e = span[1];
            if (s == e || e - s > 3) {
                return -1;
            }
            int v = 0;
            for (int p = s; p < e; p++) {
                int d = buf[p] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v < Emotion.COUNT ? v : -1;
        }

        private int parseUsage(int s, int e) {
            int[] span = trim(buf, s, e);
            String usage = new String(buf, span[0], span[1] - span[0], StandardCharsets.US_ASCII);
            for (Split split : Split.values()) {
                if (split.csvName().equals(usage)) {
                    return split.ordinal();
                }
            }
            return -1;
        }

        private String text(int column) {
            // Only the start of a field is quoted: a binary file can make one field megabytes long.
            int length = Math.min(fieldEnd[column] - fieldStart[column], 4 * Printable.MAX_LENGTH);
            return Printable.of(new String(buf, fieldStart[column], length, StandardCharsets.UTF_8));
        }

        private void ensureCapacity() {
            if (rows == emotions.length) {
                int grown = emotions.length * 2;
                emotions = Arrays.copyOf(emotions, grown);
                splits = Arrays.copyOf(splits, grown);
                pixels = Arrays.copyOf(pixels, grown * FaceSet.PIXELS);
            }
        }

        /** Advances to the next line ([lineStart, lineEnd) without the line break); false at the end. */
        private boolean nextLine() throws IOException {
            while (true) {
                for (int p = scan; p < end; p++) {
                    if (buf[p] == '\n') {
                        setLine(start, p);
                        start = p + 1;
                        scan = start;
                        return true;
                    }
                }
                scan = end;
                if (eof) {
                    if (start < end) {
                        setLine(start, end);
                        start = end;
                        return true;
                    }
                    return false;
                }
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    scan -= start;
                    start = 0;
                }
                if (end == buf.length) {
                    if (buf.length >= MAX_LINE * 8) {
                        throw InvalidInputException.at(file, lineNumber + 1, "line longer than " + buf.length + " bytes");
                    }
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
            }
        }

        private void setLine(int s, int e) {
            lineStart = s;
            lineEnd = e > s && buf[e - 1] == '\r' ? e - 1 : e;
            lineNumber++;
        }
    }

    /** Counts and hashes the raw file bytes as they are read, and reports progress. */
    private static final class HashingStream extends FilterInputStream {
        final MessageDigest digest;
        private final long total;
        private final LoadProgress progress;
        private long done;
        private long reported;

        HashingStream(InputStream in, long total, LoadProgress progress) {
            super(in);
            this.total = total;
            this.progress = progress;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JDK", e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                digest.update((byte) b);
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                advance(n);
            }
            return n;
        }

        private void advance(int n) {
            done += n;
            if (done - reported >= (1 << 22) || done == total) {
                reported = done;
                progress.update(done, total);
            }
        }
    }
}
