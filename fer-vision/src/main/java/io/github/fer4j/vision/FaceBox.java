package io.github.fer4j.vision;

/** Where a face is in a photo, in pixels of the photo as decoded (after EXIF orientation). */
public record FaceBox(int x, int y, int width, int height) {
    /**
     * Largest first; boxes of one size top to bottom, then left to right. OpenCV's cascade search runs on several threads
     * and lists what it found in the order they finished, so faces of equal size need this tie-break to come out in the
     * same order every time.
     */
    public static final java.util.Comparator<FaceBox> LARGEST_FIRST = java.util.Comparator.comparingInt(FaceBox::area)
            .reversed().thenComparingInt(FaceBox::y).thenComparingInt(FaceBox::x).thenComparingInt(FaceBox::width);

    public int area() {
        return width * height;
    }

    /** Intersection over union with another box. */
    public double iou(FaceBox o) {
        int ix = Math.max(0, Math.min(x + width, o.x + o.width) - Math.max(x, o.x));
        int iy = Math.max(0, Math.min(y + height, o.y + o.height) - Math.max(y, o.y));
        double inter = (double) ix * iy;
        return inter / (area() + o.area() - inter);
    }
}
