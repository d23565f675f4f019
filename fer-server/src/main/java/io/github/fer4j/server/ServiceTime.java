package io.github.fer4j.server;

import java.util.Arrays;

/**
 * The time one request takes a worker ({@link #clock()}: its CPU time), as the median of the last {@value #WINDOW} requests, from which the server tells
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

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    /**
     * The clock a request is timed by: the worker thread's own CPU time where the JVM gives it, else the wall clock. A
     * request's CPU time is what it costs a core; its wall time also holds what it waited for one (the compiler threads
     * and the collector of a JVM that has just met the HTTP path, the uploads of a burst being read), which passes. Timed
     * by the wall clock, a just-started server's first burst raised the median to 4 to 10 times the pace it went on at,
     * and the server refused up to 129 of 200 uploads it then answered well within its bound (bench/burst.sh).
     */
    static long clock() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

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
