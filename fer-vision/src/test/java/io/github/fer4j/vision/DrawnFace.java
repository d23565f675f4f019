package io.github.fer4j.vision;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;

/**
 * A cartoon face drawn with Java2D (hair, brows, eyes with iris and pupil, nose, mouth) and turned by a known angle:
 * OpenCV's face and eye cascades find it, so alignment can be tested without any face photo. The face is drawn in a
 * 200-unit frame scaled to {@code side} pixels, centred at the centre of the canvas; its eyes are 70 units apart,
 * 20 units above the centre. fer-cli's tests draw it too.
 */
public final class DrawnFace {
    public static final double EYE_SPACING = 70;
    public static final double EYES_ABOVE_CENTRE = 20;

    private DrawnFace() {
    }

    /** @param degrees how far the face is turned, clockwise as one looks at the picture (positive: right-hand eye lower) */
    public static BufferedImage draw(int canvas, int side, double degrees) {
        BufferedImage image = new BufferedImage(canvas, canvas, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(90, 100, 110));
        g.fillRect(0, 0, canvas, canvas);
        // Java2D's positive angle turns clockwise on screen (y points down).
        g.rotate(Math.toRadians(degrees), canvas / 2.0, canvas / 2.0);
        g.translate(canvas / 2.0, canvas / 2.0);
        g.scale(side / 200.0, side / 200.0);
        g.setColor(new Color(60, 45, 35));
        g.fill(new Ellipse2D.Double(-85, -125, 170, 120));
        g.setColor(new Color(215, 175, 150));
        g.fill(new Ellipse2D.Double(-75, -105, 150, 200));
        for (int sign : new int[] {-1, 1}) {
            double ex = sign * EYE_SPACING / 2;
            double ey = -EYES_ABOVE_CENTRE;
            g.setColor(new Color(70, 50, 40));
            g.setStroke(new BasicStroke(6));
            g.draw(new Line2D.Double(ex - 20, ey - 20, ex + 20, ey - 22));
            g.setColor(Color.WHITE);
            g.fill(new Ellipse2D.Double(ex - 17, ey - 8, 34, 16));
            g.setColor(new Color(80, 60, 40));
            g.fill(new Ellipse2D.Double(ex - 8, ey - 8, 16, 16));
            g.setColor(Color.BLACK);
            g.fill(new Ellipse2D.Double(ex - 4, ey - 4, 8, 8));
            g.setStroke(new BasicStroke(2.5f));
            g.setColor(new Color(50, 35, 30));
            g.draw(new Arc2D.Double(ex - 17, ey - 9, 34, 18, 0, 180, Arc2D.OPEN));
        }
        g.setColor(new Color(180, 140, 120));
        g.setStroke(new BasicStroke(4));
        g.draw(new Line2D.Double(0, -10, -6, 25));
        g.draw(new Line2D.Double(-8, 27, 8, 27));
        g.setColor(new Color(150, 60, 60));
        g.fill(new Ellipse2D.Double(-28, 45, 56, 14));
        g.dispose();
        return image;
    }
}
