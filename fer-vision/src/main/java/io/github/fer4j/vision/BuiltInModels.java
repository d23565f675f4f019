package io.github.fer4j.vision;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The models that ship inside fer4j (the fer-models jar), by name: {@code fast}, the default ({@code accurate} is planned:
 * see {@link #named}). A name
 * works wherever a model file does: {@code --model accurate} on the command line, {@link #load} from Java. What each one
 * measured (PrivateTest accuracy and ACA, the development photos, milliseconds per photo, its size) is read from
 * {@value #MEASURED_RESOURCE}, which {@code bench/builtin-models.sh} writes; nothing there is typed by hand.
 */
public final class BuiltInModels {
    /** The folder of the shipped models on the class path. */
    public static final String FOLDER = "/io/github/fer4j/models/";
    /** The measured numbers of every built-in, by name, as bench/builtin-models.sh wrote them. */
    public static final String MEASURED_RESOURCE = FOLDER + "builtin-models.json";
    /** The name of the model used when none is given. */
    public static final String DEFAULT = "fast";

    /** A built-in model: its name, its file in {@link #FOLDER}, and what it is. */
    public record BuiltIn(String name, String file, String summary) {
        /** Its path on the class path. */
        public String resource() {
            return FOLDER + file;
        }
    }

    private static final List<BuiltIn> ALL = List.of(
            new BuiltIn("fast", "default.fer", "two fernet9 networks (fp16 weights), the centre crop of each face"));

    /**
     * Names that are planned but not shipped, with the reason. {@code accurate}: nothing stronger than {@code fast} exists
     * yet; the same two networks with mirror views read FER2013 PrivateTest 0.6999 against 0.6977 but the development
     * photos 0.6537 against 0.6651 (bench/builtin-models.sh, docs/models.md), which is no honest "accurate".
     */
    private static final java.util.Map<String, String> PLANNED = java.util.Map.of("accurate",
            "it waits for networks trained on a GPU (issue 26): nothing stronger than fast exists yet");

    private BuiltInModels() {
    }

    /** Every built-in, the default first. */
    public static List<BuiltIn> all() {
        return ALL;
    }

    /** The built-in called {@code name} (any case), if there is one. */
    public static Optional<BuiltIn> find(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(b -> b.name().equals(n)).findFirst();
    }

    /** The built-in called {@code name}; an unknown name is an InvalidInputException listing the others. */
    public static BuiltIn named(String name) {
        String planned = PLANNED.get(name.trim().toLowerCase(Locale.ROOT));
        return find(name).orElseThrow(() -> new InvalidInputException("no built-in model '" + name + "'"
                + (planned != null ? " yet: " + planned : "") + " (built-in: " + ALL.stream().map(BuiltIn::name).toList() + ")"));
    }

    /** The model file's bytes (fer-spark ships them to its executors). */
    public static byte[] bytes(BuiltIn model) {
        try (InputStream in = BuiltInModels.class.getResourceAsStream(model.resource())) {
            if (in == null) {
                throw new IllegalStateException("the built-in model " + model.name() + " (" + model.resource()
                        + ") is missing from the class path: add io.github.fer4j:fer-models");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in model " + model.name(), e);
        }
    }

    /** The built-in model called {@code name}, loaded. */
    public static Classifier load(String name) {
        BuiltIn model = named(name);
        try (InputStream in = new java.io.ByteArrayInputStream(bytes(model))) {
            return ModelFile.load(in, "built-in model " + model.name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a {@code --model} argument names: the built-in of that name when it is one and no file of that name exists
     * (a file always wins), else the file.
     */
    public static Optional<BuiltIn> builtInFor(Path modelArgument) {
        if (modelArgument.getNameCount() != 1 || Files.exists(modelArgument)) {
            return Optional.empty();
        }
        String name = modelArgument.toString();
        // A planned name is answered as one, not as "no such model file".
        return PLANNED.containsKey(name.toLowerCase(Locale.ROOT)) ? Optional.of(named(name)) : find(name);
    }

    /** The model a {@code --model} argument names: a built-in by name, or a model file. */
    public static Classifier resolve(Path modelArgument) {
        Optional<BuiltIn> builtIn = builtInFor(modelArgument);
        return builtIn.isPresent() ? load(builtIn.get().name()) : ModelFile.load(modelArgument);
    }

    /**
     * What bench/builtin-models.sh measured for the built-in {@code name}: its PrivateTest accuracy and ACA, development-photo
     * accuracy, milliseconds per 640x480 photo, file size, and when and where; empty when it was never measured.
     */
    public static Optional<JsonObject> measured(String name) {
        JsonObject all = measuredAll();
        return all != null && all.has("models") && all.getAsJsonObject("models").has(name)
                ? Optional.of(all.getAsJsonObject("models").getAsJsonObject(name).deepCopy()) : Optional.empty();
    }

    /** The whole measurement record (the date, the machine, the command and the numbers), or null when there is none. */
    public static JsonObject measuredAll() {
        try (InputStream in = BuiltInModels.class.getResourceAsStream(MEASURED_RESOURCE)) {
            if (in == null) {
                return null;
            }
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MEASURED_RESOURCE, e);
        }
    }
}
