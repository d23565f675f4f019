package io.github.fer4j.server;

/**
 * The measured time one request takes a worker, as an exponentially weighted mean (the last few dozen requests
 * count most), from which the server tells how long a new request would wait. Before the first measurement it
 * assumes {@link #INITIAL_NANOS}.
 */
final class ServiceTime {
    /** 50 ms: a one-face photo with the CNN on one core, measured by bench/serve.sh. */
    static final long INITIAL_NANOS = 50_000_000L;
    private static final double WEIGHT = 0.1;
    private double mean = INITIAL_NANOS;

    synchronized void add(long nanos) {
        mean += WEIGHT * (nanos - mean);
    }

    synchronized long meanNanos() {
        return (long) mean;
    }
}
