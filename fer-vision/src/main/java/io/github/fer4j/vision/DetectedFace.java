package io.github.fer4j.vision;

import java.util.List;
import java.util.Optional;

/**
 * A face a detector found: its box, how sure the detector is ({@code NaN} for the cascades, which give no score) and,
 * from BlazeFace, its six keypoints in pixels of the photo, in MediaPipe's order: the person's right eye, left eye, nose
 * tip, mouth centre, right ear tragion, left ear tragion (empty for the cascades).
 */
public record DetectedFace(FaceBox box, double confidence, List<Keypoint> keypoints) {
    /** MediaPipe's keypoint indices. */
    public static final int RIGHT_EYE = 0;
    public static final int LEFT_EYE = 1;
    public static final int NOSE_TIP = 2;
    public static final int MOUTH_CENTRE = 3;
    public static final int RIGHT_EAR = 4;
    public static final int LEFT_EAR = 5;

    /** A point of the face, in pixels of the photo. */
    public record Keypoint(double x, double y) { }

    public DetectedFace {
        keypoints = List.copyOf(keypoints);
        if (!keypoints.isEmpty() && keypoints.size() != 6) {
            throw new IllegalArgumentException("a face has no keypoints or six, not " + keypoints.size());
        }
    }

    /** A face from a detector that gives neither a score nor keypoints (the cascades). */
    static DetectedFace boxOnly(FaceBox box) {
        return new DetectedFace(box, Double.NaN, List.of());
    }

    /**
     * Both eyes, the one nearer the photo's left edge first ({@link EyePair}), when the detector gave keypoints. In a
     * photo that is not mirrored the person's right eye is on the left; the order by position, not by name, keeps a
     * mirrored photo level too.
     */
    public Optional<EyePair> eyes() {
        if (keypoints.isEmpty()) {
            return Optional.empty();
        }
        Keypoint a = keypoints.get(RIGHT_EYE);
        Keypoint b = keypoints.get(LEFT_EYE);
        return Optional.of(a.x() <= b.x() ? new EyePair(a.x(), a.y(), b.x(), b.y()) : new EyePair(b.x(), b.y(), a.x(), a.y()));
    }
}
