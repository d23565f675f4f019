package io.github.fer4j.bench;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.FaceDetector;
import io.github.fer4j.vision.ImageDecoder;
import io.github.fer4j.vision.RecognizedFace;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Prints milliseconds per 640x480 JPEG photo with one face (decode + detect + crop + classify) for the Haar and LBP
 * detectors, each without and with eye alignment (the eye search is part of the crop), where the time goes, and faces
 * per second for classification alone. Photos are composed from FER2013
 * PublicTest faces (or synthetic faces without the data). Usage: {@code VisionBenchmark [fer2013.csv.gz]}.
 */
public final class VisionBenchmark {
    private static final int PHOTOS = 60;
    private static final int ROUNDS = 5;

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/fer2013.csv.gz");
        FaceSet faces = Files.isRegularFile(data) ? Fer2013Reader.read(data) : SyntheticFaces.generate(2000, 1);
        int[] idx = faces.indices(Split.PUBLIC_TEST);
        List<byte[]> jpegs = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int k = 0; k < PHOTOS; k++) {
            jpegs.add(jpeg(compose(faces.face(idx[k]), r)));
        }
        System.out.printf(Locale.ROOT, "fer4j vision benchmark: %d photos of 640x480 (JPEG, one %s face each), %d rounds, Java %s, %d cores%n%n",
                PHOTOS, Files.isRegularFile(data) ? "FER2013" : "synthetic", ROUNDS, Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-11s %10s %10s %10s %10s %10s %12s%n", "detector", "decode", "detect", "crop+class", "total ms",
                "faces/photo", "target");
        Classifier model = EmotionRecognizer.defaultModel();
        List<EmotionRecognizer.Options> settings = new ArrayList<>();
        for (FaceDetector.Kind kind : FaceDetector.Kind.values()) {
            for (boolean align : new boolean[] {false, true}) {
                settings.add(new EmotionRecognizer.Options(kind, 48, ImageDecoder.DEFAULT_MAX_PIXELS, false, false, align));
            }
        }
        for (EmotionRecognizer.Options options : settings) {
            FaceDetector.Kind kind = options.detector();
            EmotionRecognizer recognizer = EmotionRecognizer.create(model, "default", options);
            double[] decode = new double[ROUNDS];
            double[] detect = new double[ROUNDS];
            double[] classify = new double[ROUNDS];
            int found = 0;
            for (int round = -1; round < ROUNDS; round++) {
                long dec = 0;
                long det = 0;
                long cls = 0;
                int f = 0;
                for (byte[] jpeg : jpegs) {
                    long t0 = System.nanoTime();
                    BufferedImage image = recognizer.decoder().decode(jpeg, "photo.jpg");
                    long t1 = System.nanoTime();
                    var gray = io.github.fer4j.vision.Images.gray(image);
                    List<FaceBox> boxes = recognizer.detector().detect(gray);
                    long t2 = System.nanoTime();
                    for (FaceBox box : boxes) {
                        RecognizedFace face = recognizer.classify(box, recognizer.crop(gray, box));
                        f += face.dominant().isEmpty() ? 0 : 1;
                    }
                    long t3 = System.nanoTime();
                    dec += t1 - t0;
                    det += t2 - t1;
                    cls += t3 - t2;
                }
                if (round >= 0) {
                    decode[round] = dec / 1e6 / PHOTOS;
                    detect[round] = det / 1e6 / PHOTOS;
                    classify[round] = cls / 1e6 / PHOTOS;
                    found = f;
                }
            }
            double total = median(decode) + median(detect) + median(classify);
            System.out.printf(Locale.ROOT, "%-11s %10.2f %10.2f %10.2f %10.2f %10.2f %12s%n",
                    kind.name().toLowerCase(Locale.ROOT) + (options.align() ? "+align" : ""),
                    median(decode), median(detect), median(classify), total, (double) found / PHOTOS,
                    kind == FaceDetector.Kind.LBP ? "<= 60" : "<= 30");
        }
        // Classification alone: the model on 48x48 faces.
        int n = Math.min(idx.length, 3000);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS + 1; round++) {
            long t = System.nanoTime();
            for (int k = 0; k < n; k++) {
                model.probabilities(faces.face(idx[k]));
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%nclassification alone (%s model, 48x48 faces): %.0f faces/s%n", model.kind(), n / best);
    }

    private static BufferedImage compose(byte[] face, SplittableRandom r) {
        BufferedImage photo = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int v = (int) Math.max(0, Math.min(255, 110 + x / 16 + r.nextGaussian() * 8));
                photo.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        BufferedImage f = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
        f.getRaster().setDataElements(0, 0, 48, 48, face);
        Graphics2D g = photo.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        int side = 140 + r.nextInt(100);
        g.drawImage(f, r.nextInt(640 - side), r.nextInt(480 - side), side, side, null);
        g.dispose();
        return photo;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
