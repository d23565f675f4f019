package io.github.fer4j.onnx;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The rule for a file that a model names (an ONNX tensor's external data, a sidecar's labels): a relative path that
 * stays inside the model's own folder, checked on the path as written, to a regular file. A model cannot name a file
 * anywhere else, whoever wrote it; links inside the folder are followed, as whoever set up the folder put them there.
 */
final class ModelFolder {
    private ModelFolder() {
    }

    /** Why a path a model names is refused: the reason, to be put after the path in a message. */
    static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The file {@code written} names inside {@code folder}; {@link Refused} with the reason when it is not one there. */
    static Path resolve(Path folder, String written) {
        Path relative;
        try {
            relative = Path.of(written);
        } catch (InvalidPathException e) {
            throw new Refused("is not a path: " + e.getMessage());
        }
        if (relative.isAbsolute() || written.startsWith("/") || written.startsWith("\\") || written.matches("^[A-Za-z]:.*")) {
            throw new Refused("is an absolute path; a model's files are read only from its folder " + folder
                    + ", by a path relative to it");
        }
        Path normal = relative.normalize();
        if (normal.toString().isEmpty() || normal.startsWith("..")) {
            throw new Refused("leads out of the model's folder " + folder + "; a model's files are read only from inside it");
        }
        Path file = folder.resolve(normal);
        if (!Files.isRegularFile(file)) {
            throw new Refused(Files.exists(file) ? "is not a regular file (" + file + ")" : "does not exist (" + file + ")");
        }
        return file;
    }
}
