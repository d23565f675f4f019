package io.github.fer4j.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** binary16 conversions against the format's definition: every value round-trips, others go to the nearest (ties even). */
class HalfTest {
    @Test
    void everyHalfValueRoundTrips() {
        for (int h = 0; h < 1 << 16; h++) {
            float f = Half.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(f))));
                continue;
            }
            assertEquals((short) h, Half.fromFloat(f), "0x" + Integer.toHexString(h) + " = " + f);
            assertTrue(Half.isExact(f));
        }
    }

    @Test
    void workedValues() {
        // 1 = 0x3C00; 65504 is the largest finite value; 2^-24 the smallest subnormal; 1/3 rounds to 0x3555 (0.33325195).
        assertEquals((short) 0x3C00, Half.fromFloat(1f));
        assertEquals(65504f, Half.toFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, Half.toFloat((short) 0x0001));
        assertEquals((short) 0x3555, Half.fromFloat(1f / 3));
        assertEquals(0.33325195f, Half.round(1f / 3));
        assertEquals(Float.POSITIVE_INFINITY, Half.round(65520f), "65520 is halfway to the next step: ties to even, infinity");
        assertEquals(65504f, Half.round(65519f));
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties to even gives 1; 1 + 3 * 2^-11 gives 1 + 2^-9.
        assertEquals(1f, Half.round(1f + 0x1p-11f));
        assertEquals(1f + 0x1p-9f, Half.round(1f + 3 * 0x1p-11f));
        assertEquals(0f, Half.round(0x1p-26f));
        assertEquals(-0x1p-24f, Half.round(-0x1.8p-25f), "a subnormal midpoint above half the smallest rounds up in magnitude");
    }

    @Test
    void randomFloatsGoToTheNearestHalf() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            float v = (float) ((random.nextDouble() * 2 - 1) * Math.pow(2, random.nextInt(-26, 16)));
            short h = Half.fromFloat(v);
            double got = Math.abs((double) Half.toFloat(h) - v);
            // Neighbours one code either way (same sign) are no nearer.
            for (int d : new int[] {-1, 1}) {
                int n = (h & 0x7FFF) + d;
                if (n < 0 || n > 0x7BFF) {
                    continue;
                }
                double other = Math.abs((double) Half.toFloat((short) ((h & 0x8000) | n)) - v);
                assertTrue(got <= other, v + " -> " + Half.toFloat(h) + ", but " + Half.toFloat((short) ((h & 0x8000) | n)) + " is nearer");
            }
        }
    }
}
