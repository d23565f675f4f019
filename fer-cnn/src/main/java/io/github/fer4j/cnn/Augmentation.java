package io.github.fer4j.cnn;

/**
 * The random views of each face in training: up to {@code maxShift} pixels of shift each way, up to
 * {@code maxRotationDegrees} of rotation, a scale change up to {@code maxScale} (0.1 = 90..110 %), and a mirror
 * image half of the time when {@code mirror} is set. All drawn from the run's seed.
 */
public record Augmentation(double maxShift, double maxRotationDegrees, double maxScale, boolean mirror) {
    public static final Augmentation NONE = new Augmentation(0, 0, 0, false);

    public boolean isNone() {
        return maxShift == 0 && maxRotationDegrees == 0 && maxScale == 0 && !mirror;
    }
}
