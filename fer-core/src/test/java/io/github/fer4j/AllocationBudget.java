package io.github.fer4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;

/**
 * How much memory the current thread may allocate while it reads one input: a fixed allowance plus a multiple of
 * the input's size, so that a fuzz test fails when a tiny file makes a reader allocate gigabytes from a size field.
 */
public final class AllocationBudget {
    /** Enough for a reader's fixed buffers (the FER2013 reader alone starts with about 11 MB). */
    public static final long ALLOWANCE = 64L << 20;
    /** Bytes per input byte: a compressed input may legitimately expand about a thousand times (deflate's limit). */
    public static final long PER_INPUT_BYTE = 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long limit;

    private AllocationBudget(long limit) {
        this.limit = limit;
    }

    /** The budget for an input of {@code inputBytes}. */
    public static AllocationBudget forInput(long inputBytes) {
        return new AllocationBudget(ALLOWANCE + PER_INPUT_BYTE * inputBytes);
    }

    /** Runs {@code read} and fails when it allocated more than the budget on this thread. */
    public void check(String what, Runnable read) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        read.run();
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (before >= 0 && allocated > limit) {
            fail(what + " allocated " + allocated + " bytes, over the budget of " + limit);
        }
    }
}
