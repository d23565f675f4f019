package io.github.fer4j.bench;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.vision.DetectedFace;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.FaceDetector;
import io.github.fer4j.vision.ImageDecoder;
import io.github.fer4j.vision.Images;
import io.github.fer4j.vision.RecognizedFace;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Prints milliseconds per 640x480 JPEG photo with one face (decode + detect + crop + classify) for the photo path as
 * it was (JPEG decoded in colour then grayed, one Haar search for every face size: {@link FaceDetector#detectFullResolution})
 * and as it is ({@link ImageDecoder#decodeLuma}, {@link FaceDetector#detect}), then Haar with eye alignment and LBP,
 * where the time goes (wall clock), the same stages in process CPU time (all threads: on a loaded machine the wall
 * clock mostly measures the wait for a core, the CPU time the work itself), the recall
 * of the pasted faces (a box with IoU > 0.4), and faces per second for classification alone. Photos are composed from
 * FER2013 PublicTest faces (or synthetic faces without the data). Usage: {@code VisionBenchmark [fer2013.csv.gz]}.
 */
public final class VisionBenchmark {
    private static final int PHOTOS = 60;
    private static final int ROUNDS = 5;

    /** One way through the photo path. */
    private record Route(String name, EmotionRecognizer.Options options, boolean asBefore, String target) { }

    private record Photo(byte[] jpeg, FaceBox face) { }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/fer2013.csv.gz");
        FaceSet faces = Files.isRegularFile(data) ? Fer2013Reader.read(data) : SyntheticFaces.generate(2000, 1);
        int[] idx = faces.indices(Split.PUBLIC_TEST);
        List<Photo> photos = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int k = 0; k < PHOTOS; k++) {
            BufferedImage photo = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
            FaceBox face = compose(photo, faces.face(idx[k]), r);
            photos.add(new Photo(jpeg(photo), face));
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "fer4j vision benchmark: %d photos of 640x480 (JPEG, one %s face each), %d rounds, Java %s, %d cores, "
                        + "load average %.2f%n%n", PHOTOS, Files.isRegularFile(data) ? "FER2013" : "synthetic", ROUNDS, Runtime.version(),
                Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "%-17s %8s %8s %10s %9s   %-26s %7s %8s%n", "path", "decode", "detect", "crop+class", "total ms",
                "CPU ms: decode detect crop", "recall", "target");
        Classifier model = EmotionRecognizer.defaultModel();
        List<Route> routes = List.of(
                new Route("haar (as before)", options(FaceDetector.Kind.HAAR, false), true, ""),
                new Route("haar", options(FaceDetector.Kind.HAAR, false), false, "<= 12"),
                new Route("haar+align", options(FaceDetector.Kind.HAAR, true), false, "<= 30"),
                new Route("lbp", options(FaceDetector.Kind.LBP, false), false, "<= 60"),
                new Route("blazeface", options(FaceDetector.Kind.BLAZEFACE, false), false, "<= 5"),
                new Route("blazeface+align", options(FaceDetector.Kind.BLAZEFACE, true), false, "<= 5"));
        for (Route path : routes) {
            EmotionRecognizer recognizer = EmotionRecognizer.create(model, "default", path.options());
            double[] decode = new double[ROUNDS];
            double[] detect = new double[ROUNDS];
            double[] classify = new double[ROUNDS];
            double[][] cpu = new double[3][ROUNDS];
            int recalled = 0;
            for (int round = -1; round < ROUNDS; round++) {
                long dec = 0;
                long det = 0;
                long cls = 0;
                int f = 0;
                long[] cpuUsed = new long[3];
                for (Photo photo : photos) {
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    BufferedImage image = path.asBefore() ? recognizer.decoder().decode(photo.jpeg(), "photo.jpg")
                            : recognizer.decoder().decodeLuma(photo.jpeg(), "photo.jpg");
                    long t1 = System.nanoTime();
                    long c1 = os.getProcessCpuTime();
                    List<DetectedFace> found;
                    try (PointerScope scope = new PointerScope()) {
                        Mat gray = Images.gray(image);
                        found = path.asBefore() ? recognizer.detector().detectFullResolution(gray).stream()
                                .map(b -> new DetectedFace(b, Double.NaN, List.of())).toList() : recognizer.detector().detectFaces(gray);
                        long t2 = System.nanoTime();
                        long c2 = os.getProcessCpuTime();
                        for (DetectedFace detected : found) {
                            RecognizedFace face = recognizer.classify(detected, recognizer.crop(gray, detected));
                            f += face.box().iou(photo.face()) > 0.4 ? 1 : 0;
                        }
                        long t3 = System.nanoTime();
                        long c3 = os.getProcessCpuTime();
                        cpuUsed[0] += c1 - c0;
                        cpuUsed[1] += c2 - c1;
                        cpuUsed[2] += c3 - c2;
                        dec += t1 - t0;
                        det += t2 - t1;
                        cls += t3 - t2;
                    }
                }
                if (round >= 0) {
                    decode[round] = dec / 1e6 / PHOTOS;
                    detect[round] = det / 1e6 / PHOTOS;
                    classify[round] = cls / 1e6 / PHOTOS;
                    for (int stage = 0; stage < 3; stage++) {
                        cpu[stage][round] = cpuUsed[stage] / 1e6 / PHOTOS;
                    }
                    recalled = f;
                }
            }
            double total = median(decode) + median(detect) + median(classify);
            System.out.printf(Locale.ROOT, "%-17s %8.2f %8.2f %10.2f %9.2f   %8.2f %8.2f %8.2f %7.3f %8s%n", path.name(),
                    median(decode), median(detect), median(classify), total, median(cpu[0]), median(cpu[1]), median(cpu[2]),
                    (double) recalled / PHOTOS, path.target());
        }
        // The "why" map: 49 more classifications of each face's crop, in one batch.
        EmotionRecognizer explaining = EmotionRecognizer.create(model, "default", options(FaceDetector.Kind.BLAZEFACE, false));
        List<RecognizedFace> explained = new ArrayList<>();
        for (Photo photo : photos) {
            explained.addAll(explaining.recognize(explaining.decoder().decodeLuma(photo.jpeg(), "photo.jpg")));
        }
        double[] why = new double[ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            long t = System.nanoTime();
            for (RecognizedFace face : explained) {
                explaining.explain(face);
            }
            if (round >= 0) {
                why[round] = (System.nanoTime() - t) / 1e6 / explained.size();
            }
        }
        System.out.printf(Locale.ROOT, "%nwhy map (occlusion sensitivity, 49 hidden patches in one batch): %.2f ms per face (%d faces)%n",
                median(why), explained.size());
        // Classification alone: the model on 48x48 faces.
        int n = Math.min(idx.length, 1000);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS + 1; round++) {
            long t = System.nanoTime();
            for (int k = 0; k < n; k++) {
                model.probabilities(faces.face(idx[k]));
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%nclassification alone (%s model on %s, 48x48 faces): %.0f faces/s%n", model.kind(), model.engine(), n / best);
        System.out.printf(Locale.ROOT, "load average at the end: %.2f%n", os.getSystemLoadAverage());
    }

    private static EmotionRecognizer.Options options(FaceDetector.Kind kind, boolean align) {
        return new EmotionRecognizer.Options(kind, 48, ImageDecoder.DEFAULT_MAX_PIXELS, false, false, align);
    }

    /** Pastes the face onto a noisy gradient; returns where. */
    private static FaceBox compose(BufferedImage photo, byte[] face, SplittableRandom r) {
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
        int x = r.nextInt(640 - side);
        int y = r.nextInt(480 - side);
        g.drawImage(f, x, y, side, side, null);
        g.dispose();
        return new FaceBox(x, y, side, side);
    }

    static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
