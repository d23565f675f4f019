package io.github.fer4j.train;

import java.util.Locale;

/**
 * A learning-rate schedule as a value, the one schedule type of every trainer: the rate at a point of the run,
 * measured in epochs from 0 (fractional within an epoch: a trainer that changes the rate every mini-batch asks at
 * {@code step / batchesPerEpoch}). The run's length is given when the rate is asked for, so a schedule never
 * repeats the epoch count. Written on the command line as {@code constant}, {@code step:FACTOR:EVERY} (seed 000's
 * "divide by 10 every 500 epochs" is {@code step:0.1:500}) or {@code cosine[:MIN]}.
 */
public sealed interface LearningRate {
    /** The rate at {@code epoch} (from 0, may be fractional) of a run of {@code epochs} epochs. */
    double at(double epoch, double epochs);

    /** The initial rate (for a warm-up: the peak it rises to). */
    double rate();

    /** The text form; {@link #parse} reads it back for the schedules the command line takes. */
    String describe();

    /** The same shape with another initial (peak) rate, as a sweep varies it. */
    LearningRate withRate(double rate);

    /** This schedule after a linear warm-up from 0 over {@code epochs} epochs. */
    default LearningRate afterWarmUp(double epochs) {
        return epochs > 0 ? new WarmUp(epochs, this) : this;
    }

    static LearningRate constant(double rate) {
        return new Constant(rate);
    }

    static LearningRate cosine(double rate) {
        return new Cosine(rate, 0);
    }

    record Constant(double rate) implements LearningRate {
        public Constant {
            requirePositive(rate);
        }

        @Override
        public double at(double epoch, double epochs) {
            return rate;
        }

        @Override
        public String describe() {
            return "constant";
        }

        @Override
        public LearningRate withRate(double rate) {
            return new Constant(rate);
        }
    }

    /** rate * factor^floor(epoch / every). */
    record StepDecay(double rate, double factor, int every) implements LearningRate {
        public StepDecay {
            requirePositive(rate);
            if (!(factor > 0 && factor <= 1) || every < 1) {
                throw new IllegalArgumentException("step decay: factor must be in (0, 1] and every >= 1");
            }
        }

        @Override
        public double at(double epoch, double epochs) {
            return rate * Math.pow(factor, (int) Math.floor(epoch) / every);
        }

        @Override
        public String describe() {
            return "step:" + factor + ":" + every;
        }

        @Override
        public LearningRate withRate(double rate) {
            return new StepDecay(rate, factor, every);
        }
    }

    /** Half a cosine from rate down to min over the run: min + (rate - min) (1 + cos(pi t / T)) / 2. */
    record Cosine(double rate, double min) implements LearningRate {
        public Cosine {
            requirePositive(rate);
            if (!(min >= 0 && min <= rate)) {
                throw new IllegalArgumentException("cosine: the minimum must be in [0, rate], got " + min);
            }
        }

        @Override
        public double at(double epoch, double epochs) {
            return min + (rate - min) * (1 + Math.cos(Math.PI * Math.min(epoch, epochs) / Math.max(1e-9, epochs))) / 2;
        }

        @Override
        public String describe() {
            return "cosine:" + min;
        }

        @Override
        public LearningRate withRate(double rate) {
            return new Cosine(rate, min);
        }
    }

    /**
     * A linear rise from 0 to the main schedule's first rate over {@code epochs} epochs, then the main schedule laid
     * out over the rest of the run.
     */
    record WarmUp(double epochs, LearningRate then) implements LearningRate {
        public WarmUp {
            if (!(epochs > 0) || then instanceof WarmUp) {
                throw new IllegalArgumentException("warm-up: a positive number of epochs before a schedule");
            }
        }

        @Override
        public double at(double epoch, double runEpochs) {
            // The main schedule's clock starts after the warm-up, over what is left of the run.
            return epoch < epochs ? then.at(0, 1) * epoch / epochs : then.at(epoch - epochs, runEpochs - epochs);
        }

        @Override
        public double rate() {
            return then.rate();
        }

        @Override
        public String describe() {
            return "warmup:" + epochs + "," + then.describe();
        }

        @Override
        public LearningRate withRate(double rate) {
            return new WarmUp(epochs, then.withRate(rate));
        }
    }

    /** Parses a schedule for an initial rate; throws IllegalArgumentException with the reason. */
    static LearningRate parse(String text, double rate) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            return switch (parts[0]) {
                case "constant" -> {
                    requireParts(parts, 1, 1, text);
                    yield new Constant(rate);
                }
                case "step" -> {
                    requireParts(parts, 3, 3, text);
                    double factor = Double.parseDouble(parts[1]);
                    int every = Integer.parseInt(parts[2]);
                    if (!(factor > 0 && factor <= 1) || every < 1) {
                        throw new IllegalArgumentException("schedule '" + text + "': factor must be in (0, 1] and every >= 1");
                    }
                    yield new StepDecay(rate, factor, every);
                }
                case "cosine" -> {
                    requireParts(parts, 1, 2, text);
                    yield new Cosine(rate, parts.length == 2 ? Double.parseDouble(parts[1]) : 0);
                }
                default -> throw new IllegalArgumentException("unknown schedule '" + text
                        + "' (expected constant, step:FACTOR:EVERY or cosine[:MIN])");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule '" + text + "': not a number: " + e.getMessage());
        }
    }

    private static void requireParts(String[] parts, int min, int max, String text) {
        if (parts.length < min || parts.length > max) {
            throw new IllegalArgumentException("schedule '" + text
                    + "' has the wrong number of ':' parts (expected constant, step:FACTOR:EVERY or cosine[:MIN])");
        }
    }

    private static void requirePositive(double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + rate);
        }
    }
}
