package io.github.fer4j.vision;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws each face's box, its dominant emotion and a panel with a bar per emotion onto a copy of the photo, with
 * text that grows with the photo and nothing drawn over a face; where the photo has no room for a panel, the
 * copy gets a strip on the right or at the bottom for it (see {@link AnnotationLayout}).
 */
public final class Annotator {
    /** One colour per emotion (Okabe-Ito), so the bars read the same in every photo. */
    private static final Map<String, Color> COLORS = Map.of(
            "Angry", new Color(0xD55E00), "Disgust", new Color(0x009E73), "Fear", new Color(0xCC79A7),
            "Happy", new Color(0xE69F00), "Sad", new Color(0x0072B2), "Surprise", new Color(0x56B4E9),
            "Neutral", new Color(0x999999));
    private static final Color PANEL = new Color(0, 0, 0, 175);
    private static final Color TRACK = new Color(255, 255, 255, 50);
    private static final Color STRIP = new Color(0x2B2B2B);

    private Annotator() {
    }

    static Color color(String emotion) {
        return COLORS.getOrDefault(emotion, Color.WHITE);
    }

    /**
     * The annotated photo: the photo at (0, 0), as large as the photo, or larger when a strip holds the panels of
     * faces that left no room for them.
     */
    public static BufferedImage annotate(BufferedImage photo, List<RecognizedFace> faces) {
        return annotate(photo, faces, Style.forPhoto(photo.getWidth(), photo.getHeight(), faces, null));
    }

    /**
     * As {@link #annotate(BufferedImage, List)}, but every face is numbered with its id ({@code ids.get(i)} for
     * {@code faces.get(i)}), even when it is alone: a video's faces keep their number from frame to frame.
     */
    public static BufferedImage annotate(BufferedImage photo, List<RecognizedFace> faces, List<Integer> ids) {
        if (ids.size() != faces.size()) {
            throw new IllegalArgumentException(faces.size() + " faces but " + ids.size() + " ids");
        }
        return annotate(photo, faces, Style.forPhoto(photo.getWidth(), photo.getHeight(), faces,
                ids.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static BufferedImage annotate(BufferedImage photo, List<RecognizedFace> faces, Style style) {
        AnnotationLayout layout = layout(style, photo.getWidth(), photo.getHeight(), faces);
        BufferedImage out = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        Style.hints(g);
        g.setColor(STRIP);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(photo, 0, 0, null);
        for (int i = 0; i < faces.size(); i++) {
            drawFace(g, style, faces.get(i), layout.faces().get(i));
        }
        g.dispose();
        return out;
    }

    /** Where {@link #annotate} puts each face's label and panel on a photo of this size. */
    static AnnotationLayout layout(int photoWidth, int photoHeight, List<RecognizedFace> faces) {
        return layout(Style.forPhoto(photoWidth, photoHeight, faces, null), photoWidth, photoHeight, faces);
    }

    private static AnnotationLayout layout(Style style, int photoWidth, int photoHeight, List<RecognizedFace> faces) {
        List<FaceBox> boxes = new ArrayList<>();
        List<AnnotationLayout.Size> labels = new ArrayList<>();
        List<AnnotationLayout.Size> tags = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            boxes.add(faces.get(i).box());
            labels.add(style.labelSize(style.label(faces.get(i), i + 1)));
            if (style.numbered()) {
                tags.add(style.labelSize(style.number(i + 1)));
            }
        }
        return AnnotationLayout.place(photoWidth, photoHeight, boxes, labels, tags, style.panelSize(), style.gap());
    }

    private static void drawFace(Graphics2D g, Style style, RecognizedFace face, AnnotationLayout.FaceLayout at) {
        Color c = color(face.dominant());
        // The outline lies inside the box, so a label can touch the box without covering the outline.
        Region b = at.box();
        int s = style.stroke();
        g.setColor(c);
        g.setStroke(new BasicStroke(s));
        g.drawRect(b.x() + s / 2, b.y() + s / 2, Math.max(0, b.width() - s), Math.max(0, b.height() - s));

        drawLabel(g, style, at.label(), style.label(face, at.number()), c);
        if (at.tag() != null) {
            drawLabel(g, style, at.tag(), style.number(at.number()), c);
        }

        Region panel = at.panel();
        g.setColor(PANEL);
        g.fillRect(panel.x(), panel.y(), panel.width(), panel.height());
        g.setColor(c);
        g.fillRect(panel.x(), panel.y(), style.stroke(), panel.height());
        FontMetrics pm = style.panelMetrics();
        int row = pm.getHeight();
        int left = panel.x() + style.pad() + style.stroke();
        int top = panel.y() + style.pad();
        if (style.numbered()) {
            g.setFont(style.labelFont().deriveFont((float) style.panelFont().getSize()));
            g.setColor(Color.WHITE);
            g.drawString(style.number(at.number()), left, top + pm.getAscent());
            top += row;
        }
        g.setFont(style.panelFont());
        int barLeft = left + style.nameWidth();
        int barHeight = Math.max(3, pm.getAscent() * 2 / 3);
        for (Map.Entry<String, Double> e : face.probabilities().entrySet()) {
            int baseline = top + pm.getAscent();
            int barTop = top + (row - barHeight) / 2;
            g.setColor(Color.WHITE);
            g.drawString(e.getKey(), left, baseline);
            g.setColor(TRACK);
            g.fillRect(barLeft, barTop, style.barWidth(), barHeight);
            g.setColor(color(e.getKey()));
            g.fillRect(barLeft, barTop, (int) Math.round(style.barWidth() * e.getValue()), barHeight);
            String percent = percent(e.getValue());
            g.setColor(Color.WHITE);
            g.drawString(percent, panel.right() - style.pad() - pm.stringWidth(percent), baseline);
            top += row;
        }
    }

    private static void drawLabel(Graphics2D g, Style style, Region at, String text, Color fill) {
        g.setColor(fill);
        g.fillRect(at.x(), at.y(), at.width(), at.height());
        g.setColor(textOn(fill));
        g.setFont(style.labelFont());
        FontMetrics m = style.labelMetrics();
        g.drawString(text, at.x() + style.pad(), at.y() + (at.height() - m.getHeight()) / 2 + m.getAscent());
    }

    /** Black text on the light Okabe-Ito colours, white on the dark blue (Sad), whichever contrasts more. */
    private static Color textOn(Color c) {
        double luminance = 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
        return luminance < 110 ? Color.WHITE : Color.BLACK;
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * p);
    }

    /**
     * Fonts and spacing for one photo. Text is a fixed share of the photo's shorter side, never under 12 px
     * (label) and 11 px (panel), so it reads at 256x256 and does not shrink to nothing at 1920x1080.
     */
    private record Style(Font labelFont, Font panelFont, FontMetrics labelMetrics, FontMetrics panelMetrics,
                         int stroke, int gap, int pad, int nameWidth, int barWidth, boolean numbered, int rows,
                         int[] ids) {
        /** @param ids the number shown for each face, or null to number faces 1, 2, ... when there are several */
        static Style forPhoto(int width, int height, List<RecognizedFace> faces, int[] ids) {
            int unit = Math.max(12, Math.round(Math.min(width, height) / 45f));
            Font label = new Font(Font.SANS_SERIF, Font.BOLD, unit);
            Font panel = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(11, Math.round(unit * 0.8f)));
            // Metrics come from a scratch image with the same hints as the drawing, so measured text fits drawn text.
            Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            hints(scratch);
            FontMetrics lm = scratch.getFontMetrics(label);
            FontMetrics pm = scratch.getFontMetrics(panel);
            scratch.dispose();
            int gap = Math.max(3, unit / 4);
            int names = 0;
            int rows = 0;
            for (RecognizedFace face : faces) {
                for (String emotion : face.probabilities().keySet()) {
                    names = Math.max(names, pm.stringWidth(emotion));
                }
                rows = Math.max(rows, face.probabilities().size());
            }
            return new Style(label, panel, lm, pm, Math.max(2, Math.round(unit / 6f)), gap, Math.max(2, unit / 5),
                    names + gap, Math.max(40, unit * 4), ids != null || faces.size() > 1, rows, ids);
        }

        static void hints(Graphics2D g) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
        }

        /** "Neutral 43%", or "#2 Neutral 43%" when there are several faces to tell apart. */
        String label(RecognizedFace face, int number) {
            String text = face.dominant() + " " + percent(face.probability(face.dominant()));
            return numbered ? number(number) + " " + text : text;
        }

        /** @param number the face's place in the list, from 1 */
        String number(int number) {
            return "#" + (ids != null ? ids[number - 1] : number);
        }

        AnnotationLayout.Size labelSize(String text) {
            return new AnnotationLayout.Size(labelMetrics.stringWidth(text) + 2 * pad, labelMetrics.getHeight() + pad);
        }

        /** A title row with the face's number when numbered, then a row per emotion: name, bar, percent. */
        AnnotationLayout.Size panelSize() {
            int width = stroke + pad + nameWidth + barWidth + gap + panelMetrics.stringWidth("100%") + pad;
            int height = 2 * pad + (rows + (numbered ? 1 : 0)) * panelMetrics.getHeight();
            return new AnnotationLayout.Size(width, height);
        }
    }
}
