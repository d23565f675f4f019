package io.github.fer4j.vision;

import io.github.fer4j.data.FaceSet;
import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Cuts a face out with its eyes level: the photo is turned about the eyes' midpoint until they are level, and the
 * square is sized from the distance between the eyes, so that in the 48x48 crop the midpoint lands at
 * ({@code 0.5}, {@code eyeY}) crop sides and the eyes lie {@code eyeDistance} crop sides apart. The square is cut at
 * the photo's resolution and then resized by area averaging, as {@link FaceCropper} does.
 */
public record FaceAligner(double eyeY, double eyeDistance) {
    /**
     * Where FER2013's eyes are. Measured by running {@link EyeFinder} on FER2013 PublicTest faces upscaled to 192 px,
     * the face's square as the box (medians over the 199 of the first 300 non-blank faces where a pair was found; see
     * CropCalibrationTest): the eyes' midpoint 0.380 of the side from the top (0.493 from the left, -0.9 degrees from
     * level), the eyes 0.391 sides apart. Aligned crops of FER2013 faces pasted into photos put them back there
     * (0.379 from the top, 0.393 apart).
     */
    public static final FaceAligner FER2013 = new FaceAligner(0.38, 0.39);

    /**
     * Where FER2013's eyes are by BlazeFace's eye keypoints: measured on FER2013 PublicTest faces pasted at 192 px onto
     * 480 px canvases (medians over the 292 of the first 300 non-blank faces BlazeFace found; see CropCalibrationTest):
     * the eyes' midpoint 0.391 of the side from the top (0.494 from the left, -1.1 degrees from level), 0.371 sides
     * apart. BlazeFace puts the eyes a little lower and closer together than the eye cascades' boxes do.
     */
    public static final FaceAligner BLAZEFACE = new FaceAligner(0.39, 0.37);

    /** A crop whose size differs from the detector's by more than this factor (either way) means wrong eyes. */
    private static final double MAX_SIZE_RATIO = 1.4;
    /** A crop whose centre is further than this (in sides of the detector's crop) from the detector's means wrong eyes. */
    private static final double MAX_SHIFT = 0.25;

    /** The side, in photo pixels, of the square that becomes the 48x48 face. */
    public double side(EyePair eyes) {
        return eyes.distance() / eyeDistance;
    }

    /**
     * True when the crop these eyes give is about the crop the detector's box gives ({@code region}: about as large,
     * centred nearby): eyes found at the wrong place (a nostril, an eyebrow) give a crop that is not.
     */
    public boolean agreesWith(EyePair eyes, FaceBox region) {
        double side = side(eyes);
        double ratio = side / region.width();
        // The crop's centre: from the eyes' midpoint, half a side less eyeY down the turned face.
        double theta = Math.toRadians(eyes.angleDegrees());
        double down = (0.5 - eyeY) * side;
        double cx = eyes.midX() - Math.sin(theta) * down;
        double cy = eyes.midY() + Math.cos(theta) * down;
        double shift = Math.hypot(cx - (region.x() + region.width() / 2.0), cy - (region.y() + region.height() / 2.0));
        return ratio <= MAX_SIZE_RATIO && ratio >= 1 / MAX_SIZE_RATIO && shift <= MAX_SHIFT * region.width();
    }

    /** The 48x48 crop (2304 gray levels, row-major) with the eyes level; the photo's edge is repeated if needed. */
    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    public byte[] crop(Mat gray, EyePair eyes) {
        try (PointerScope scope = new PointerScope()) {
            int side = Math.max(FaceSet.SIDE, (int) Math.round(side(eyes)));
            // Turn about the midpoint by the eyes' angle (OpenCV's positive angle turns counter-clockwise on screen,
            // which levels eyes whose right-hand one sits lower), then move the midpoint to its place in the square.
            // Positions here are continuous (pixel i spans [i, i + 1)); warpAffine puts pixel centres at integers,
            // hence the half pixel taken off both ends.
            double midX = eyes.midX() - 0.5;
            double midY = eyes.midY() - 0.5;
            Mat turn = opencv_imgproc.getRotationMatrix2D(new Point2f((float) midX, (float) midY), eyes.angleDegrees(), 1.0);
            // The matrix is 2x3 doubles, row-major: add the shift to its last column.
            DoubleBuffer m = turn.createBuffer();
            m.put(2, m.get(2) + (side * 0.5 - 0.5) - midX);
            m.put(5, m.get(5) + (side * eyeY - 0.5) - midY);
            Mat square = new Mat();
            opencv_imgproc.warpAffine(gray, square, turn, new Size(side, side), opencv_imgproc.INTER_LINEAR,
                    opencv_core.BORDER_REPLICATE, new Scalar());
            Mat face = new Mat();
            opencv_imgproc.resize(square, face, new Size(FaceSet.SIDE, FaceSet.SIDE), 0, 0, opencv_imgproc.INTER_AREA);
            byte[] out = new byte[FaceSet.PIXELS];
            face.data().get(out);
            return out;
        }
    }
}
