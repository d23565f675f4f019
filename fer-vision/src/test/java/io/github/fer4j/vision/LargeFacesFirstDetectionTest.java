package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fer4j.TestData;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fast detector ({@link FaceDetector#detect}: faces of 96 px and more first, smaller ones only when none is
 * found) against the plain search for every size ({@link FaceDetector#detectFullResolution}) on photos composed from FER2013 PublicTest
 * faces pasted at known places: the same faces found, boxes close to the plain ones, the same emotions read.
 */
class LargeFacesFirstDetectionTest {
    static FaceSet faces;
    static List<Integer> pool;
    static final FaceDetector DETECTOR = new FaceDetector(FaceDetector.Kind.HAAR, 48);

    @BeforeAll
    static void load() {
        Optional<Path> file = TestData.fer2013();
        if (file.isPresent()) {
            faces = Fer2013Reader.read(file.get());
            pool = PhotoComposer.usable(faces, faces.indices(Split.PUBLIC_TEST), 600);
        } else {
            System.err.println(TestData.MISSING);
        }
    }

    private record Placed(List<PhotoComposer.Placement> faces, java.awt.image.BufferedImage photo) { }

    /** 640x480 photos with one to three faces of {@code smallest}..{@code largest} px that do not overlap. */
    private static List<Placed> photos(int count, int smallest, int largest, int perPhoto, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Placed> out = new ArrayList<>();
        int next = 0;
        for (int p = 0; p < count; p++) {
            List<PhotoComposer.Placement> placed = new ArrayList<>();
            int wanted = 1 + r.nextInt(perPhoto);
            for (int tries = 0; placed.size() < wanted && tries < 50; tries++) {
                int side = smallest + r.nextInt(largest - smallest + 1);
                PhotoComposer.Placement c = new PhotoComposer.Placement(faces.face(pool.get(next % pool.size())),
                        r.nextInt(640 - side), r.nextInt(480 - side), side);
                if (placed.stream().noneMatch(q -> apart(q.box(), c.box()) < 20)) {
                    placed.add(c);
                    next++;
                }
            }
            out.add(new Placed(placed, PhotoComposer.compose(640, 480, placed, seed * 1000 + p)));
        }
        return out;
    }

    /** The gap between two boxes (negative when they overlap). */
    private static int apart(FaceBox a, FaceBox b) {
        int gx = Math.max(b.x() - (a.x() + a.width()), a.x() - (b.x() + b.width()));
        int gy = Math.max(b.y() - (a.y() + a.height()), a.y() - (b.y() + b.height()));
        return Math.max(gx, gy);
    }

    /** What the two detectors found on a set of photos. */
    private record Compared(int faces, int plainFound, int fastFound, int bothFound, int plainFalse, int fastFalse,
                            double[] iouWithPlain, double[] plainIouWithTruth) {
        double quantile(double[] sorted, double q) {
            return sorted[(int) Math.floor(q * (sorted.length - 1))];
        }
    }

    private static Optional<FaceBox> match(List<FaceBox> boxes, FaceBox truth) {
        return boxes.stream().filter(b -> b.iou(truth) > 0.4).max(java.util.Comparator.comparingDouble(b -> b.iou(truth)));
    }

    @SuppressWarnings("try")
    private static Compared compare(List<Placed> photos, String what) {
        int total = 0;
        int plainFound = 0;
        int fastFound = 0;
        int both = 0;
        int plainFalse = 0;
        int fastFalse = 0;
        List<Double> ious = new ArrayList<>();
        List<Double> plainTruth = new ArrayList<>();
        for (Placed p : photos) {
            List<FaceBox> plain;
            List<FaceBox> fast;
            try (PointerScope scope = new PointerScope()) {
                Mat gray = Images.gray(p.photo());
                plain = DETECTOR.detectFullResolution(gray);
                fast = DETECTOR.detect(gray);
            }
            plainFalse += (int) plain.stream().filter(b -> p.faces().stream().noneMatch(q -> b.iou(q.box()) > 0.4)).count();
            fastFalse += (int) fast.stream().filter(b -> p.faces().stream().noneMatch(q -> b.iou(q.box()) > 0.4)).count();
            for (PhotoComposer.Placement q : p.faces()) {
                total++;
                Optional<FaceBox> a = match(plain, q.box());
                Optional<FaceBox> b = match(fast, q.box());
                plainFound += a.isPresent() ? 1 : 0;
                fastFound += b.isPresent() ? 1 : 0;
                if (a.isPresent() && b.isPresent()) {
                    both++;
                    ious.add(a.get().iou(b.get()));
                    plainTruth.add(a.get().iou(q.box()));
                }
            }
        }
        Compared c = new Compared(total, plainFound, fastFound, both, plainFalse, fastFalse,
                ious.stream().mapToDouble(Double::doubleValue).sorted().toArray(),
                plainTruth.stream().mapToDouble(Double::doubleValue).sorted().toArray());
        System.err.printf("%s: %d faces; full-resolution search found %d (%d false boxes), fast %d (%d false boxes), both %d; "
                + "IoU fast vs full: median %.3f, 10th percentile %.3f, lowest %.3f; full vs pasted box: median %.3f, "
                + "10th percentile %.3f%n", what, total, plainFound, plainFalse, fastFound, fastFalse, both,
                c.quantile(c.iouWithPlain(), 0.5), c.quantile(c.iouWithPlain(), 0.1), c.iouWithPlain()[0],
                c.quantile(c.plainIouWithTruth(), 0.5), c.quantile(c.plainIouWithTruth(), 0.1));
        return c;
    }

    @Test
    void findsTheFacesTheFullSearchFindsWithBoxesWithinItsOwnJitter() {
        assumeTrue(faces != null, TestData.MISSING);
        // The sizes of RecognitionTest's photos (faces of 110..220 px on 640x480), 160 photos.
        Compared c = compare(photos(160, 110, 220, 3, 7), "faces of 110-220 px");
        // Recall must not drop: the faces the full search finds, the fast one finds, and no false boxes are added.
        assertTrue(c.fastFound() >= c.plainFound(), "recall " + c.fastFound() + " against " + c.plainFound());
        assertEquals(c.plainFound(), c.bothFound(), "the same faces");
        assertTrue(c.fastFalse() <= c.plainFalse(), "false boxes " + c.fastFalse() + " against " + c.plainFalse());
        // Boxes: the fast search tries the full search's very windows at these sizes, and a box differs only where
        // the full search's group of windows for a face also held windows under 84 px, which move its average. So
        // most boxes are the same, and the rest sit closer to the full search's than that sits to the face it found
        // (its median IoU with the pasted square is ~0.85). IoU 0.75 between two squares of one size is a shift of
        // ~7% of the side on each axis: 8-15 px here.
        assertTrue(c.quantile(c.iouWithPlain(), 0.5) >= 0.99, "median IoU " + c.quantile(c.iouWithPlain(), 0.5));
        assertTrue(c.quantile(c.iouWithPlain(), 0.5) > c.quantile(c.plainIouWithTruth(), 0.5), "closer to the full search than it is to the face");
        assertTrue(c.quantile(c.iouWithPlain(), 0.1) >= 0.75, "10th percentile IoU " + c.quantile(c.iouWithPlain(), 0.1));
    }

    @Test
    void smallFacesAloneGetTheFullResolutionSearch() {
        assumeTrue(faces != null, TestData.MISSING);
        // One face of 50..80 px per photo: the search from 84 px finds nothing, so the smaller sizes are searched.
        Compared c = compare(photos(60, 50, 80, 1, 11), "one face of 50-80 px");
        assertEquals(c.plainFound(), c.fastFound(), "recall");
        assertEquals(c.plainFound(), c.bothFound(), "the same faces");
        // The second search stops one scale step past 84 px, so a group the full search built with larger windows
        // too averages differently; most boxes are the same.
        assertTrue(c.quantile(c.iouWithPlain(), 0.5) >= 0.99, "median IoU " + c.quantile(c.iouWithPlain(), 0.5));
    }

    @Test
    void theEmotionsReadFromTheFastBoxesAreThoseOfTheFullSearch() {
        assumeTrue(faces != null, TestData.MISSING);
        EmotionRecognizer recognizer = EmotionRecognizer.create();
        int both = 0;
        int same = 0;
        int plainRight = 0;
        int fastRight = 0;
        for (Placed p : photos(60, 110, 220, 3, 13)) {
            Mat gray = Images.gray(p.photo());
            List<FaceBox> plain = DETECTOR.detectFullResolution(gray);
            List<FaceBox> fast = DETECTOR.detect(gray);
            for (PhotoComposer.Placement q : p.faces()) {
                Optional<FaceBox> a = match(plain, q.box());
                Optional<FaceBox> b = match(fast, q.box());
                if (a.isPresent() && b.isPresent()) {
                    both++;
                    String direct = recognizer.model().classNames().get(recognizer.model().predict(q.face()));
                    String fromPlain = recognizer.classify(a.get(), recognizer.crop(gray, a.get())).dominant();
                    String fromFast = recognizer.classify(b.get(), recognizer.crop(gray, b.get())).dominant();
                    same += fromPlain.equals(fromFast) ? 1 : 0;
                    plainRight += fromPlain.equals(direct) ? 1 : 0;
                    fastRight += fromFast.equals(direct) ? 1 : 0;
                }
            }
        }
        System.err.printf("emotions on %d faces found by both: same answer %d; agreeing with the 48x48 face: full search %d, "
                + "fast %d%n", both, same, plainRight, fastRight);
        // A box a few pixels off changes a borderline face's answer, in either direction; what must not happen is
        // the fast boxes reading the faces worse than the full search's do.
        assertTrue(same >= 0.9 * both, "same answer on " + same + " of " + both);
        assertTrue(fastRight >= plainRight - both / 50, "fast " + fastRight + " against " + plainRight);
    }
}
