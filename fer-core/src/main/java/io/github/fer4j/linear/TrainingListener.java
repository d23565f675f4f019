package io.github.fer4j.linear;

/** Something that watches a training run: a progress bar, a history recorder, a logger. */
public interface TrainingListener {
    default void onStart(int epochs) {
    }

    void onEpoch(EpochStats stats);

    /** Within an epoch, after each mini-batch (long runs show it; the linear trainer does not call it). */
    default void onBatch(int epoch, int batch, int batches, double meanLoss) {
    }

    default void onEnd(int bestEpoch, boolean stoppedEarly) {
    }
}
