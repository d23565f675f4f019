package io.github.fer4j.model;

import java.nio.file.Path;

/**
 * A model file format other than fer4j's own zip (an ONNX graph, say). Modules register theirs with
 * {@link java.util.ServiceLoader} (META-INF/services), and {@link ModelFile#load(Path)} hands such files to them, so
 * every place that takes a model file takes these too without fer-core knowing the format.
 */
public interface ForeignModelFormat {
    /** The format's name, for messages ("ONNX"). */
    String name();

    /** Whether this format claims the file (by its name, as fer4j's own files are found by what they hold). */
    boolean claims(Path file);

    /** Loads the model; bad input gives an InvalidInputException naming the file and what is wrong. */
    Classifier load(Path file);
}
