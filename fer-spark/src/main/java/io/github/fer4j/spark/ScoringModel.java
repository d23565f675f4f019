package io.github.fer4j.spark;

import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.vision.EmotionRecognizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A fer4j model file as bytes, ready to ship to executors: its name, its class names and the SHA-256 that tells it
 * apart. Made by reading the file and loading it once on the driver, so that a damaged model is refused before any job.
 */
public final class ScoringModel implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;
    private final String name;
    private final String sha256;
    private final List<String> classNames;

    private ScoringModel(byte[] bytes, String name, String sha256, List<String> classNames) {
        this.bytes = bytes;
        this.name = name;
        this.sha256 = sha256;
        this.classNames = List.copyOf(classNames);
    }

    /** The model inside the fer4j jar, as {@code fer predict} uses by default. */
    public static ScoringModel defaultModel() {
        try (InputStream in = EmotionRecognizer.class.getResourceAsStream(EmotionRecognizer.DEFAULT_MODEL)) {
            if (in == null) {
                throw new IllegalStateException("the default model " + EmotionRecognizer.DEFAULT_MODEL + " is missing from the jar");
            }
            return of(in.readAllBytes(), "default");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the default model: " + e.getMessage(), e);
        }
    }

    /** A built-in model by name ({@link io.github.fer4j.vision.BuiltInModels}: fast, accurate). */
    public static ScoringModel builtIn(String name) {
        io.github.fer4j.vision.BuiltInModels.BuiltIn model = io.github.fer4j.vision.BuiltInModels.named(name);
        return of(io.github.fer4j.vision.BuiltInModels.bytes(model), model.name());
    }

    /** A model file on the driver's file system; an unreadable or damaged file is an {@link InvalidInputException}. */
    public static ScoringModel read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.at(file, "no such model file");
        }
        try {
            return of(Files.readAllBytes(file), file.getFileName().toString(), file.toString());
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read model: " + e.getMessage());
        }
    }

    /** A model from its file's bytes; {@code name} appears in errors and results. */
    public static ScoringModel of(byte[] bytes, String name) {
        return of(bytes, name, name);
    }

    private static ScoringModel of(byte[] bytes, String name, String where) {
        byte[] copy = bytes.clone();
        String sha256 = sha256(copy);
        Classifier model = ExecutorModels.model(sha256, () -> copy, where);
        return new ScoringModel(copy, name, sha256, model.classNames());
    }

    byte[] bytes() {
        return bytes;
    }

    public String name() {
        return name;
    }

    /** Tells models apart in an executor's cache. */
    public String sha256() {
        return sha256;
    }

    public List<String> classNames() {
        return classNames;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
