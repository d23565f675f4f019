package io.github.fer4j.train;

import java.io.IOException;
import java.nio.file.Path;

/** Writes the run's state to one file after every epoch (atomically: a kill leaves the last whole checkpoint). */
public record Checkpoints(Path file) implements TrainingListener {
    @Override
    public void onCheckpoint(int epoch, TrainingState state) throws IOException {
        state.writeTo(file);
    }

    @Override
    public void onEpoch(EpochStats stats) {
    }
}
