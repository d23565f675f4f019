package io.github.fer4j.vision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where the pieces of an annotated photo go, decided before anything is drawn: for each face a label and a
 * panel of emotion bars, placed so that no label or panel covers a face box or another label or panel, and
 * everything lies inside the output image.
 *
 * <p>A label sits on its box like a tab: above it, else below it, else beside its top or bottom corner. A panel
 * goes beside its box (right, then left) or below it, sliding along the box to get out of the way of other
 * faces, and takes the place nearest the box's corner. When the photo has no room for a face's panel (a face
 * filling a small frame, many faces in a small photo), the canvas is extended by a strip to the right of the
 * photo or below it, whichever adds fewer pixels, and the panel goes there; a label with no room at its box
 * goes to the strip too, on top of its panel, and the face keeps just its number at the box. The photo keeps its place at (0, 0) and its size, so face boxes
 * in the JSON still point at the faces in the annotated image. The drawing numbers faces when there are
 * several, in the label at the box and on the panel, so a panel in the strip says whose it is.
 *
 * @param width  the annotated image's width: the photo's, or more with a strip to the right
 * @param height the annotated image's height: the photo's, or more with a strip below
 * @param faces  one entry per face, in the order the faces were given
 */
record AnnotationLayout(int width, int height, List<FaceLayout> faces) {
    /** The size of a piece of text or of a panel, in pixels. */
    record Size(int width, int height) { }

    /**
     * One face's pieces.
     *
     * @param number the face's number, from 1, in the order the faces were given
     * @param box    the face box, clipped to the photo
     * @param label  where the dominant emotion's label goes: at the box, or in the strip on top of the panel
     * @param tag    where the face's number goes at the box when its label is in the strip; null when the label is at
     *               the box, when faces are not numbered, or when not even the number has room
     * @param panel  where the bar panel goes
     */
    record FaceLayout(int number, Region box, Region label, Region tag, Region panel) { }

    /** A panel on the right of its box is read first; on the left and below cost this many steps more. */
    private static final int LEFT_PENALTY = 1;
    private static final int BELOW_PENALTY = 2;

    /**
     * Lays out the labels and panels of faces in a photo.
     *
     * @param labels one label size per box
     * @param tags   one size per box of the face's number alone, or an empty list when faces are not numbered
     * @param panel  the size of every bar panel
     * @param gap    the space kept between pieces; a label touches its own box, as a tab
     */
    static AnnotationLayout place(int photoWidth, int photoHeight, List<FaceBox> boxes, List<Size> labels, List<Size> tags,
                                  Size panel, int gap) {
        Placer placer = new Placer(photoWidth, photoHeight, boxes, gap);
        int n = boxes.size();
        Region[] labelAt = new Region[n];
        Region[] tagAt = new Region[n];
        // Labels first: a label belongs next to its box, while a panel can move along the box or to the strip.
        for (int i = 0; i < n; i++) {
            labelAt[i] = placer.take(placer.labelPlaces(i, labels.get(i)), i, true);
        }
        // A label with no room goes to the strip; its face then keeps just its number at the box, when numbered.
        for (int i = 0; i < n; i++) {
            if (labelAt[i] == null && !tags.isEmpty()) {
                tagAt[i] = placer.take(placer.labelPlaces(i, tags.get(i)), i, true);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        List<Region> labelsOnly = List.copyOf(placer.taken);
        Region[] panelAt = placer.panels(order, panel, labelAt);
        List<Integer> homeless = homeless(panelAt);
        if (!homeless.isEmpty()) {
            // Greedy placing can block a face with one panel that had other places to go: try the blocked faces first.
            List<Integer> blockedFirst = new ArrayList<>(homeless);
            for (int i : order) {
                if (!homeless.contains(i)) {
                    blockedFirst.add(i);
                }
            }
            List<Region> firstTry = List.copyOf(placer.taken);
            placer.taken.clear();
            placer.taken.addAll(labelsOnly);
            Region[] second = placer.panels(blockedFirst, panel, labelAt);
            if (homeless(second).size() < homeless.size()) {
                panelAt = second;
                homeless = homeless(second);
            } else {
                placer.taken.clear();
                placer.taken.addAll(firstTry);
            }
        }
        int width = photoWidth;
        int height = photoHeight;
        if (!homeless.isEmpty()) {
            // A strip cell holds the panel, with the label on top of it when the label found no room at its box.
            List<Size> cells = new ArrayList<>();
            for (int i : homeless) {
                Size label = labels.get(i);
                cells.add(labelAt[i] == null
                        ? new Size(Math.max(label.width(), panel.width()), label.height() + panel.height())
                        : panel);
            }
            Strip right = Strip.flow(cells, photoWidth, photoHeight, gap, true);
            Strip below = Strip.flow(cells, photoWidth, photoHeight, gap, false);
            Strip strip = (long) right.width() * right.height() < (long) below.width() * below.height() ? right : below;
            width = strip.width();
            height = strip.height();
            for (int k = 0; k < homeless.size(); k++) {
                int i = homeless.get(k);
                Region cell = strip.cells().get(k);
                int top = cell.y();
                if (labelAt[i] == null) {
                    labelAt[i] = new Region(cell.x(), top, labels.get(i).width(), labels.get(i).height());
                    top += labels.get(i).height();
                }
                panelAt[i] = new Region(cell.x(), top, panel.width(), panel.height());
            }
        }
        List<FaceLayout> faces = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            faces.add(new FaceLayout(i + 1, placer.faces.get(i), labelAt[i], tagAt[i], panelAt[i]));
        }
        return new AnnotationLayout(width, height, List.copyOf(faces));
    }

    private static List<Integer> homeless(Region[] panels) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < panels.length; i++) {
            if (panels[i] == null) {
                out.add(i);
            }
        }
        return out;
    }

    /** Every rectangle of the layout: face boxes, labels and panels. */
    List<Region> regions() {
        List<Region> all = new ArrayList<>();
        for (FaceLayout face : faces) {
            all.add(face.box());
            all.add(face.label());
            all.add(face.panel());
            if (face.tag() != null) {
                all.add(face.tag());
            }
        }
        return all;
    }

    /** A candidate place for a piece and how far it is from where it reads best. */
    private record Candidate(Region region, int cost) { }

    /** Places pieces one at a time inside the photo, remembering what is taken. */
    private static final class Placer {
        final int width;
        final int height;
        final List<Region> faces;
        final List<Region> taken = new ArrayList<>();
        final int gap;
        final int step;

        Placer(int width, int height, List<FaceBox> boxes, int gap) {
            this.width = width;
            this.height = height;
            this.faces = boxes.stream().map(b -> Region.of(b).clip(width, height)).toList();
            this.gap = gap;
            this.step = Math.max(1, gap);
        }

        /** The cheapest candidate that is free, now taken; null when none is. */
        Region take(List<Candidate> candidates, int owner, boolean touchesOwnBox) {
            List<Candidate> sorted = new ArrayList<>(candidates);
            sorted.sort(Comparator.comparingInt(Candidate::cost)); // stable: equal costs keep their order of preference
            for (Candidate c : sorted) {
                if (free(c.region(), owner, touchesOwnBox)) {
                    taken.add(c.region());
                    return c.region();
                }
            }
            return null;
        }

        private boolean free(Region r, int owner, boolean touchesOwnBox) {
            if (!r.within(width, height)) {
                return false;
            }
            Region spaced = r.grow(gap);
            for (int j = 0; j < faces.size(); j++) {
                Region keepOut = j == owner && touchesOwnBox ? r : spaced;
                if (keepOut.intersects(faces.get(j))) {
                    return false;
                }
            }
            for (Region t : taken) {
                if (spaced.intersects(t)) {
                    return false;
                }
            }
            return true;
        }

        /** The panels of faces whose label is at the box, placed in this order; null where a panel found no room. */
        Region[] panels(List<Integer> order, Size panel, Region[] labels) {
            Region[] out = new Region[labels.length];
            for (int i : order) {
                if (labels[i] != null) {
                    out[i] = take(panelPlaces(i, panel, labels[i]), i, false);
                }
            }
            return out;
        }

        /** Above the box (left-aligned, right-aligned, pushed inside the photo), then below it, then beside it. */
        List<Candidate> labelPlaces(int owner, Size label) {
            Region b = faces.get(owner);
            int w = label.width();
            int h = label.height();
            int inside = Math.max(0, Math.min(b.x(), width - w));
            List<Candidate> out = new ArrayList<>();
            for (int y : new int[] {b.y() - h, b.bottom()}) {
                for (int x : new int[] {b.x(), b.right() - w, inside}) {
                    out.add(new Candidate(new Region(x, y, w, h), out.size()));
                }
            }
            for (int y : new int[] {b.y(), b.bottom() - h}) {
                out.add(new Candidate(new Region(b.right(), y, w, h), out.size()));
                out.add(new Candidate(new Region(b.x() - w, y, w, h), out.size()));
            }
            return out;
        }

        /**
         * Beside the box (any height at which the panel still faces the box) or below it (or below the label when
         * the label is under the box); the cost is the distance from the box's top left or top right corner.
         */
        List<Candidate> panelPlaces(int owner, Size panel, Region label) {
            Region b = faces.get(owner);
            int w = panel.width();
            int h = panel.height();
            List<Candidate> out = new ArrayList<>();
            for (int y = Math.max(0, b.y() - h + step); y <= Math.min(height - h, b.bottom() - step); y += step) {
                int cost = Math.abs(y - b.y());
                out.add(new Candidate(new Region(b.right() + gap, y, w, h), cost));
                out.add(new Candidate(new Region(b.x() - gap - w, y, w, h), cost + LEFT_PENALTY * step));
            }
            int underLabel = label.y() >= b.bottom() ? label.bottom() + gap : b.bottom() + gap;
            for (int x = Math.max(0, b.x() - w + step); x <= Math.min(width - w, b.right() - step); x += step) {
                out.add(new Candidate(new Region(x, underLabel, w, h), Math.abs(x - b.x()) + BELOW_PENALTY * step));
            }
            return out;
        }
    }

    /** Cells flowed into a strip to the right of the photo (in columns) or below it (in rows). */
    private record Strip(int width, int height, List<Region> cells) {
        static Strip flow(List<Size> sizes, int photoWidth, int photoHeight, int gap, boolean toTheRight) {
            // Written for the strip on the right: "along" runs down a column, "across" from column to column.
            int alongLimit = toTheRight ? photoHeight : photoWidth;
            int acrossStart = (toTheRight ? photoWidth : photoHeight) + gap;
            int along = gap;
            int across = acrossStart;
            int lineThickness = 0;
            int longest = 0;
            List<Region> cells = new ArrayList<>();
            for (Size s : sizes) {
                int length = toTheRight ? s.height() : s.width();
                int thickness = toTheRight ? s.width() : s.height();
                if (along > gap && along + length + gap > alongLimit) {
                    across += lineThickness + gap;
                    along = gap;
                    lineThickness = 0;
                }
                cells.add(toTheRight ? new Region(across, along, s.width(), s.height())
                        : new Region(along, across, s.width(), s.height()));
                along += length + gap;
                longest = Math.max(longest, along);
                lineThickness = Math.max(lineThickness, thickness);
            }
            int acrossEnd = across + lineThickness + gap;
            return toTheRight ? new Strip(acrossEnd, Math.max(photoHeight, longest), cells)
                    : new Strip(Math.max(photoWidth, longest), acrossEnd, cells);
        }
    }
}
