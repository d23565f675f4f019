package io.github.fer4j.server;

import java.util.Arrays;

/**
 * The time one request takes a worker, as the median of the last {@value #WINDOW} requests, from which the server tells
 * how long a new request would wait. A median rather than a mean: the first requests a worker serves (its first parse
 * of the detector's cascade, code not yet compiled) take many times the usual time, and a mean pulled up by one of them
 * made a just-started server refuse part of its first burst. The warm-up's runs seed it; before any request it assumes
 * {@link #INITIAL_NANOS}.
 */
final class ServiceTime {
    /** 50 ms: a one-face photo with the CNN on one core, measured by bench/serve.sh. */
    static final long INITIAL_NANOS = 50_000_000L;
    /** Odd, so that the median of a full window is one of its values; a change of pace shows within half of it. */
    static final int WINDOW = 63;
    private final long[] recent = new long[WINDOW];
    private int count;
    private int next;

    synchronized void add(long nanos) {
        recent[next] = nanos;
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
    }

    /** The median of the recent times: the middle one, or the mean of the two middle ones of an even count. */
    synchronized long medianNanos() {
        if (count == 0) {
            return INITIAL_NANOS;
        }
        long[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    }
}
