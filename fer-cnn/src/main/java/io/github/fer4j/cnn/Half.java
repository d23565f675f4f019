package io.github.fer4j.cnn;

/**
 * IEEE 754 half precision (binary16), the format networks are stored in when their weights fit it exactly: 1 sign bit, 5
 * exponent bits (bias 15), 10 fraction bits. Java 17 has no {@code Float.floatToFloat16}, so the conversions are here.
 */
public final class Half {
    private Half() {
    }

    /** The float a binary16 value stands for (exact: every binary16 value is a float). */
    public static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int fraction = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | fraction << 13);   // infinity or NaN
        }
        if (exponent == 0) {
            // Zero or subnormal: fraction x 2^-24.
            float magnitude = fraction * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent - 15 + 127) << 23 | fraction << 13);
    }

    /** The binary16 value nearest to {@code value} (ties to even), infinity beyond 65504 + half a step. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int fraction = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (fraction != 0 ? 0x200 : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;   // below half the smallest subnormal: zero
            }
            // Subnormal: shift the full significand (with its implicit 1) right and round to nearest, ties to even.
            int significand = fraction | 0x800000;
            int shift = 14 - e;
            int rounded = significand >>> shift;
            int rest = significand & ((1 << shift) - 1);
            int half = 1 << (shift - 1);
            if (rest > half || rest == half && (rounded & 1) == 1) {
                rounded++;
            }
            return (short) (sign | rounded);
        }
        int rounded = e << 10 | fraction >>> 13;
        int rest = fraction & 0x1FFF;
        if (rest > 0x1000 || rest == 0x1000 && (rounded & 1) == 1) {
            rounded++;   // may carry into the exponent, up to infinity: still the right answer
        }
        return (short) (sign | rounded);
    }

    /** Whether {@code value} is a binary16 value exactly (so storing it in 16 bits loses nothing). */
    public static boolean isExact(float value) {
        return Float.floatToRawIntBits(toFloat(fromFloat(value))) == Float.floatToRawIntBits(value);
    }

    /** {@code value} rounded to the nearest binary16 value. */
    public static float round(float value) {
        return toFloat(fromFloat(value));
    }
}
