package io.github.fer4j.train;

/**
 * Pauses a run after {@code epochs} epochs of this sitting; the checkpoint keeps it for a later resume. It counts from
 * the first epoch this sitting trains, so a resumed run's replayed history does not count.
 */
public final class Sitting implements TrainingListener {
    private final int epochs;
    private int first;

    public Sitting(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("--sitting must be at least 1 epoch");
        }
        this.epochs = epochs;
    }

    @Override
    public boolean pauseBefore(int epoch) {
        if (first == 0) {
            first = epoch;
        }
        return epoch - first >= epochs;
    }

    @Override
    public void onEpoch(EpochStats stats) {
    }
}
