package io.github.fer4j.report;

import io.github.fer4j.data.FaceSet;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A titled grid of 48x48 faces shown at twice their size, rows labelled on the left, each face with up to two
 * caption lines. The same layout renders to PNG and to SVG (faces embedded as PNG, text as SVG text).
 */
public final class FaceGrid {
    /** One face and the lines under it; {@code accent} colours the caption (e.g. green correct, red mistake). */
    public record Cell(byte[] face, List<String> caption, Color accent) { }

    /** One row of the grid with its label. */
    public record Row(String label, List<Cell> cells) { }

    private static final int SCALE = 2;
    private static final int FACE = FaceSet.SIDE * SCALE;
    private static final int GAP = 8;
    private static final int LABEL_WIDTH = 110;
    private static final int TITLE_HEIGHT = 40;
    private static final int LINE = 15;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font CAPTION = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private final String title;
    private final List<Row> rows;
    private final int columns;
    private final int captionLines;

    public FaceGrid(String title, List<Row> rows) {
        this.title = title;
        this.rows = List.copyOf(rows);
        this.columns = rows.stream().mapToInt(r -> r.cells().size()).max().orElse(0);
        this.captionLines = rows.stream().flatMap(r -> r.cells().stream()).mapToInt(c -> c.caption().size()).max().orElse(0);
    }

    private int cellHeight() {
        return FACE + captionLines * LINE + GAP;
    }

    public int width() {
        return LABEL_WIDTH + columns * (FACE + GAP) + GAP;
    }

    public int height() {
        return TITLE_HEIGHT + rows.size() * cellHeight() + GAP;
    }

    private int x(int column) {
        return LABEL_WIDTH + column * (FACE + GAP);
    }

    private int y(int row) {
        return TITLE_HEIGHT + row * cellHeight();
    }

    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString(title, GAP, 26);
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            g.setFont(LABEL);
            g.setColor(Color.BLACK);
            drawFitted(g, row.label(), GAP, y(r) + FACE / 2 + 5, LABEL_WIDTH - 2 * GAP);
            for (int c = 0; c < row.cells().size(); c++) {
                Cell cell = row.cells().get(c);
                g.drawImage(face(cell.face()), x(c), y(r), FACE, FACE, null);
                g.setFont(CAPTION);
                g.setColor(cell.accent());
                for (int l = 0; l < cell.caption().size(); l++) {
                    drawFitted(g, cell.caption().get(l), x(c), y(r) + FACE + LINE * (l + 1) - 3, FACE);
                }
            }
        }
        g.dispose();
        return image;
    }

    private static void drawFitted(Graphics2D g, String text, int x, int y, int width) {
        FontMetrics m = g.getFontMetrics();
        String shown = text;
        while (m.stringWidth(shown) > width && shown.length() > 2) {
            shown = shown.substring(0, shown.length() - 2) + "…";
        }
        g.drawString(shown, x, y);
    }

    public String toSvg() {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(java.util.Locale.ROOT,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                width(), height(), width(), height()));
        svg.append(text(GAP, 26, 16, "bold", Color.BLACK, title));
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            svg.append(text(GAP, y(r) + FACE / 2 + 5, 13, "bold", Color.BLACK, row.label()));
            for (int c = 0; c < row.cells().size(); c++) {
                Cell cell = row.cells().get(c);
                svg.append(String.format(java.util.Locale.ROOT,
                        "<image x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,%s\"/>%n",
                        x(c), y(r), FACE, FACE, Base64.getEncoder().encodeToString(png(face(cell.face())))));
                for (int l = 0; l < cell.caption().size(); l++) {
                    svg.append(text(x(c), y(r) + FACE + LINE * (l + 1) - 3, 11, "normal", cell.accent(), cell.caption().get(l)));
                }
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static String text(int x, int y, int size, String weight, Color color, String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return String.format(java.util.Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\" fill=\"#%06x\">%s</text>%n",
                x, y, size, weight, color.getRGB() & 0xFFFFFF, escaped);
    }

    private static BufferedImage face(byte[] pixels) {
        BufferedImage image = new BufferedImage(FaceSet.SIDE, FaceSet.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, FaceSet.SIDE, FaceSet.SIDE, pixels);
        return image;
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
