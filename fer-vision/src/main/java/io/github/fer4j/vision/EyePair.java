package io.github.fer4j.vision;

/**
 * The centres of both eyes of one face, in pixels of the photo: {@code left} is the eye nearer the photo's left edge
 * (the person's right eye).
 */
public record EyePair(double leftX, double leftY, double rightX, double rightY) {
    /**
     * How far the line through the eyes turns from level, in degrees, in image coordinates (y down): positive when
     * the right-hand eye sits lower, i.e. the face is turned clockwise as one looks at the photo.
     */
    public double angleDegrees() {
        return Math.toDegrees(Math.atan2(rightY - leftY, rightX - leftX));
    }

    /** Distance between the eye centres, in pixels. */
    public double distance() {
        return Math.hypot(rightX - leftX, rightY - leftY);
    }

    public double midX() {
        return (leftX + rightX) / 2;
    }

    public double midY() {
        return (leftY + rightY) / 2;
    }
}
