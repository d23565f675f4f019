package io.github.fer4j.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.QuadCurve2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Drawn 48x48 faces whose mouth, brows and eyes depend on the emotion, with pose jitter, lighting, contrast
 * and pixel noise. The per-emotion shapes overlap on purpose (a wide neutral mouth looks like a faint smile,
 * fear and surprise share raised brows), so no model is perfect on them. The embedded default when no
 * FER2013 file is given: demos, unit tests and {@code fer reproduce} without data.
 */
public final class SyntheticFaces {
    /** FER2013's Training class frequencies, so the synthetic set is imbalanced like the real one. */
    private static final double[] FREQUENCIES = {0.139, 0.015, 0.143, 0.251, 0.168, 0.110, 0.174};

    private SyntheticFaces() {
    }

    /** {@code count} faces, about 80% Training, 10% PublicTest, 10% PrivateTest; same seed, same faces. */
    public static FaceSet generate(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[count * FaceSet.PIXELS];
        byte[] emotions = new byte[count];
        byte[] splits = new byte[count];
        for (int i = 0; i < count; i++) {
            Emotion emotion = sampleEmotion(random);
            double u = random.nextDouble();
            Split split = u < 0.8 ? Split.TRAINING : u < 0.9 ? Split.PUBLIC_TEST : Split.PRIVATE_TEST;
            System.arraycopy(draw(emotion, random), 0, pixels, i * FaceSet.PIXELS, FaceSet.PIXELS);
            emotions[i] = (byte) emotion.id();
            splits[i] = (byte) split.ordinal();
        }
        return new FaceSet(pixels, emotions, splits, "synthetic(count=" + count + ", seed=" + seed + ")", "");
    }

    private static Emotion sampleEmotion(SplittableRandom random) {
        double u = random.nextDouble();
        double c = 0;
        for (int e = 0; e < FREQUENCIES.length; e++) {
            c += FREQUENCIES[e];
            if (u < c) {
                return Emotion.ofId(e);
            }
        }
        return Emotion.NEUTRAL;
    }

    /** The shape parameters of one emotion: means, drawn with noise for each face. */
    private record Shape(double mouthCurve, double mouthOpen, double mouthWidth, double browRaise,
                         double browSlant, double eyeOpen) { }

    private static Shape shape(Emotion e) {
        // mouthCurve > 0 smiles; browSlant > 0 lifts the inner ends of the brows.
        return switch (e) {
            case ANGRY -> new Shape(-1.0, 0.3, 9, -2.0, -2.5, 1.8);
            case DISGUST -> new Shape(-1.5, 0.8, 8, -1.5, -1.0, 1.5);
            case FEAR -> new Shape(-0.5, 2.5, 11, 2.0, 2.0, 3.3);
            case HAPPY -> new Shape(3.0, 1.2, 12, 0.0, 0.0, 1.8);
            case SAD -> new Shape(-2.5, 0.2, 9, 0.5, 2.5, 2.0);
            case SURPRISE -> new Shape(0.0, 4.5, 8, 3.0, 0.5, 3.5);
            case NEUTRAL -> new Shape(0.0, 0.2, 10, 0.0, 0.0, 2.3);
        };
    }

    /** Draws one face for an emotion. */
    public static byte[] draw(Emotion emotion, SplittableRandom r) {
        Shape s = shape(emotion);
        BufferedImage image = new BufferedImage(FaceSet.SIDE, FaceSet.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int background = 40 + r.nextInt(150);
        g.setColor(gray(background));
        g.fillRect(0, 0, FaceSet.SIDE, FaceSet.SIDE);

        // Pose: shift, scale and a small rotation around the face centre.
        double cx = 24 + r.nextGaussian() * 1.8;
        double cy = 25 + r.nextGaussian() * 1.8;
        double scale = 1 + r.nextGaussian() * 0.06;
        g.rotate(Math.toRadians(r.nextGaussian() * 6), cx, cy);
        g.translate(cx, cy);
        g.scale(scale, scale);

        int skin = 110 + r.nextInt(110);
        g.setColor(gray(skin));
        g.fill(new Ellipse2D.Double(-17, -21, 34, 44));
        int ink = Math.max(0, skin - 90 - r.nextInt(50));
        g.setColor(gray(ink));

        double eyeOpen = Math.max(0.6, s.eyeOpen() + r.nextGaussian() * 0.6);
        double browRaise = s.browRaise() + r.nextGaussian() * 1.0;
        double browSlant = s.browSlant() + r.nextGaussian() * 1.0;
        for (int side = -1; side <= 1; side += 2) {
            g.fill(new Ellipse2D.Double(side * 7 - 3, -5 - eyeOpen / 2, 6, eyeOpen));
            double browY = -10 - browRaise;
            g.setStroke(new BasicStroke((float) (1.3 + r.nextDouble() * 0.8)));
            // Inner end (near the nose) moves by browSlant: up for sad and fear, down for anger.
            g.draw(new Line2D.Double(side * 3, browY - browSlant / 2, side * 11, browY + browSlant / 2));
        }
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Line2D.Double(0, -3, 0, 4 + r.nextDouble()));
        if (emotion == Emotion.DISGUST && r.nextDouble() < 0.7) {
            g.draw(new Line2D.Double(-3, -1, -1, 0));
            g.draw(new Line2D.Double(3, -1, 1, 0));
        }

        double width = Math.max(4, s.mouthWidth() + r.nextGaussian() * 1.5);
        double curve = s.mouthCurve() + r.nextGaussian() * 1.3;
        double open = Math.max(0, s.mouthOpen() + r.nextGaussian() * 0.9);
        double skew = emotion == Emotion.DISGUST ? 1.5 + r.nextGaussian() : r.nextGaussian() * 0.4;
        double my = 11 + r.nextGaussian() * 0.8;
        g.setStroke(new BasicStroke((float) (1.4 + r.nextDouble() * 0.8)));
        if (open > 1.5) {
            // An open mouth: a dark ellipse bent by the curve.
            g.fill(new Ellipse2D.Double(-width / 2, my - open / 2 - curve / 3, width, open));
        } else {
            g.draw(new QuadCurve2D.Double(-width / 2, my - curve / 2 - skew, 0, my + curve, width / 2, my - curve / 2 + skew));
        }
        if (r.nextDouble() < 0.15) {
            // Occasional occluder (a hand, hair or glasses frame) across the face.
            g.setColor(gray(r.nextInt(256)));
            g.fill(new Arc2D.Double(-20 + r.nextInt(30), -20 + r.nextInt(30), 14, 10, 0, 360, Arc2D.OPEN));
        }
        g.dispose();

        byte[] face = new byte[FaceSet.PIXELS];
        image.getRaster().getDataElements(0, 0, FaceSet.SIDE, FaceSet.SIDE, face);
        // Lighting: a linear gradient, a contrast change around mid-gray, and pixel noise.
        double contrast = 0.6 + r.nextDouble() * 0.8;
        double gx = r.nextGaussian() * 1.2;
        double gy = r.nextGaussian() * 1.2;
        double noise = 4 + r.nextDouble() * 14;
        for (int y = 0; y < FaceSet.SIDE; y++) {
            for (int x = 0; x < FaceSet.SIDE; x++) {
                int p = y * FaceSet.SIDE + x;
                double v = 128 + ((face[p] & 0xFF) - 128) * contrast + gx * (x - 24) + gy * (y - 24)
                        + r.nextGaussian() * noise;
                face[p] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return face;
    }

    private static Color gray(int level) {
        int v = Math.max(0, Math.min(255, level));
        return new Color(v, v, v);
    }
}
