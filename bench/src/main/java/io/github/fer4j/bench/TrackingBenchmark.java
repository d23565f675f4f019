package io.github.fer4j.bench;

import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.FaceDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * How well, and how fast, the search near a face's last box ({@link FaceDetector#detectNear}, as the webcam streams of
 * {@code fer serve} and {@code fer video --track} use it) follows a face that moved. Each photo of a folder is scaled to
 * 640 px on its long side like a webcam frame; its largest face (80 px or more, found by the whole-frame search) is
 * moved by up to {@code m} times its side in x and y and rescaled by up to {@code m} (m = 5, 10, 20 %, three random
 * moves each, seed 7); each {@link FaceDetector.Neighbourhood} then searches the moved frame around the old box. A move
 * counts as followed when the box nearest the old one has IoU 0.5 or more with the moved face's box. "ms per frame"
 * adds a whole-frame search (timed on the same frames) for each move not followed, as the callers do.
 * Usage: {@code TrackingBenchmark [photo folder]} (default {@code ../shared/data/devphotos}).
 */
public final class TrackingBenchmark {
    private static final double[] MOVES = {0.05, 0.10, 0.20};
    private static final int TRIES = 3;

    private TrackingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args.length > 0 ? args[0] : "../shared/data/devphotos");
        if (!Files.isDirectory(folder)) {
            System.err.println("tracking benchmark: no photo folder at " + folder + " (give one as the argument)");
            System.exit(2);
        }
        List<Path> photos;
        try (Stream<Path> files = Files.walk(folder)) {
            photos = files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png|bmp)"))
                    .sorted().toList();
        }
        List<FaceDetector.Neighbourhood> settings = List.of(FaceDetector.Neighbourhood.WIDE, new FaceDetector.Neighbourhood(0.35, 0.8, 1.25),
                FaceDetector.Neighbourhood.DEFAULT, new FaceDetector.Neighbourhood(0.25, 0.83, 1.2), new FaceDetector.Neighbourhood(0.2, 0.83, 1.2));
        FaceDetector detector = new FaceDetector(FaceDetector.Kind.HAAR, 80);
        int[][] followed = new int[settings.size()][MOVES.length];
        double[][] iou = new double[settings.size()][MOVES.length];
        double[][] nanos = new double[settings.size()][MOVES.length];
        int[] moves = new int[MOVES.length];
        double wholeNanos = 0;
        int wholeSearches = 0;
        int used = 0;
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < photos.size(); n++) {
            try (PointerScope scope = new PointerScope()) {
                Mat photo = opencv_imgcodecs.imread(photos.get(n).toString(), opencv_imgcodecs.IMREAD_GRAYSCALE);
                if (photo.empty()) {
                    continue;
                }
                double scale = 640.0 / Math.max(photo.cols(), photo.rows());
                Mat frame = new Mat();
                opencv_imgproc.resize(photo, frame, new Size((int) Math.round(photo.cols() * scale), (int) Math.round(photo.rows() * scale)),
                        0, 0, opencv_imgproc.INTER_AREA);
                List<FaceBox> faces = detector.detect(frame);
                if (faces.isEmpty() || faces.get(0).width() < 80) {
                    continue;
                }
                used++;
                FaceBox last = faces.get(0);
                for (int m = 0; m < MOVES.length; m++) {
                    for (int t = 0; t < TRIES; t++) {
                        double dx = (random.nextDouble() * 2 - 1) * MOVES[m] * last.width();
                        double dy = (random.nextDouble() * 2 - 1) * MOVES[m] * last.width();
                        double zoom = 1 + (random.nextDouble() * 2 - 1) * MOVES[m];
                        Mat moved = moved(frame, last, dx, dy, zoom);
                        int side = (int) Math.round(last.width() * zoom);
                        double cx = last.x() + last.width() / 2.0 + dx;
                        double cy = last.y() + last.height() / 2.0 + dy;
                        FaceBox truth = new FaceBox((int) Math.round(cx - side / 2.0), (int) Math.round(cy - side / 2.0), side, side);
                        moves[m]++;
                        for (int s = 0; s < settings.size(); s++) {
                            long start = System.nanoTime();
                            List<FaceBox> near = detector.detectNear(moved, last, settings.get(s));
                            nanos[s][m] += System.nanoTime() - start;
                            FaceBox best = null;
                            for (FaceBox b : near) {
                                if (best == null || b.iou(last) > best.iou(last)) {
                                    best = b;
                                }
                            }
                            if (best != null && best.iou(truth) >= 0.5) {
                                followed[s][m]++;
                                iou[s][m] += best.iou(truth);
                            }
                        }
                        if (t == 0) {
                            long start = System.nanoTime();
                            detector.detect(moved);
                            wholeNanos += System.nanoTime() - start;
                            wholeSearches++;
                        }
                    }
                }
            }
            if ((n + 1) % 100 == 0) {
                System.err.printf(Locale.ROOT, "tracking: %d of %d photos%n", n + 1, photos.size());
            }
        }
        double wholeMs = wholeNanos / 1e6 / Math.max(1, wholeSearches);
        System.out.printf(Locale.ROOT, "fer4j tracking benchmark: %d photos of %s with a face of 80 px or more at 640 px, %d moves per size of move,"
                + " Haar; a whole-frame search took %.2f ms%n%n", used, folder, moves[0], wholeMs);
        System.out.print("| margin, sizes |");
        for (double m : MOVES) {
            System.out.printf(Locale.ROOT, " move %.0f%%: followed | IoU | ms near | ms per frame |", m * 100);
        }
        System.out.println();
        System.out.println("|---|" + "---|---|---|---|".repeat(MOVES.length));
        for (int s = 0; s < settings.size(); s++) {
            FaceDetector.Neighbourhood where = settings.get(s);
            System.out.printf(Locale.ROOT, "| %.2f, %.2f-%.2f%s |", where.margin(), where.smaller(), where.larger(),
                    where.equals(FaceDetector.Neighbourhood.DEFAULT) ? " (default)" : where.equals(FaceDetector.Neighbourhood.WIDE) ? " (before)" : "");
            for (int m = 0; m < MOVES.length; m++) {
                double share = (double) followed[s][m] / moves[m];
                double near = nanos[s][m] / 1e6 / moves[m];
                System.out.printf(Locale.ROOT, " %.3f | %.3f | %.2f | %.2f |", share, iou[s][m] / Math.max(1, followed[s][m]), near,
                        near + (1 - share) * wholeMs);
            }
            System.out.println();
        }
    }

    /** {@code frame} with the content moved by (dx, dy) and scaled by {@code zoom} about the centre of {@code box}. */
    private static Mat moved(Mat frame, FaceBox box, double dx, double dy, double zoom) {
        double cx = box.x() + box.width() / 2.0;
        double cy = box.y() + box.height() / 2.0;
        Mat affine = new Mat(2, 3, opencv_core.CV_64F);
        DoubleIndexer a = affine.createIndexer();
        a.put(0, 0, zoom).put(0, 1, 0).put(0, 2, cx * (1 - zoom) + dx);
        a.put(1, 0, 0).put(1, 1, zoom).put(1, 2, cy * (1 - zoom) + dy);
        Mat out = new Mat();
        opencv_imgproc.warpAffine(frame, out, affine, frame.size(), opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE, new Scalar());
        return out;
    }
}
