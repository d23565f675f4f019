package io.github.fer4j.linear;

import java.util.Locale;

/**
 * A learning-rate schedule as a value: the rate for each epoch (0-based). Written on the command line as
 * {@code constant}, {@code step:FACTOR:EVERY} (seed 000's "divide by 10 every 500 epochs" is
 * {@code step:0.1:500}) or {@code cosine[:MIN]}.
 */
public sealed interface LearningRate {
    double at(int epoch);

    /** The text form, parseable by {@link #parse}. */
    String describe();

    record Constant(double rate) implements LearningRate {
        @Override
        public double at(int epoch) {
            return rate;
        }

        @Override
        public String describe() {
            return "constant";
        }
    }

    /** rate * factor^floor(epoch / every). */
    record StepDecay(double rate, double factor, int every) implements LearningRate {
        @Override
        public double at(int epoch) {
            return rate * Math.pow(factor, epoch / every);
        }

        @Override
        public String describe() {
            return "step:" + factor + ":" + every;
        }
    }

    /** Half a cosine from rate down to min over the run: min + (rate - min) (1 + cos(pi t / T)) / 2. */
    record Cosine(double rate, double min, int epochs) implements LearningRate {
        @Override
        public double at(int epoch) {
            return min + (rate - min) * (1 + Math.cos(Math.PI * epoch / Math.max(1, epochs))) / 2;
        }

        @Override
        public String describe() {
            return "cosine:" + min;
        }
    }

    /** Parses a schedule for an initial rate and run length; throws IllegalArgumentException with the reason. */
    static LearningRate parse(String text, double rate, int epochs) {
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
                    double min = parts.length == 2 ? Double.parseDouble(parts[1]) : 0;
                    yield new Cosine(rate, min, epochs);
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
}
