package io.github.fer4j.vision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

/**
 * Finds both eyes inside a face box with the eye cascades that ship inside OpenCV's jar: {@code haarcascade_eye},
 * then {@code haarcascade_eye_tree_eyeglasses} when the first gives no pair. Only the band of the box where eyes can
 * be is searched, scaled so that the box is {@value #SEARCH_WIDTH} px wide whatever the face's size in the photo.
 * Of the eyes found, the pair kept is one eye on each side of the box's centre line, as far apart as eyes are in a
 * face ({@value #MIN_DISTANCE} to {@value #MAX_DISTANCE} box widths), of like size, at most {@value #MAX_ANGLE}
 * degrees from level, and nearest where a frontal face's eyes are. Safe to share between threads (one cascade of
 * each per thread).
 */
public final class EyeFinder {
    /** The box is searched at this width: eye boxes then have fixed bounds in pixels, and time per face is bounded. */
    static final int SEARCH_WIDTH = 200;
    /** The band searched, from the top of the box, in box heights; wide enough for eyes of a face turned 30 degrees. */
    private static final double BAND_TOP = 0.10;
    private static final double BAND_BOTTOM = 0.62;
    /** Eye boxes from a tenth to two fifths of the face's width. */
    private static final double MIN_EYE = 0.10;
    private static final double MAX_EYE = 0.40;
    static final double MIN_DISTANCE = 0.25;
    static final double MAX_DISTANCE = 0.62;
    static final double MAX_ANGLE = 30;
    /** Where a pair's midpoint and spacing usually are in a frontal face box (box widths): the tie-breaker between pairs. */
    private static final double USUAL_MID_Y = 0.38;
    private static final double USUAL_DISTANCE = 0.40;

    private final ThreadLocal<CascadeClassifier> eyes = FaceDetector.cascadePerThread("haarcascades/haarcascade_eye.xml");
    private final ThreadLocal<CascadeClassifier> eyesWithGlasses =
            FaceDetector.cascadePerThread("haarcascades/haarcascade_eye_tree_eyeglasses.xml");

    /** One eye found: its centre and side, in box widths from the box's top-left corner. */
    private record Eye(double x, double y, double side) { }

    /** Both eyes of the face in {@code box} (photo pixels), or empty when no plausible pair is found. */
    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    public Optional<EyePair> find(Mat gray, FaceBox box) {
        try (PointerScope scope = new PointerScope()) {
            return findScoped(gray, box);
        }
    }

    private Optional<EyePair> findScoped(Mat gray, FaceBox box) {
        int x0 = Math.max(0, box.x());
        int x1 = Math.min(gray.cols(), box.x() + box.width());
        int y0 = Math.max(0, box.y() + (int) Math.round(BAND_TOP * box.height()));
        int y1 = Math.min(gray.rows(), box.y() + (int) Math.round(BAND_BOTTOM * box.height()));
        if (x1 - x0 < box.width() / 2 || y1 - y0 < box.height() / 4) {
            return Optional.empty();   // most of the band lies outside the photo
        }
        double scale = (double) SEARCH_WIDTH / box.width();
        Mat band = new Mat(gray, new Rect(x0, y0, x1 - x0, y1 - y0));
        Mat search = new Mat();
        opencv_imgproc.resize(band, search, new Size((int) Math.round((x1 - x0) * scale), (int) Math.round((y1 - y0) * scale)),
                0, 0, scale < 1 ? opencv_imgproc.INTER_AREA : opencv_imgproc.INTER_LINEAR);
        // Equalized, as the cascades were trained: a face in shadow or under a bright window still shows its eyes.
        opencv_imgproc.equalizeHist(search, search);
        int smallest = (int) Math.round(MIN_EYE * SEARCH_WIDTH);
        int largest = (int) Math.round(MAX_EYE * SEARCH_WIDTH);
        for (ThreadLocal<CascadeClassifier> cascade : List.of(eyes, eyesWithGlasses)) {
            RectVector found = new RectVector();
            cascade.get().detectMultiScale(search, found, 1.1, 3, 0, new Size(smallest, smallest), new Size(largest, largest));
            List<Eye> candidates = new ArrayList<>();
            for (long i = 0; i < found.size(); i++) {
                Rect r = found.get(i);
                // From search pixels back to box widths, measured from the box's corner.
                candidates.add(new Eye((x0 - box.x() + (r.x() + r.width() / 2.0) / scale) / box.width(),
                        (y0 - box.y() + (r.y() + r.height() / 2.0) / scale) / box.width(), r.width() / scale / box.width()));
            }
            Optional<Eye[]> pair = bestPair(candidates);
            if (pair.isPresent()) {
                Eye left = pair.get()[0];
                Eye right = pair.get()[1];
                return Optional.of(new EyePair(box.x() + left.x() * box.width(), box.y() + left.y() * box.width(),
                        box.x() + right.x() * box.width(), box.y() + right.y() * box.width()));
            }
        }
        return Optional.empty();
    }

    /** The plausible pair nearest the usual place of a frontal face's eyes, left eye first. */
    private static Optional<Eye[]> bestPair(List<Eye> candidates) {
        Eye[] best = null;
        double bestCost = Double.MAX_VALUE;
        for (Eye a : candidates) {
            for (Eye b : candidates) {
                if (a.x() >= 0.5 || b.x() <= 0.5) {
                    continue;   // one eye on each side of the centre line, a on the left
                }
                double distance = Math.hypot(b.x() - a.x(), b.y() - a.y());
                double angle = Math.toDegrees(Math.atan2(Math.abs(b.y() - a.y()), b.x() - a.x()));
                double sizes = Math.max(a.side(), b.side()) / Math.min(a.side(), b.side());
                if (distance < MIN_DISTANCE || distance > MAX_DISTANCE || angle > MAX_ANGLE || sizes > 1.6) {
                    continue;
                }
                double cost = Math.hypot((a.x() + b.x()) / 2 - 0.5, (a.y() + b.y()) / 2 - USUAL_MID_Y)
                        + Math.abs(distance - USUAL_DISTANCE);
                if (cost < bestCost) {
                    bestCost = cost;
                    best = new Eye[] {a, b};
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
