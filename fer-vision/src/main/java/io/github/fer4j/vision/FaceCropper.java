package io.github.fer4j.vision;

import io.github.fer4j.data.FaceSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Cuts a detected face out the way FER2013 framed its faces: a square {@code scale} times the detector's box,
 * its centre moved by ({@code dx}, {@code dy}) box widths, gray, resized to 48x48 by area averaging. Each
 * detector has its own measured constants ({@link FaceDetector.Kind#cropper()}).
 */
public record FaceCropper(double scale, double dx, double dy) {

    /** The square region of the photo that becomes the 48x48 face. */
    public FaceBox region(FaceBox box) {
        double side = box.width() * scale;
        double cx = box.x() + box.width() / 2.0 + dx * box.width();
        double cy = box.y() + box.height() / 2.0 + dy * box.width();
        int s = (int) Math.round(side);
        return new FaceBox((int) Math.round(cx - side / 2), (int) Math.round(cy - side / 2), s, s);
    }

    /** The 48x48 crop (2304 gray levels, row-major) of a face in a gray photo; the photo's edge is repeated if needed. */
    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    public byte[] crop(Mat gray, FaceBox box) {
        try (PointerScope scope = new PointerScope()) {
            return cropScoped(gray, box);
        }
    }

    private byte[] cropScoped(Mat gray, FaceBox box) {
        FaceBox r = region(box);
        int left = Math.max(0, -r.x());
        int top = Math.max(0, -r.y());
        int right = Math.max(0, r.x() + r.width() - gray.cols());
        int bottom = Math.max(0, r.y() + r.height() - gray.rows());
        Mat source = gray;
        if (left + top + right + bottom > 0) {
            source = new Mat();
            opencv_core.copyMakeBorder(gray, source, top, bottom, left, right, opencv_core.BORDER_REPLICATE, new Scalar());
        }
        Mat region = new Mat(source, new Rect(r.x() + left, r.y() + top, r.width(), r.height()));
        Mat face = new Mat();
        opencv_imgproc.resize(region, face, new Size(FaceSet.SIDE, FaceSet.SIDE), 0, 0, opencv_imgproc.INTER_AREA);
        byte[] out = new byte[FaceSet.PIXELS];
        // A resized Mat is continuous, so its bytes are the row-major image.
        face.data().get(out);
        return out;
    }
}
