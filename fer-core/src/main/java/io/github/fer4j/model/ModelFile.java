package io.github.fer4j.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.fer4j.data.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The one self-describing model file: a zip holding {@code model.json} (format version, kind, task, class
 * names, preprocessing, training configuration, data hash, metrics) and little-endian binary entries for the
 * numbers. Never Java serialization. Written atomically; the same model always gives the same bytes.
 */
public final class ModelFile {
    public static final String FORMAT = "fer4j-model";
    public static final int FORMAT_VERSION = 1;
    public static final String DESCRIPTION_ENTRY = "model.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    /** Bytes a model file may inflate to whatever its size (model.json alone is a few kilobytes). */
    static final long INFLATED_ALLOWANCE = 1 << 20;
    /** Inflated bytes per compressed byte beyond the allowance: float32 numbers barely compress, JSON about tenfold. */
    static final long INFLATION_RATIO = 100;
    /** Entry times are fixed so that identical models give identical bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2020, 1, 1, 0, 0);

    private ModelFile() {
    }

    public static void save(Classifier model, Path file) throws IOException {
        byte[] bytes = toBytes(model);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The model file's bytes (a model inside another model, an ensemble's member, is stored this way). */
    public static byte[] toBytes(Classifier model) throws IOException {
        ModelCodec codec = codecFor(model.kind());
        ModelCodec.Encoded encoded = codec.encode(model);
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.addProperty("formatVersion", FORMAT_VERSION);
        json.addProperty("kind", model.kind());
        json.addProperty("task", model.task().cliName());
        json.add("classNames", GSON.toJsonTree(model.classNames()));
        for (Map.Entry<String, JsonElement> e : encoded.description().entrySet()) {
            json.add(e.getKey(), e.getValue());
        }
        json.add("info", model.info().toJson());
        byte[] description = GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, DESCRIPTION_ENTRY, description);
            for (Map.Entry<String, byte[]> e : new TreeMap<>(encoded.entries()).entrySet()) {
                put(zip, e.getKey(), e.getValue());
            }
        }
        return bytes.toByteArray();
    }

    /** Adds an entry with a fixed time, so that the same content always gives the same zip bytes. */
    public static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    /**
     * Loads a model: a fer4j model file, or a file of a {@link ForeignModelFormat} found on the class path (ONNX). A file
     * that is neither, or a damaged one, gives an InvalidInputException.
     */
    public static Classifier load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.at(file, "no such model file");
        }
        for (ForeignModelFormat format : ServiceLoader.load(ForeignModelFormat.class)) {
            if (format.claims(file)) {
                return format.load(file);
            }
        }
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            throw InvalidInputException.at(file, "ONNX models need the fer-onnx module, which this build lacks");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read model: " + e.getMessage());
        }
    }

    /** Loads a model from a stream (for models shipped as resources); {@code name} appears in errors. */
    public static Classifier load(InputStream in, String name) {
        Map<String, byte[]> entries;
        try {
            entries = entries(in);
        } catch (ZipException e) {
            throw new InvalidInputException(name + ": not a fer4j model file (damaged zip: " + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidInputException(name + ": cannot read model: " + e.getMessage());
        }
        byte[] description = entries.remove(DESCRIPTION_ENTRY);
        if (description == null) {
            throw new InvalidInputException(name + ": not a fer4j model file (no " + DESCRIPTION_ENTRY + " inside)");
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(new String(description, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new InvalidInputException(name + ": " + DESCRIPTION_ENTRY + " is not valid JSON: " + e.getMessage());
        }
        if (!FORMAT.equals(string(json, "format"))) {
            throw new InvalidInputException(name + ": not a fer4j model file (format field missing or wrong)");
        }
        JsonElement version = json.get("formatVersion");
        if (version == null || !version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()) {
            throw new InvalidInputException(name + ": " + DESCRIPTION_ENTRY + " has no formatVersion number");
        }
        if (version.getAsInt() > FORMAT_VERSION) {
            throw new InvalidInputException(name + ": model format version " + version.getAsInt()
                    + " is newer than this fer4j reads (" + FORMAT_VERSION + "); upgrade fer4j");
        }
        String kind = string(json, "kind");
        if (kind == null) {
            throw new InvalidInputException(name + ": " + DESCRIPTION_ENTRY + " has no model kind");
        }
        ModelCodec codec = findCodec(kind).orElseThrow(() -> new InvalidInputException(name + ": " + notAvailable(kind)));
        try {
            return codec.decode(json, entries);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(name + ": damaged " + kind + " model: " + e.getMessage());
        }
    }

    /** A string field of model.json, or null when it is missing or not a string. */
    private static String string(JsonObject json, String field) {
        JsonElement value = json.get(field);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : null;
    }

    /**
     * Reads every entry of a zip (a model file, a checkpoint) into memory. Entries that inflate to more than
     * {@link #INFLATED_ALLOWANCE} plus {@link #INFLATION_RATIO} times the bytes read so far are refused as they
     * inflate, so that a small damaged or hostile file cannot fill the memory; a bad entry name is a ZipException too.
     */
    public static Map<String, byte[]> entries(InputStream in) throws IOException {
        CountingStream counted = new CountingStream(in);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long inflated = 0;
        byte[] chunk = new byte[8192];
        try (ZipInputStream zip = new ZipInputStream(counted)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (int n = zip.read(chunk); n > 0; n = zip.read(chunk)) {
                    inflated += n;
                    if (inflated > INFLATED_ALLOWANCE + INFLATION_RATIO * counted.count) {
                        throw new ZipException("entries inflate to over " + INFLATION_RATIO + " times the "
                                + counted.count + " bytes read so far");
                    }
                    bytes.write(chunk, 0, n);
                }
                entries.put(entry.getName(), bytes.toByteArray());
            }
        } catch (IllegalArgumentException e) {
            // What ZipInputStream throws for an entry name that is not valid UTF-8.
            throw new ZipException("bad entry name (" + e.getMessage() + ")");
        }
        return entries;
    }

    private static Optional<ModelCodec> findCodec(String kind) {
        for (ModelCodec codec : ServiceLoader.load(ModelCodec.class)) {
            if (codec.kinds().contains(kind)) {
                return Optional.of(codec);
            }
        }
        return Optional.empty();
    }

    private static ModelCodec codecFor(String kind) {
        return findCodec(kind).orElseThrow(() -> new InvalidInputException(notAvailable(kind)));
    }

    private static String notAvailable(String kind) {
        return "model kind '" + kind + "' is not available in this build";
    }

    /** Counts the bytes read through it: how much of a zip has been read. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }

    /** float32 values, little-endian. */
    public static byte[] floats(float[]... arrays) {
        int n = 0;
        for (float[] a : arrays) {
            n += a.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] a : arrays) {
            buffer.asFloatBuffer().put(a);
            buffer.position(buffer.position() + a.length * 4);
        }
        return buffer.array();
    }

    /** Reads {@code count} little-endian float32 values starting at value {@code from}. */
    public static float[] floats(byte[] bytes, int from, int count, String entry) throws IOException {
        if (bytes == null) {
            throw new IOException("entry " + entry + " is missing");
        }
        if (bytes.length < (long) (from + count) * 4) {
            throw new IOException("entry " + entry + " holds " + bytes.length / 4 + " values, expected at least "
                    + (from + count));
        }
        float[] out = new float[count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).position(from * 4).asFloatBuffer().get(out);
        return out;
    }
}
