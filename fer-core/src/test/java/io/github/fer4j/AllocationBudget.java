package io.github.fer4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;

/**
 * How much memory the current thread may allocate while it reads one input: a fixed allowance plus a multiple of
 * the input's size, so that a fuzz test fails when a tiny file makes a reader allocate gigabytes from a size field
 * or inflate far more than a real file of its kind would.
 */
public final class AllocationBudget {
    /** Enough for a reader's fixed buffers (the FER2013 reader alone starts with about 11 MB). */
    public static final long ALLOWANCE = 64L << 20;
    /** Per input byte, for gzip: real data may inflate up to deflate's limit of about a thousand times. */
    public static final long GZIP = 1024;
    /** Per input byte, for a fer4j zip: its entries may inflate a hundred times, plus the copies made reading them. */
    public static final long ZIP = 512;
    /** Per input byte, for text and images: the copies a reader makes (the pixel limit bounds an image). */
    public static final long PLAIN = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long limit;

    private AllocationBudget(long limit) {
        this.limit = limit;
    }

    /** The budget for an input of {@code inputBytes}, {@code perInputByte} being {@link #GZIP}, {@link #ZIP} or {@link #PLAIN}. */
    /** Runs {@code read} on an input of these bytes within the budget of its kind, naming it by its size. */
    public static void reading(byte[] input, long perInputByte, Runnable read) {
        forInput(input.length, perInputByte).check("reading " + input.length + " bytes", read);
    }

    public static AllocationBudget forInput(long inputBytes, long perInputByte) {
        return new AllocationBudget(ALLOWANCE + perInputByte * inputBytes);
    }

    /**
     * Runs {@code read} and fails when it allocated more than the budget on this thread. Over the budget, it is run
     * once more and that run decides: the first read of a kind of input also loads classes (and, when fuzzing,
     * instruments them) on this thread, which can allocate a hundred megabytes that the input did not cause.
     */
    public void check(String what, Runnable read) {
        long allocated = allocatedBy(read);
        if (allocated > limit) {
            allocated = allocatedBy(read);
        }
        if (allocated > limit) {
            fail(what + " allocated " + allocated + " bytes, over the budget of " + limit);
        }
    }

    private static long allocatedBy(Runnable read) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        read.run();
        return before < 0 ? 0 : THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
