package io.github.fer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The limits per client address, on a clock the test sets (nanoseconds). */
class ClientLimitsTest {
    static final long S = 1_000_000_000L;

    @Test
    void aTokenBucketOfOneSecondsWorth() {
        // 2 uploads a second: the bucket holds 2. At t=0 two go, the third is refused; each 0.5 s brings one back.
        ClientLimits limits = new ClientLimits(2, 0);
        assertTrue(limits.admit("a", 0).allowed());
        assertTrue(limits.admit("a", 0).allowed());
        ClientLimits.Admission third = limits.admit("a", 0);
        assertFalse(third.allowed());
        // One token is missing at 2 a second: 0.5 s, said as the whole seconds of Retry-After, 1.
        assertEquals(1, third.retryAfterSeconds());
        assertTrue(third.reason().contains("more than 2 uploads a second"), third.reason());
        assertFalse(limits.admit("a", S / 4).allowed(), "a quarter second brings half a token");
        assertTrue(limits.admit("a", S / 2).allowed(), "half a second brings one");
        // Another address has its own bucket.
        assertTrue(limits.admit("b", S / 2).allowed());
        // A long pause refills to the capacity, not beyond: two go, the third is refused.
        assertTrue(limits.admit("a", 100 * S).allowed());
        assertTrue(limits.admit("a", 100 * S).allowed());
        assertFalse(limits.admit("a", 100 * S).allowed());
    }

    @Test
    void aSlowRateTellsTheWholeWait() {
        // 0.25 a second: the bucket holds 1; after it, the next token is 4 s away.
        ClientLimits limits = new ClientLimits(0.25, 0);
        assertTrue(limits.admit("a", 0).allowed());
        ClientLimits.Admission next = limits.admit("a", 0);
        assertEquals(4, next.retryAfterSeconds());
        assertEquals(3, limits.admit("a", S).retryAfterSeconds());
    }

    @Test
    void uploadsInFlightAreCappedPerClientAndReleased() {
        ClientLimits limits = new ClientLimits(0, 2);
        assertTrue(limits.admit("a", 0).allowed());
        assertTrue(limits.admit("a", 0).allowed());
        ClientLimits.Admission third = limits.admit("a", 0);
        assertFalse(third.allowed());
        assertEquals(1, third.retryAfterSeconds());
        assertTrue(third.reason().contains("already has 2 uploads in the server"), third.reason());
        assertTrue(limits.admit("b", 0).allowed(), "another client is not held back");
        limits.release("a");
        assertTrue(limits.admit("a", 0).allowed());
    }

    @Test
    void idleClientsAreForgottenSoTheTableStaysSmall() {
        ClientLimits limits = new ClientLimits(10, 4);
        limits.admit("busy", 0);   // stays in flight: never dropped
        for (int i = 0; i < 20_000; i++) {
            String address = "10.0." + (i / 250) + "." + (i % 250);
            long now = i * (S / 1000);
            assertTrue(limits.admit(address, now).allowed());
            limits.release(address);
        }
        // Each address's bucket refills in 0.1 s (one token at 10 a second): the sweep drops all but the recent ones.
        assertTrue(limits.size() <= 2 * ClientLimits.SWEEP_ABOVE, "tracked addresses: " + limits.size());
        // The busy client was kept with its upload in flight: three more make four, the fifth is refused.
        for (int i = 0; i < 3; i++) {
            assertTrue(limits.admit("busy", 100 * S + i).allowed());
        }
        assertFalse(limits.admit("busy", 100 * S).allowed(), "the busy client's count survived the sweeps");
    }

    @Test
    void noLimitsAtZeroAndNegativeOnesAreRefused() {
        ClientLimits none = new ClientLimits(0, 0);
        assertFalse(none.limits());
        for (int i = 0; i < 1000; i++) {
            assertTrue(none.admit("a", 0).allowed());
        }
        assertThrows(IllegalArgumentException.class, () -> new ClientLimits(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ClientLimits(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new ClientLimits(1, -1));
    }
}
