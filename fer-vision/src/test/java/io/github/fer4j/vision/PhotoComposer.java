package io.github.fer4j.vision;

import io.github.fer4j.data.FaceSet;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Composes test photos from 48x48 faces (no face photo is ever committed); fer-video's tests compose their videos' frames with it: faces upscaled and pasted at known
 * places onto a canvas with a gradient and noise, in colour or gray.
 */
public final class PhotoComposer {
    /** A face pasted as a {@code side} x {@code side} square at (x, y). */
    public record Placement(byte[] face, int x, int y, int side) {
        public FaceBox box() {
            return new FaceBox(x, y, side, side);
        }
    }

    private PhotoComposer() {
    }

    public static BufferedImage compose(int width, int height, List<Placement> faces, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        double base = 60 + r.nextInt(120);
        double gx = (r.nextDouble() - 0.5) * 100 / width;
        double gy = (r.nextDouble() - 0.5) * 100 / height;
        double tintR = 0.9 + r.nextDouble() * 0.2;
        double tintB = 0.9 + r.nextDouble() * 0.2;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = base + gx * x + gy * y + r.nextGaussian() * 6;
                int g = clamp(v);
                canvas.setRGB(x, y, (clamp(v * tintR) << 16) | (g << 8) | clamp(v * tintB));
            }
        }
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        for (Placement p : faces) {
            g.drawImage(face(p.face()), p.x(), p.y(), p.side(), p.side(), null);
        }
        g.dispose();
        return canvas;
    }

    public static BufferedImage face(byte[] pixels) {
        BufferedImage image = new BufferedImage(FaceSet.SIDE, FaceSet.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, FaceSet.SIDE, FaceSet.SIDE, pixels);
        return image;
    }

    /** Faces of a split that are not blank, in file order. */
    public static List<Integer> usable(FaceSet faces, int[] indices, int count) {
        List<Integer> out = new ArrayList<>();
        for (int i : indices) {
            int min = 255;
            int max = 0;
            for (int p = 0; p < FaceSet.PIXELS; p += 7) {
                min = Math.min(min, faces.pixel(i, p));
                max = Math.max(max, faces.pixel(i, p));
            }
            if (max - min > 40) {
                out.add(i);
            }
            if (out.size() == count) {
                break;
            }
        }
        return out;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
