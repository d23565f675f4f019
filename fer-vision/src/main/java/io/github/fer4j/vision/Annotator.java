package io.github.fer4j.vision;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Draws each face's box, its dominant emotion and a small bar per emotion onto a copy of the photo. */
public final class Annotator {
    /** One colour per emotion (Okabe-Ito), so the bars read the same in every photo. */
    private static final Map<String, Color> COLORS = Map.of(
            "Angry", new Color(0xD55E00), "Disgust", new Color(0x009E73), "Fear", new Color(0xCC79A7),
            "Happy", new Color(0xE69F00), "Sad", new Color(0x0072B2), "Surprise", new Color(0x56B4E9),
            "Neutral", new Color(0x999999));

    private Annotator() {
    }

    static Color color(String emotion) {
        return COLORS.getOrDefault(emotion, Color.WHITE);
    }

    public static BufferedImage annotate(BufferedImage photo, List<RecognizedFace> faces) {
        BufferedImage out = ImageDecoder.toBgr(photo);
        out = out == photo ? copy(photo) : out;
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int unit = Math.max(10, Math.min(out.getWidth(), out.getHeight()) / 50);
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, unit + 2);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, unit - 1));
        for (RecognizedFace face : faces) {
            FaceBox b = face.box();
            Color c = color(face.dominant());
            g.setStroke(new BasicStroke(Math.max(2, unit / 4f)));
            g.setColor(c);
            g.drawRect(b.x(), b.y(), b.width(), b.height());
            String label = String.format(Locale.ROOT, "%s %.0f%%", face.dominant(), 100 * face.probability(face.dominant()));
            g.setFont(font);
            FontMetrics m = g.getFontMetrics();
            int ly = Math.max(m.getHeight(), b.y());
            g.fillRect(b.x(), ly - m.getHeight(), m.stringWidth(label) + 8, m.getHeight());
            g.setColor(Color.BLACK);
            g.drawString(label, b.x() + 4, ly - m.getDescent());
            // Bars: one row per emotion under the box (or above it when there is no room).
            g.setFont(small);
            FontMetrics sm = g.getFontMetrics();
            int rowH = sm.getHeight();
            int rows = face.probabilities().size();
            int barMax = Math.max(40, b.width() / 2);
            int labelW = sm.stringWidth("Surprise ");
            int top = b.y() + b.height() + 4;
            if (top + rows * rowH > out.getHeight()) {
                top = Math.max(0, b.y() - 4 - rows * rowH - m.getHeight());
            }
            g.setColor(new Color(0, 0, 0, 150));
            g.fillRect(b.x(), top, labelW + barMax + 6, rows * rowH + 2);
            int r = 0;
            for (Map.Entry<String, Double> e : face.probabilities().entrySet()) {
                int y = top + r * rowH;
                g.setColor(Color.WHITE);
                g.drawString(e.getKey(), b.x() + 2, y + rowH - sm.getDescent());
                g.setColor(color(e.getKey()));
                g.fillRect(b.x() + labelW, y + 3, (int) Math.round(barMax * e.getValue()), rowH - 5);
                r++;
            }
        }
        g.dispose();
        return out;
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }
}
