package io.github.fer4j.train;

/**
 * Which epoch's model a run keeps, and when it stops early, as a value: the validation metric that decides, and
 * how many epochs without a better one end the run (0: never early). Without a validation split (the metric is NaN)
 * every epoch counts as the best so far, so the last one is kept.
 *
 * @param metric   what makes an epoch better than the best so far
 * @param patience epochs without a better one before the run stops; 0 = run every epoch
 */
public record EpochSelection(Metric metric, int patience) {
    /** The validation numbers an epoch can be judged by. */
    public enum Metric {
        /** Keep the last epoch. */
        LAST,
        /** Lowest validation loss. */
        VALIDATION_LOSS,
        /** Highest validation accuracy. */
        VALIDATION_ACCURACY
    }

    public EpochSelection {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must not be negative, got " + patience);
        }
        if (metric == Metric.LAST && patience != 0) {
            throw new IllegalArgumentException("keeping the last epoch has no patience");
        }
    }

    public static final EpochSelection LAST = new EpochSelection(Metric.LAST, 0);

    /** Lowest validation loss, stopping after {@code patience} epochs without a lower one; 0 keeps the last epoch. */
    public static EpochSelection lowestValidationLoss(int patience) {
        return patience == 0 ? LAST : new EpochSelection(Metric.VALIDATION_LOSS, patience);
    }

    public static EpochSelection bestValidationAccuracy() {
        return new EpochSelection(Metric.VALIDATION_ACCURACY, 0);
    }

    /**
     * The listener that applies this rule to one run. A resumed run replays its history into it, which puts it
     * exactly where the run left it.
     */
    public Tracker tracker() {
        return new Tracker(this);
    }

    /** Follows a run epoch by epoch: the best epoch so far, its value, and whether the run should stop. */
    public static final class Tracker implements TrainingListener {
        private final EpochSelection rule;
        private int bestEpoch;
        private double bestValue;
        private int sinceBest;
        private boolean improved;

        Tracker(EpochSelection rule) {
            this.rule = rule;
            this.bestValue = Double.NaN;
        }

        @Override
        public void onEpoch(EpochStats stats) {
            double value = switch (rule.metric()) {
                case LAST -> Double.NaN;
                case VALIDATION_LOSS -> -stats.validationLoss();
                case VALIDATION_ACCURACY -> stats.validationAccuracy();
            };
            improved = Double.isNaN(value) || bestEpoch == 0 || Double.isNaN(bestValue) || value > bestValue;
            if (improved) {
                bestEpoch = stats.epoch();
                bestValue = value;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
        }

        /** Whether the epoch just seen is the best so far (its model is the one to keep). */
        public boolean improved() {
            return improved;
        }

        public boolean shouldStop() {
            return rule.patience() > 0 && sinceBest >= rule.patience();
        }

        public int bestEpoch() {
            return bestEpoch;
        }

        /** The best value so far, as the rule compares it (validation loss negated); NaN when there is none. */
        public double bestValue() {
            return bestValue;
        }
    }
}
