package io.github.fer4j.vision;

/** A rectangle of an annotated image in pixels, {@code [x, x + width) x [y, y + height)}: a face box, a label or a bar panel. */
record Region(int x, int y, int width, int height) {
    static Region of(FaceBox box) {
        return new Region(box.x(), box.y(), box.width(), box.height());
    }

    int right() {
        return x + width;
    }

    int bottom() {
        return y + height;
    }

    /** True when the two share at least one pixel; rectangles that only touch along an edge do not. */
    boolean intersects(Region o) {
        return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
    }

    /** True when every pixel lies inside a {@code width x height} image. */
    boolean within(int imageWidth, int imageHeight) {
        return x >= 0 && y >= 0 && right() <= imageWidth && bottom() <= imageHeight;
    }

    /** This rectangle grown by {@code margin} pixels on every side. */
    Region grow(int margin) {
        return new Region(x - margin, y - margin, width + 2 * margin, height + 2 * margin);
    }

    /** The part that lies inside a {@code width x height} image (a face box can reach past the photo's edge). */
    Region clip(int imageWidth, int imageHeight) {
        int left = Math.max(0, x);
        int top = Math.max(0, y);
        return new Region(left, top, Math.max(0, Math.min(imageWidth, right()) - left),
                Math.max(0, Math.min(imageHeight, bottom()) - top));
    }
}
