package io.github.fer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The wait estimate's time per request: a median of the recent requests, which a few slow first ones do not move. */
class ServiceTimeTest {
    static final long MS = 1_000_000L;

    @Test
    void beforeAnyRequestItAssumesTheInitialTime() {
        assertEquals(ServiceTime.INITIAL_NANOS, new ServiceTime().medianNanos());
    }

    @Test
    void theSlowFirstRequestsOfAColdServerDoNotMoveIt() {
        // A cold worker's first two requests took 900 and 400 ms, the next ones 10 to 14 ms. Sorted:
        // 10 11 12 13 14 400 900 -> the median is the 4th of 7, 13 ms. (The exponential mean it replaces, starting at
        // 50 ms with weight 0.1, stood at 175 ms after these seven: 200 requests queued on 2 workers then looked like
        // a 17 s wait, far over the 5 s bound, and the burst was refused.)
        ServiceTime t = new ServiceTime();
        for (long ms : new long[] {900, 400, 12, 10, 14, 11, 13}) {
            t.add(ms * MS);
        }
        assertEquals(13 * MS, t.medianNanos());
        // An even count: the mean of the two middle ones. 10 11 12 13 14 14 400 900 -> (13 + 14) / 2.
        t.add(14 * MS);
        assertEquals(27 * MS / 2, t.medianNanos());
    }

    @Test
    void itFollowsAChangeOfPaceWithinHalfAWindow() {
        ServiceTime t = new ServiceTime();
        for (int i = 0; i < ServiceTime.WINDOW; i++) {
            t.add(10 * MS);
        }
        // The machine gets busy: requests now take 40 ms. Once more than half the window is 40 ms, the median is too.
        for (int i = 0; i < ServiceTime.WINDOW / 2; i++) {
            t.add(40 * MS);
        }
        assertEquals(10 * MS, t.medianNanos());
        t.add(40 * MS);
        assertEquals(40 * MS, t.medianNanos());
        // The window is a window: after WINDOW requests at 20 ms, nothing older counts.
        for (int i = 0; i < ServiceTime.WINDOW; i++) {
            t.add(20 * MS);
        }
        assertEquals(20 * MS, t.medianNanos());
    }
}
