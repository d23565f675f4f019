package io.github.fer4j.train;

import java.io.IOException;

/**
 * Something that watches a training run: a progress bar, a history recorder, the best-epoch rule, a checkpoint
 * writer, a sitting that pauses the run. Every trainer calls the same hooks in the same order: {@link #onStart}, for
 * each epoch {@link #pauseBefore}, {@link #onBatch} (trainers with long epochs), {@link #onCheckpoint} (trainers that
 * can resume) and {@link #onEpoch}, and {@link #onEnd} once the last epoch is done.
 */
public interface TrainingListener {
    default void onStart(int epochs) {
    }

    /** A line about work the run does outside its epochs, such as reading a teacher's probabilities before the first. */
    default void onNote(String message) {
    }

    /** Asked before each epoch (1-based): true stops the run there, to be resumed later from its checkpoint. */
    default boolean pauseBefore(int epoch) {
        return false;
    }

    /** Within an epoch, after each mini-batch. */
    default void onBatch(int epoch, int batch, int batches, double meanLoss) {
    }

    /** After an epoch, with everything needed to go on from there (only trainers that can resume call it). */
    default void onCheckpoint(int epoch, TrainingState state) throws IOException {
    }

    void onEpoch(EpochStats stats);

    default void onEnd(int bestEpoch, boolean stoppedEarly) {
    }
}
