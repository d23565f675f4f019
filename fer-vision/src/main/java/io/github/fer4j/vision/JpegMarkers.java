package io.github.fer4j.vision;

/**
 * Reads a JPEG's header markers to tell whether its luma channel is its gray image: one component (gray), or three
 * stored as YCbCr by libjpeg's own rules (a JFIF marker, an Adobe marker with transform 1, or neither marker and
 * component ids 1, 2, 3), with no ICC profile that the colour path would apply. An RGB, CMYK, YCCK or
 * colour-managed JPEG is not, and neither is anything this scan cannot read to its frame header.
 */
final class JpegMarkers {
    private JpegMarkers() {
    }

    static boolean lumaIsGray(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            return false;
        }
        boolean jfif = false;
        boolean adobe = false;
        int adobeTransform = -1;
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i] & 0xFF) != 0xFF) {
                return false;
            }
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;            // fill byte before a marker
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return false;   // end of image or start of scan before any frame header
            }
            int length = (jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF);
            int data = i + 4;
            if (length < 2 || data + length - 2 > jpeg.length) {
                return false;
            }
            if (marker == 0xE0 && startsWith(jpeg, data, length - 2, "JFIF\0")) {
                jfif = true;
            } else if (marker == 0xE2 && startsWith(jpeg, data, length - 2, "ICC_PROFILE\0")) {
                return false;
            } else if (marker == 0xEE && startsWith(jpeg, data, length - 2, "Adobe") && length - 2 >= 12) {
                adobe = true;
                adobeTransform = jpeg[data + 11] & 0xFF;   // "Adobe", version (2), flags0 (2), flags1 (2), transform
            } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                // Frame header: precision, height (2), width (2), component count, then 3 bytes per component.
                if (length - 2 < 6) {
                    return false;
                }
                int components = jpeg[data + 5] & 0xFF;
                if (components == 1) {
                    return true;
                }
                if (components != 3 || length - 2 < 6 + 9) {
                    return false;
                }
                if (jfif) {
                    return true;
                }
                if (adobe) {
                    return adobeTransform == 1;
                }
                return (jpeg[data + 6] & 0xFF) == 1 && (jpeg[data + 9] & 0xFF) == 2 && (jpeg[data + 12] & 0xFF) == 3;
            }
            i = data + length - 2;
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, int offset, int available, String prefix) {
        if (available < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (bytes[offset + k] != (byte) prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
