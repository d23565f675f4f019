package io.github.fer4j.vision;

import io.github.fer4j.data.FaceSet;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

/**
 * Face detection: MediaPipe's BlazeFace network ({@link BlazeFaceDetector}), which also gives each face's eyes, or the
 * frontal-face cascades that ship inside OpenCV's jar, Haar or LBP. For the cascades, large photos are detected on a
 * copy scaled down to {@value #DETECT_SIDE} pixels on the long side; every photo is padded first, so that a face
 * filling the whole frame is still found. No histogram equalization: on composed photos it amplified background
 * noise, which made detection 4x slower and found fewer faces. One cascade per thread; one BlazeFace session per JVM.
 */
public final class FaceDetector {
    /** The three detectors. */
    public enum Kind {
        /** BlazeFace's front network; its crop constants are measured as the cascades' are (see {@link #cropper()}). */
        BLAZEFACE(null, 0, 0, new FaceCropper(1.16, 0.0, -0.10), 0),
        HAAR("haarcascades/haarcascade_frontalface_default.xml", 1.2, 3, new FaceCropper(1.00, 0.0, 0.0), 3.5),
        // LBP's window is 45 px, so its faces sit at scales under 2, where the argument above detectScoped does not
        // hold: searching from 3.5 windows (158 px) first lowered its recall on composed photos from 0.566 to 0.500.
        LBP("lbpcascades/lbpcascade_frontalface_improved.xml", 1.15, 3, new FaceCropper(1.49, 0.0, -0.10), 0);

        private final String resource;
        private final double scaleFactor;
        private final int minNeighbors;
        private final FaceCropper cropper;
        /** Where {@link #detect} starts its first search, in window sides; 0: one search for every size. */
        private final double largeFaceWindows;

        Kind(String resource, double scaleFactor, int minNeighbors, FaceCropper cropper, double largeFaceWindows) {
            this.resource = resource;
            this.scaleFactor = scaleFactor;
            this.minNeighbors = minNeighbors;
            this.cropper = cropper;
            this.largeFaceWindows = largeFaceWindows;
        }

        /** True for the detector that gives each face's eyes, so that alignment needs no eye search. */
        public boolean givesEyes() {
            return resource == null;
        }

        /**
         * How to turn this detector's box into a FER2013-like crop. Measured by detecting FER2013 PublicTest faces
         * pasted at 192 px onto 480 px canvases (median over the detected faces; see CropCalibrationTest): Haar boxes
         * match FER2013's framing (median ratio 1.03; 1.00 ships because its crops correlate better with the
         * originals on composed photos, 0.770 against 0.718), LBP boxes are smaller and sit lower on the face.
         */
        public FaceCropper cropper() {
            return cropper;
        }

        /**
         * Where aligned crops put the eyes this detector's faces come with: BlazeFace's keypoints, or for the cascades
         * the eye cascades' ({@link EyeFinder}). Both measured on FER2013's faces (CropCalibrationTest).
         */
        public FaceAligner aligner() {
            return givesEyes() ? FaceAligner.BLAZEFACE : FaceAligner.FER2013;
        }

        public static Kind parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }

        /** The name options and answers use: blazeface, haar, lbp. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Every detector's {@link #label}, joined for messages: "blazeface, haar or lbp". */
        public static String choices() {
            Kind[] all = values();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < all.length; i++) {
                s.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].label());
            }
            return s.toString();
        }
    }

    /** The label of the detector every command and {@link EmotionRecognizer.Options#defaults()} use unless told otherwise. */
    public static final String DEFAULT_KIND = "blazeface";

    /** Photos are detected at most this large (long side), for speed; boxes are mapped back. */
    static final int DETECT_SIDE = 960;
    /** Padding on every side, as a fraction of the short side. */
    static final double PAD = 0.15;

    private final Kind kind;
    private final int minFaceSize;
    /** Null for BlazeFace. */
    private final ThreadLocal<CascadeClassifier> cascade;
    /** Null for the cascades. */
    private final BlazeFaceDetector blazeFace;

    /** @param minFaceSize smallest face side to report, in pixels of the photo */
    public FaceDetector(Kind kind, int minFaceSize) {
        this.kind = kind;
        this.minFaceSize = Math.max(FaceSet.SIDE / 2, minFaceSize);
        this.cascade = kind.resource == null ? null : cascadePerThread(kind.resource);
        this.blazeFace = kind.resource == null ? new BlazeFaceDetector(BlazeFaceDetector.Network.FRONT) : null;
    }

    /**
     * Loads this detector now rather than at its first detection: parses the cascade for the calling thread (about
     * 0.2 s for Haar's 930 kB of XML) or opens BlazeFace's network. {@code fer predict} does it while the model loads on
     * another thread.
     */
    public void prepare() {
        if (blazeFace != null) {
            blazeFace.prepare();
        } else {
            cascade.get();
        }
    }

    /**
     * Loads the OpenCV libraries every detector uses (core and imgproc), as the first photo would. A one-photo command
     * calls it on one thread while another loads the model, so that the two native loads overlap.
     */
    public static void loadNatives() {
        Loader.load(opencv_imgproc.class);
    }

    /** The cascades, one per resource, each parsed once per thread and shared by every detector on that thread. */
    private static final java.util.Map<String, ThreadLocal<CascadeClassifier>> CASCADES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * One cascade per thread, loaded from a file that ships inside OpenCV's jar ({@code resource} is relative to its
     * {@code share/opencv4} folder, e.g. {@code haarcascades/haarcascade_eye.xml}). A cascade is only ever used by the
     * thread that parsed it, so detectors on one thread can share it.
     */
    static ThreadLocal<CascadeClassifier> cascadePerThread(String resource) {
        return CASCADES.computeIfAbsent(resource, FaceDetector::parsedPerThread);
    }

    private static ThreadLocal<CascadeClassifier> parsedPerThread(String resource) {
        File file = cascadeFile(resource);
        return ThreadLocal.withInitial(() -> {
            CascadeClassifier c = new CascadeClassifier(file.getAbsolutePath());
            if (c.empty()) {
                throw new IllegalStateException("OpenCV could not load the cascade " + resource + " from " + file);
            }
            // Created on a thread's first detection, inside that call's PointerScope: keep it beyond the scope.
            c.retainReference();
            return c;
        });
    }

    private static File cascadeFile(String resource) {
        try {
            Loader.load(opencv_core.class);
            return Loader.cacheResource(org.bytedeco.opencv.opencv_objdetect.CascadeClassifier.class,
                    "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/" + resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the cascade " + resource + " from the OpenCV jar", e);
        }
    }

    /** The part of {@code inner}'s area that lies inside {@code outer}. */
    static double insideFraction(FaceBox inner, FaceBox outer) {
        int ix = Math.max(0, Math.min(inner.x() + inner.width(), outer.x() + outer.width()) - Math.max(inner.x(), outer.x()));
        int iy = Math.max(0, Math.min(inner.y() + inner.height(), outer.y() + outer.height()) - Math.max(inner.y(), outer.y()));
        return (double) ix * iy / inner.area();
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Faces in an 8-bit gray image, largest first. Faces of 3.5 cascade windows or more (84 px for Haar, in pixels of
     * the photo after the {@value #DETECT_SIDE} px limit) are searched first, and smaller ones only when none of those
     * is found: under half the full search's time for a photo with a face of that size. So a face under 84 px beside
     * a larger one is not reported, which {@link #detectFullResolution} would report; otherwise the two find the same
     * faces with, mostly, the same boxes (see the note above {@code detectScoped}).
     * LBP makes one search for every size, as {@link #detectFullResolution} does.
     */
    public List<FaceBox> detect(Mat gray) {
        return boxes(detectFaces(gray));
    }

    /**
     * As {@link #detect}, each face with what the detector knows of it: BlazeFace's confidence and keypoints (the whole
     * photo first, then the smaller faces only when it holds no large one: {@link BlazeFaceDetector#detect}).
     */
    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    public List<DetectedFace> detectFaces(Mat gray) {
        if (blazeFace != null) {
            return blazeFace.detect(gray, smallestBlazeFaceBox(gray), false);
        }
        try (PointerScope scope = new PointerScope()) {
            return boxOnly(detectScoped(gray));
        }
    }

    /**
     * The smallest face as BlazeFace's box measures it: the face's side is taken as the FER2013-like crop frames it, as
     * for the cascades, whose boxes are that crop; BlazeFace's box is that side / its cropper's scale (1.16). As for the
     * cascades, which search a copy of at most {@value #DETECT_SIDE} px with a smallest window of 20 px, a photo larger
     * than that is searched for faces from 20 px of such a copy (83 px in a 4000x3000 photo): the search's cost grows
     * with the square of the long side over the smallest face.
     */
    private double smallestBlazeFaceBox(Mat gray) {
        double copyLimit = 20.0 * Math.max(gray.cols(), gray.rows()) / DETECT_SIDE;
        return Math.max(minFaceSize, copyLimit) / kind.cropper().scale();
    }

    private static List<FaceBox> boxes(List<DetectedFace> faces) {
        List<FaceBox> boxes = new ArrayList<>(faces.size());
        faces.forEach(f -> boxes.add(f.box()));
        return boxes;
    }

    private static List<DetectedFace> boxOnly(List<FaceBox> boxes) {
        List<DetectedFace> faces = new ArrayList<>(boxes.size());
        boxes.forEach(b -> faces.add(DetectedFace.boxOnly(b)));
        return faces;
    }

    /**
     * Where {@link #detectNear} searches around a face's last box: {@code margin} times its side on every side, for
     * faces of {@code smaller} to {@code larger} times its side.
     */
    public record Neighbourhood(double margin, double smaller, double larger) {
        /**
         * The default. On 839 development photos scaled to 640 px, each face moved and rescaled by up to 5, 10 and 20 %
         * of its side (2,517 moves each; {@code bench/tracking.sh}), it followed the face (IoU at least 0.5) in 97.7,
         * 97.1 and 93.2 % of the moves in 1.3-1.6 ms, against 98.1, 98.0 and 95.7 % in 2.5-2.8 ms for {@link #WIDE}:
         * counting a whole-frame search (23 ms on these photos) for each face not followed, 2.1-2.9 ms a frame
         * against 3.1-3.4.
         */
        public static final Neighbourhood DEFAULT = new Neighbourhood(0.25, 0.8, 1.25);
        /** The first setting: half the side on every side, sizes from 0.75 to 1.33 times it. */
        public static final Neighbourhood WIDE = new Neighbourhood(0.5, 0.75, 1.33);

        public Neighbourhood {
            if (!(margin >= 0 && smaller > 0 && smaller < 1 && larger > 1)) {
                throw new IllegalArgumentException("margin >= 0, 0 < smaller < 1 < larger; got " + margin + ", " + smaller + ", " + larger);
            }
        }
    }

    /**
     * Faces near where one was, for following a face between full detections: the cascade searches only the region
     * around {@code near} and only the sizes near its side ({@link Neighbourhood#DEFAULT}), which costs a small part of
     * {@link #detect}. Largest first; the part of the region outside the image is its edge repeated, as
     * {@link #detect} pads every photo.
     */
    public List<FaceBox> detectNear(Mat gray, FaceBox near) {
        return detectNear(gray, near, Neighbourhood.DEFAULT);
    }

    /** As {@link #detectNear(Mat, FaceBox)}, searching {@code where}. */
    public List<FaceBox> detectNear(Mat gray, FaceBox near, Neighbourhood where) {
        return boxes(detectFacesNear(gray, near, where));
    }

    /**
     * As {@link #detectNear(Mat, FaceBox, Neighbourhood)}, with what the detector knows of each face. BlazeFace makes
     * one pass of its network over the square of twice the face's side around it.
     */
    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    public List<DetectedFace> detectFacesNear(Mat gray, FaceBox near, Neighbourhood where) {
        if (blazeFace != null) {
            return blazeFace.detectNear(gray, near, where.margin(), where.smaller(), where.larger());
        }
        try (PointerScope scope = new PointerScope()) {
            List<FaceBox> boxes = new ArrayList<>(searchAround(gray, near, where.margin(), where.smaller(), where.larger()));
            boxes.sort(FaceBox.LARGEST_FIRST);
            return boxOnly(boxes);
        }
    }

    /**
     * The cascade over the region around {@code near} ({@code margin} times its side on every side; outside the image
     * its edge repeated) for faces of {@code smaller} to {@code larger} times its side.
     */
    private List<FaceBox> searchAround(Mat gray, FaceBox near, double margin, double smaller, double larger) {
        int m = (int) (near.width() * margin);
        int x0 = near.x() - m;
        int y0 = near.y() - m;
        int x1 = near.x() + near.width() + m;
        int y1 = near.y() + near.height() + m;
        int cx0 = Math.max(0, x0);
        int cy0 = Math.max(0, y0);
        int cx1 = Math.min(gray.cols(), x1);
        int cy1 = Math.min(gray.rows(), y1);
        int smallest = Math.max(20, (int) Math.round(near.width() * smaller));
        if (cx1 - cx0 < smallest / 2 || cy1 - cy0 < smallest / 2) {
            return List.of();   // the face has left the picture
        }
        Mat region = new Mat(gray, new Rect(cx0, cy0, cx1 - cx0, cy1 - cy0));
        Mat padded = new Mat();
        opencv_core.copyMakeBorder(region, padded, cy0 - y0, y1 - cy1, cx0 - x0, x1 - cx1, opencv_core.BORDER_REPLICATE,
                new Scalar());
        int largest = Math.max(smallest + 1, (int) Math.round(near.width() * larger));
        RectVector found = new RectVector();
        cascade.get().detectMultiScale(padded, found, kind.scaleFactor, kind.minNeighbors, 0,
                new Size(smallest, smallest), new Size(largest, largest));
        List<FaceBox> boxes = new ArrayList<>();
        for (long i = 0; i < found.size(); i++) {
            Rect r = found.get(i);
            boxes.add(new FaceBox(r.x() + x0, r.y() + y0, r.width(), r.width()));
        }
        return boxes;
    }

    /**
     * Faces in an 8-bit gray image, largest first, found the plain way: one search of the whole photo at full
     * resolution (after the {@value #DETECT_SIDE} px limit) for every face size from the smallest. {@link #detect}
     * gives the same faces in under half the time; this is the reference that tests and benchmarks hold it to.
     * BlazeFace searches every level of its pyramid ({@link BlazeFaceDetector#detect} with every level).
     */
    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    public List<FaceBox> detectFullResolution(Mat gray) {
        if (blazeFace != null) {
            return boxes(blazeFace.detect(gray, smallestBlazeFaceBox(gray), true));
        }
        try (PointerScope scope = new PointerScope()) {
            double scale = workingScale(gray);
            Mat work = workingCopy(gray, scale);
            int minSide = Math.max(20, (int) Math.round(minFaceSize * scale));
            return search(work, scale, gray.cols(), gray.rows(), minSide, 0);
        }
    }

    /*
     * Why detect is fast and still finds the faces the full search finds (Kind.HAAR's largeFaceWindows, 3.5).
     * A cascade slides its window (W = 24 px for Haar) over the photo scaled down by s = 1, 1.2, 1.44, ...; OpenCV
     * moves the window by 2 px of the scaled photo while s < 2 and by 1 px from s = 2 on, so the windows to try at
     * scale s number about
     * the photo's area / s^2, and most of the search's work is in its smallest faces: with faces from 48 px on a
     * 640x480 photo, the scales of windows under 84 px hold about three quarters of the windows. detect
     * searches windows from 3.5W (84 px) up first, the very windows the full search tries at those sizes, and the
     * smaller ones only when it found no face. Measured on 240 composed photos (process CPU time on a loaded machine):
     * 14.3 ms a photo against 31.4, the same faces found (126 and 289), half the false boxes, the median box the same
     * (IoU 1.000). Starting at 4W (96 px) was 11 ms but lost a face in a hundred whose box was under 96 px; starting
     * at 3W found one face more for 18 ms. A half-size copy searched first, each box then refined at full resolution,
     * cost the same 14.3 ms: at scale s/2 of a half copy a window steps by s px of the photo, as at scale s of the
     * photo, so from 4W up both try the same number of windows. Its boxes were further from the full search's
     * (median IoU 0.945), and under 4W, where the half copy steps twice as coarsely, it missed a fifth of the faces.
     */
    private List<FaceBox> detectScoped(Mat gray) {
        double scale = workingScale(gray);
        Mat work = workingCopy(gray, scale);
        int minSide = Math.max(20, (int) Math.round(minFaceSize * scale));
        int largeFrom = Math.max(minSide, (int) Math.round(kind.largeFaceWindows * cascade.get().getOriginalWindowSize().width()));
        List<FaceBox> found = search(work, scale, gray.cols(), gray.rows(), largeFrom, 0);
        if (found.isEmpty() && minSide < largeFrom) {
            // Up to one scale step past where the first search started, so that no face size falls between the two.
            found = search(work, scale, gray.cols(), gray.rows(), minSide, (int) Math.ceil(largeFrom * kind.scaleFactor));
        }
        return found;
    }

    /** How much the photo is scaled down for detection: to at most {@value #DETECT_SIDE} px on its long side. */
    private static double workingScale(Mat gray) {
        return Math.min(1.0, (double) DETECT_SIDE / Math.max(gray.cols(), gray.rows()));
    }

    /** The photo scaled by {@code scale}: detection's full resolution. */
    private static Mat workingCopy(Mat gray, double scale) {
        if (scale >= 1.0) {
            return gray;
        }
        Mat small = new Mat();
        opencv_imgproc.resize(gray, small, new Size((int) Math.round(gray.cols() * scale), (int) Math.round(gray.rows() * scale)),
                0, 0, opencv_imgproc.INTER_AREA);
        return small;
    }

    /**
     * The cascade over {@code work} (the photo scaled by {@code scale}; padded, so that a face cut by the edge is still
     * found) for faces of {@code minSide} px of it up to {@code maxSide} (0: no limit); boxes in pixels of the photo
     * ({@code width} x {@code height}), those whose centre lies outside it dropped, largest first, parts of a face
     * dropped.
     */
    private List<FaceBox> search(Mat work, double scale, int width, int height, int minSide, int maxSide) {
        int pad = (int) Math.round(Math.min(work.cols(), work.rows()) * PAD);
        Mat padded = new Mat();
        opencv_core.copyMakeBorder(work, padded, pad, pad, pad, pad, opencv_core.BORDER_REPLICATE, new Scalar());
        RectVector found = new RectVector();
        cascade.get().detectMultiScale(padded, found, kind.scaleFactor, kind.minNeighbors, 0, new Size(minSide, minSide),
                maxSide > 0 ? new Size(maxSide, maxSide) : new Size());
        List<FaceBox> boxes = new ArrayList<>();
        for (long i = 0; i < found.size(); i++) {
            Rect r = found.get(i);
            int x = (int) Math.round((r.x() - pad) / scale);
            int y = (int) Math.round((r.y() - pad) / scale);
            int side = (int) Math.round(r.width() / scale);
            // Keep boxes whose centre lies inside the photo; clip the rest of the box to it.
            int cx = x + side / 2;
            int cy = y + side / 2;
            if (cx < 0 || cy < 0 || cx >= width || cy >= height) {
                continue;
            }
            boxes.add(new FaceBox(x, y, side, side));
        }
        return keepOutermost(boxes);
    }

    /**
     * Largest first; a cascade also fires on parts of a face (an eye and the nose at a smaller scale): a box that
     * lies mostly inside a larger one already kept is dropped.
     */
    private static List<FaceBox> keepOutermost(List<FaceBox> boxes) {
        List<FaceBox> sorted = new ArrayList<>(boxes);
        sorted.sort(FaceBox.LARGEST_FIRST);
        List<FaceBox> kept = new ArrayList<>();
        for (FaceBox b : sorted) {
            if (kept.stream().noneMatch(k -> insideFraction(b, k) > 0.5)) {
                kept.add(b);
            }
        }
        return kept;
    }
}
