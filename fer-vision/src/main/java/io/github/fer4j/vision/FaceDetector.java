package io.github.fer4j.vision;

import io.github.fer4j.data.FaceSet;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
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
 * Frontal-face detection with the cascades that ship inside OpenCV's jar: Haar (the default, more accurate) or
 * LBP. Large photos are detected on a copy scaled down to {@value #DETECT_SIDE} pixels on the long side; every
 * photo is padded first, so that a face filling the whole frame is still found. No histogram equalization: on
 * composed photos it amplified background noise, which made detection 4x slower and found fewer faces. One
 * cascade per thread.
 */
public final class FaceDetector {
    /** The two detectors. */
    public enum Kind {
        HAAR("haarcascades/haarcascade_frontalface_default.xml", 1.2, 3, new FaceCropper(1.00, 0.0, 0.0)),
        LBP("lbpcascades/lbpcascade_frontalface_improved.xml", 1.15, 3, new FaceCropper(1.49, 0.0, -0.10));

        private final String resource;
        private final double scaleFactor;
        private final int minNeighbors;
        private final FaceCropper cropper;

        Kind(String resource, double scaleFactor, int minNeighbors, FaceCropper cropper) {
            this.resource = resource;
            this.scaleFactor = scaleFactor;
            this.minNeighbors = minNeighbors;
            this.cropper = cropper;
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

        public static Kind parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Photos are detected at most this large (long side), for speed; boxes are mapped back. */
    static final int DETECT_SIDE = 960;
    /** Padding on every side, as a fraction of the short side. */
    static final double PAD = 0.15;

    private final Kind kind;
    private final int minFaceSize;
    private final ThreadLocal<CascadeClassifier> cascade;

    /** @param minFaceSize smallest face side to report, in pixels of the photo */
    public FaceDetector(Kind kind, int minFaceSize) {
        this.kind = kind;
        this.minFaceSize = Math.max(FaceSet.SIDE / 2, minFaceSize);
        this.cascade = cascadePerThread(kind.resource);
    }

    /**
     * One cascade per thread, loaded from a file that ships inside OpenCV's jar ({@code resource} is relative to its
     * {@code share/opencv4} folder, e.g. {@code haarcascades/haarcascade_eye.xml}).
     */
    static ThreadLocal<CascadeClassifier> cascadePerThread(String resource) {
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

    /** Faces in an 8-bit gray image, largest first. */
    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    public List<FaceBox> detect(Mat gray) {
        try (PointerScope scope = new PointerScope()) {
            return detectScoped(gray);
        }
    }

    /**
     * Faces near where one was, for following a face between full detections: the cascade searches only the region
     * around {@code near} (half its side on every side) and only sizes from 0.75 to 1.33 times its side, which costs a
     * small part of {@link #detect}. Largest first; the part of the region outside the image is its edge repeated,
     * as {@link #detect} pads every photo.
     */
    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    public List<FaceBox> detectNear(Mat gray, FaceBox near) {
        int margin = near.width() / 2;
        int x0 = near.x() - margin;
        int y0 = near.y() - margin;
        int x1 = near.x() + near.width() + margin;
        int y1 = near.y() + near.height() + margin;
        int cx0 = Math.max(0, x0);
        int cy0 = Math.max(0, y0);
        int cx1 = Math.min(gray.cols(), x1);
        int cy1 = Math.min(gray.rows(), y1);
        int smallest = Math.max(20, (int) Math.round(near.width() * 0.75));
        if (cx1 - cx0 < smallest / 2 || cy1 - cy0 < smallest / 2) {
            return List.of();   // the face has left the picture
        }
        try (PointerScope scope = new PointerScope()) {
            Mat region = new Mat(gray, new Rect(cx0, cy0, cx1 - cx0, cy1 - cy0));
            Mat padded = new Mat();
            opencv_core.copyMakeBorder(region, padded, cy0 - y0, y1 - cy1, cx0 - x0, x1 - cx1, opencv_core.BORDER_REPLICATE,
                    new Scalar());
            int largest = Math.max(smallest + 1, (int) Math.round(near.width() * 1.33));
            RectVector found = new RectVector();
            cascade.get().detectMultiScale(padded, found, kind.scaleFactor, kind.minNeighbors, 0,
                    new Size(smallest, smallest), new Size(largest, largest));
            List<FaceBox> boxes = new ArrayList<>();
            for (long i = 0; i < found.size(); i++) {
                Rect r = found.get(i);
                boxes.add(new FaceBox(r.x() + x0, r.y() + y0, r.width(), r.width()));
            }
            boxes.sort(Comparator.comparingInt(FaceBox::area).reversed());
            return boxes;
        }
    }

    private List<FaceBox> detectScoped(Mat gray) {
        int width = gray.cols();
        int height = gray.rows();
        double scale = Math.min(1.0, (double) DETECT_SIDE / Math.max(width, height));
        Mat small = gray;
        if (scale < 1.0) {
            small = new Mat();
            opencv_imgproc.resize(gray, small, new Size((int) Math.round(width * scale), (int) Math.round(height * scale)),
                    0, 0, opencv_imgproc.INTER_AREA);
        }
        int pad = (int) Math.round(Math.min(small.cols(), small.rows()) * PAD);
        Mat padded = new Mat();
        opencv_core.copyMakeBorder(small, padded, pad, pad, pad, pad, opencv_core.BORDER_REPLICATE, new Scalar());
        RectVector found = new RectVector();
        int minSide = Math.max(20, (int) Math.round(minFaceSize * scale));
        cascade.get().detectMultiScale(padded, found, kind.scaleFactor, kind.minNeighbors, 0,
                new Size(minSide, minSide), new Size());
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
        boxes.sort(Comparator.comparingInt(FaceBox::area).reversed());
        // A cascade also fires on parts of a face (an eye and the nose at a smaller scale): drop a box that lies
        // mostly inside a larger one already kept.
        List<FaceBox> kept = new ArrayList<>();
        for (FaceBox b : boxes) {
            if (kept.stream().noneMatch(k -> insideFraction(b, k) > 0.5)) {
                kept.add(b);
            }
        }
        return kept;
    }
}
