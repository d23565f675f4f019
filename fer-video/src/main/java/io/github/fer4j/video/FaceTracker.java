package io.github.fer4j.video;

import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.RecognizedFace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives the faces of a video ids that last from frame to frame. Each frame's boxes are matched to the faces already
 * known by overlap (IoU) with where each face is expected: its last box moved on at the speed it had, so two faces
 * that cross paths keep their ids. A box that matches none starts a new id; a face unseen for more than
 * {@code forgetAfter} analysed frames ends, and its id is never given again.
 */
public final class FaceTracker {
    /** Boxes overlapping less than this are different faces. */
    public static final double DEFAULT_MIN_IOU = 0.3;
    /** Analysed frames a face may go unseen (turned away, hidden by another face) and keep its id. */
    public static final int DEFAULT_FORGET_AFTER = 10;

    private static final class Track {
        final int id;
        FaceBox last;
        int lastStep;
        double vx;
        double vy;

        Track(int id, FaceBox box, int step) {
            this.id = id;
            this.last = box;
            this.lastStep = step;
        }

        /** The last box moved on by its velocity (pixels per analysed frame) to {@code step}. */
        FaceBox expectedAt(int step) {
            int gap = step - lastStep;
            return new FaceBox((int) Math.round(last.x() + vx * gap), (int) Math.round(last.y() + vy * gap), last.width(),
                    last.height());
        }

        void seen(FaceBox box, int step) {
            int gap = Math.max(1, step - lastStep);
            // Velocity from the centres' motion, averaged with the old estimate so one jittery box does not fling it.
            double nvx = ((box.x() + box.width() / 2.0) - (last.x() + last.width() / 2.0)) / gap;
            double nvy = ((box.y() + box.height() / 2.0) - (last.y() + last.height() / 2.0)) / gap;
            vx = 0.5 * vx + 0.5 * nvx;
            vy = 0.5 * vy + 0.5 * nvy;
            last = box;
            lastStep = step;
        }
    }

    private final double minIou;
    private final int forgetAfter;
    private final List<Track> tracks = new ArrayList<>();
    private int step = -1;
    private int nextId = 1;

    public FaceTracker() {
        this(DEFAULT_MIN_IOU, DEFAULT_FORGET_AFTER);
    }

    public FaceTracker(double minIou, int forgetAfter) {
        this.minIou = minIou;
        this.forgetAfter = forgetAfter;
    }

    /** Where each face still followed is expected in the next analysed frame, by id. */
    public Map<Integer, FaceBox> expectedNext() {
        Map<Integer, FaceBox> out = new LinkedHashMap<>();
        for (Track t : tracks) {
            out.put(t.id, t.expectedAt(step + 1));
        }
        return out;
    }

    /** The faces of the next analysed frame, with their ids, in the order given. */
    public List<TrackedFace> update(List<RecognizedFace> faces) {
        step++;
        record Pair(Track track, int face, double iou) { }
        List<Pair> pairs = new ArrayList<>();
        for (Track t : tracks) {
            FaceBox expected = t.expectedAt(step);
            for (int i = 0; i < faces.size(); i++) {
                double iou = expected.iou(faces.get(i).box());
                if (iou >= minIou) {
                    pairs.add(new Pair(t, i, iou));
                }
            }
        }
        // Greedy by overlap: the best-overlapping pair is surely the same face; then the best of what is left.
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
        Track[] assigned = new Track[faces.size()];
        List<Track> matched = new ArrayList<>();
        for (Pair p : pairs) {
            if (assigned[p.face()] == null && !matched.contains(p.track())) {
                assigned[p.face()] = p.track();
                matched.add(p.track());
            }
        }
        List<TrackedFace> out = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            FaceBox box = faces.get(i).box();
            Track t = assigned[i];
            if (t == null) {
                t = new Track(nextId++, box, step);
                tracks.add(t);
            } else {
                t.seen(box, step);
            }
            out.add(new TrackedFace(t.id, faces.get(i)));
        }
        tracks.removeIf(t -> step - t.lastStep > forgetAfter);
        return out;
    }
}
