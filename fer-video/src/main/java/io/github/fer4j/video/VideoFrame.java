package io.github.fer4j.video;

import java.awt.image.BufferedImage;

/**
 * One decoded frame of a video: its number (from 0, in decoding order), its time in seconds from the start, and its
 * pixels as a BGR image (null when the caller asked for the frame without them).
 */
public record VideoFrame(int number, double seconds, BufferedImage image) {
}
