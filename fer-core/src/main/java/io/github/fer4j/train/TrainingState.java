package io.github.fer4j.train;

import java.io.IOException;
import java.nio.file.Path;

/** A run's whole state after an epoch, as a trainer hands it to checkpoint listeners. */
@FunctionalInterface
public interface TrainingState {
    /** Writes the state to {@code file} atomically, so that a crash leaves the previous checkpoint whole. */
    void writeTo(Path file) throws IOException;
}
