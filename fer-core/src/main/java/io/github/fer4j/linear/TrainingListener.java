package io.github.fer4j.linear;

/** Something that watches a training run: a progress bar, a history recorder, a logger. */
public interface TrainingListener {
    default void onStart(int epochs) {
    }

    void onEpoch(EpochStats stats);

    default void onEnd(int bestEpoch, boolean stoppedEarly) {
    }
}
