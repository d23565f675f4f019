package io.github.fer4j.bench;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.vision.BlazeFaceDetector;
import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.FaceDetector;
import io.github.fer4j.vision.ImageDecoder;
import io.github.fer4j.vision.Images;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The face detectors side by side, in one run, on one thread (OpenCV's own thread pool set to one thread, ONNX Runtime
 * one thread per run): milliseconds and process CPU time per 640x480 photo, recall of pasted faces and false faces per
 * photo on composed photos (one face; one to three faces of 110-220 px; zero to two people as the Spark benchmark
 * composes them), small faces in 1920x1080 photos, and on the development photos the photos where no face is found
 * (no whole-frame fallback) with the time per photo. Faces are FER2013 faces (PublicTest for the composed photos),
 * which are cut tight, so recall on real photos is higher. A face counts as found by a box with IoU above 0.4; every
 * other box is a false face. Usage: {@code DetectorBenchmark [fer2013.csv.gz] [devphotos folder] [detectors]}, detectors
 * a comma-separated list of haar, lbp, blazeface and blazeface-every-level (default haar,blazeface,blazeface-every-level).
 */
public final class DetectorBenchmark {
    private static final int ROUNDS = 5;

    private DetectorBenchmark() {
    }

    /** One detector as the benchmark runs it; {@code everyLevel}: BlazeFace searching every level of its pyramid. */
    private record Entry(String name, FaceDetector.Kind kind, boolean everyLevel) {
        List<FaceBox> detect(FaceDetector detector, Mat gray) {
            return everyLevel ? detector.detectFullResolution(gray) : detector.detect(gray);
        }
    }

    /** A composed photo: the gray image and where its faces are. */
    private record Photo(Mat gray, List<FaceBox> faces) { }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/fer2013.csv.gz");
        Path devPhotos = Path.of(args.length > 1 ? args[1] : "../shared/data/devphotos");
        if (!Files.isRegularFile(data)) {
            System.err.println("DetectorBenchmark: " + data + " is missing; the benchmark composes its photos from FER2013 faces");
            System.exit(2);
        }
        opencv_core.setNumThreads(1);
        FaceSet faces = Fer2013Reader.read(data);
        int[] publicTest = faces.indices(Split.PUBLIC_TEST);
        System.out.printf(Locale.ROOT, "fer4j detector benchmark: one thread (OpenCV setNumThreads(1), ONNX Runtime 1 thread), Java %s, "
                + "%d cores, load average %.2f%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), OS.getSystemLoadAverage());
        List<Entry> entries = new ArrayList<>();
        for (String name : (args.length > 2 ? args[2] : "haar,blazeface,blazeface-every-level").split(",")) {
            boolean every = name.endsWith("-every-level");
            entries.add(new Entry(every ? name.replace("-every-level", ", every level") : name,
                    FaceDetector.Kind.parse(name.replace("-every-level", "")), every));
        }

        // The cost of one run of the front network (letterbox, run, decode) on this machine now, to read the rest by.
        oneRun();

        // 1. vision.sh's photos: one face of 140-240 px on a 640x480 gradient, JPEG, decoded to luma.
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, false);
        List<Photo> single = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int k = 0; k < 60; k++) {
            BufferedImage photo = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
            FaceBox face = VisionBenchmarkPhotos.compose(photo, faces.face(publicTest[k]), r);
            single.add(new Photo(retained(Images.gray(decoder.decodeLuma(VisionBenchmark.jpeg(photo), "photo.jpg"))), List.of(face)));
        }
        table("640x480 photos, one FER2013 face of 140-240 px (bench/vision.sh's photos), faces from 48 px", entries, single, 48);

        // 2. One to three faces of 110-220 px per 640x480 photo, apart (RecognitionTest's layout).
        List<Integer> pool = usable(faces, publicTest, 600);
        List<Photo> several = new ArrayList<>();
        SplittableRandom s = new SplittableRandom(7);
        int next = 0;
        for (int p = 0; p < 80; p++) {
            List<FaceBox> boxes = new ArrayList<>();
            BufferedImage photo = ComposedPhotoFolder.background(640, 480, s);
            Graphics2D g = photo.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            int count = 1 + s.nextInt(3);
            for (int tries = 0; boxes.size() < count && tries < 50; tries++) {
                int side = 110 + s.nextInt(111);
                FaceBox box = new FaceBox(s.nextInt(640 - side), s.nextInt(480 - side), side, side);
                if (boxes.stream().noneMatch(b -> apart(b, box) < 20)) {
                    g.drawImage(ComposedPhotoFolder.face(faces.face(pool.get(next++ % pool.size()))), box.x(), box.y(), side, side, null);
                    boxes.add(box);
                }
            }
            g.dispose();
            several.add(new Photo(retained(Images.gray(photo)), boxes));
        }
        table("640x480 photos with one to three FER2013 faces of 110-220 px (80 photos, RecognitionTest's layout)", entries, several, 48);

        // 3. Zero to two people per 320x240..480x360 photo, faces half to 80 % of the height (ComposedPhotoFolder's photos).
        table("320x240 to 480x360 photos with zero to two faces (bench's ComposedPhotoFolder, 200 photos)", entries,
                composedFolder(faces, 200), 48);

        // 4. Small faces in large photos: four faces of S px on 1920x1080, --min-face 0.8 S.
        for (int side : new int[] {80, 48, 30}) {
            List<Photo> small = new ArrayList<>();
            SplittableRandom q = new SplittableRandom(side);
            for (int p = 0; p < 10; p++) {
                BufferedImage photo = ComposedPhotoFolder.background(1920, 1080, q);
                Graphics2D g = photo.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
                List<FaceBox> boxes = new ArrayList<>();
                while (boxes.size() < 4) {
                    FaceBox box = new FaceBox(q.nextInt(1920 - side), q.nextInt(1080 - side), side, side);
                    if (boxes.stream().noneMatch(b -> apart(b, box) < side)) {
                        g.drawImage(ComposedPhotoFolder.face(faces.face(pool.get(next++ % pool.size()))), box.x(), box.y(), side, side, null);
                        boxes.add(box);
                    }
                }
                g.dispose();
                small.add(new Photo(retained(Images.gray(photo)), boxes));
            }
            // The smallest face a little under the faces' size: a box at exactly that size is dropped about half the time.
            int minFace = (int) Math.round(0.8 * side);
            table("1920x1080 photos with four FER2013 faces of " + side + " px (10 photos, one pass), --min-face " + minFace, entries,
                    small, minFace, 1);
        }

        // 5. The development photos, decoded once each; no whole-frame fallback.
        Path labels = devPhotos.resolve("labels.csv");
        if (Files.isRegularFile(labels)) {
            devPhotos(devPhotos, Files.readAllLines(labels), decoder, entries);
        } else {
            System.out.println("\n(no " + labels + ": the development photos are not here)");
        }
        System.out.printf(Locale.ROOT, "%nload average at the end: %.2f%n", OS.getSystemLoadAverage());
    }

    @SuppressWarnings("try")
    private static void oneRun() {
        FaceDetector detector = new FaceDetector(FaceDetector.Kind.BLAZEFACE, 600);
        Mat square = retained(Images.gray(new BufferedImage(480, 480, BufferedImage.TYPE_BYTE_GRAY)));
        double[] ms = new double[ROUNDS];
        double[] cpu = new double[ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            long r0 = BlazeFaceDetector.networkRuns();
            long c0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                try (PointerScope scope = new PointerScope()) {
                    detector.detect(square);
                }
            }
            if (round >= 0) {
                long runs = BlazeFaceDetector.networkRuns() - r0;
                ms[round] = (System.nanoTime() - t0) / 1e6 / runs;
                cpu[round] = (OS.getProcessCpuTime() - c0) / 1e6 / runs;
            }
        }
        System.out.printf(Locale.ROOT, "one run of BlazeFace's front network (128 px, with its letterbox and decoding): %.2f ms, %.2f ms CPU%n",
                VisionBenchmark.median(ms), VisionBenchmark.median(cpu));
    }

    /** Keeps a matrix beyond the scope it was made in (the photos live for the whole run). */
    private static Mat retained(Mat m) {
        m.retainReference();
        return m;
    }

    private static void table(String title, List<Entry> entries, List<Photo> photos, int minFace) {
        table(title, entries, photos, minFace, ROUNDS);
    }

    /** Times the detectors over {@code rounds} passes (after one warm-up pass when there are several), medians. */
    @SuppressWarnings("try")
    private static void table(String title, List<Entry> entries, List<Photo> photos, int minFace, int rounds) {
        int total = photos.stream().mapToInt(p -> p.faces().size()).sum();
        System.out.printf(Locale.ROOT, "%n%s: %d faces%n", title, total);
        System.out.printf(Locale.ROOT, "%-24s %9s %9s %8s %12s %11s%n", "detector", "ms/photo", "CPU ms", "recall", "false/photo",
                "runs/photo");
        for (Entry e : entries) {
            FaceDetector detector = new FaceDetector(e.kind(), minFace);
            double[] wall = new double[rounds];
            double[] cpu = new double[rounds];
            int found = 0;
            int falseFaces = 0;
            double runs = 0;
            for (int round = rounds > 1 ? -1 : 0; round < rounds; round++) {
                long runs0 = BlazeFaceDetector.networkRuns();
                int f = 0;
                int wrong = 0;
                long c0 = OS.getProcessCpuTime();
                long t0 = System.nanoTime();
                for (Photo photo : photos) {
                    List<FaceBox> boxes;
                    try (PointerScope scope = new PointerScope()) {
                        boxes = e.detect(detector, photo.gray());
                    }
                    for (FaceBox truth : photo.faces()) {
                        f += boxes.stream().anyMatch(b -> b.iou(truth) > 0.4) ? 1 : 0;
                    }
                    for (FaceBox b : boxes) {
                        wrong += photo.faces().stream().noneMatch(t -> b.iou(t) > 0.4) ? 1 : 0;
                    }
                }
                if (round >= 0) {
                    wall[round] = (System.nanoTime() - t0) / 1e6 / photos.size();
                    cpu[round] = (OS.getProcessCpuTime() - c0) / 1e6 / photos.size();
                    found = f;
                    falseFaces = wrong;
                    runs = (double) (BlazeFaceDetector.networkRuns() - runs0) / photos.size();
                }
            }
            System.out.printf(Locale.ROOT, "%-24s %9.2f %9.2f %8.3f %12.3f %11s%n", e.name(), VisionBenchmark.median(wall), VisionBenchmark.median(cpu),
                    (double) found / total, (double) falseFaces / photos.size(),
                    e.kind() == FaceDetector.Kind.BLAZEFACE ? String.format(Locale.ROOT, "%.1f", runs) : "");
        }
    }

    @SuppressWarnings("try")
    private static void devPhotos(Path folder, List<String> lines, ImageDecoder decoder, List<Entry> entries) {
        List<String> paths = lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.substring(0, l.indexOf(','))).toList();
        int n = entries.size();
        int[] none = new int[n];
        int[] several = new int[n];
        int[] found = new int[n];
        long[] nanos = new long[n];
        List<List<String>> missed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            missed.add(new ArrayList<>());
        }
        List<FaceDetector> detectors = entries.stream().map(e -> new FaceDetector(e.kind(), 48)).toList();
        for (String path : paths) {
            try (PointerScope scope = new PointerScope()) {
                Mat gray = Images.gray(decoder.decodeLuma(folder.resolve(path)));
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    List<FaceBox> boxes = entries.get(i).detect(detectors.get(i), gray);
                    nanos[i] += System.nanoTime() - t0;
                    found[i] += boxes.size();
                    if (boxes.isEmpty()) {
                        none[i]++;
                        missed.get(i).add(path);
                    }
                    several[i] += boxes.size() > 1 ? 1 : 0;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nDevelopment photos (%s, %d photos, one labelled face each), faces from 48 px, no whole-frame "
                + "fallback:%n", folder, paths.size());
        System.out.printf(Locale.ROOT, "%-24s %9s %9s %14s %12s%n", "detector", "no face", "faces", "photos with 2+", "ms/photo");
        for (int i = 0; i < n; i++) {
            System.out.printf(Locale.ROOT, "%-24s %9d %9d %14d %12.2f%n", entries.get(i).name(), none[i], found[i], several[i],
                    nanos[i] / 1e6 / paths.size());
        }
        for (int i = 0; i < n; i++) {
            if (entries.get(i).kind() == FaceDetector.Kind.BLAZEFACE && !entries.get(i).everyLevel()) {
                System.out.println("no face by " + entries.get(i).name() + ": " + String.join(" ", missed.get(i)));
            }
        }
    }

    /** ComposedPhotoFolder's photos, made the same way in memory. */
    private static List<Photo> composedFolder(FaceSet all, int count) {
        FaceSet faces = all.subset(Split.PRIVATE_TEST);
        SplittableRandom r = new SplittableRandom(2026);
        int[][] sizes = {{320, 240}, {400, 300}, {480, 360}};
        List<Photo> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] size = sizes[r.nextInt(sizes.length)];
            BufferedImage photo = ComposedPhotoFolder.background(size[0], size[1], r);
            Graphics2D g = photo.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            int people = i % 10 == 9 ? 0 : r.nextInt(3) == 0 ? 2 : 1;
            List<FaceBox> boxes = new ArrayList<>();
            for (int p = 0; p < people; p++) {
                int half = size[0] / people;
                int side = Math.min(half, size[1]) * (5 + r.nextInt(4)) / 10;
                int x = p * half + r.nextInt(half - side + 1);
                int y = r.nextInt(size[1] - side + 1);
                g.drawImage(ComposedPhotoFolder.face(faces.face(r.nextInt(faces.size()))), x, y, side, side, null);
                boxes.add(new FaceBox(x, y, side, side));
            }
            g.dispose();
            out.add(new Photo(retained(Images.gray(photo)), boxes));
        }
        return out;
    }

    /** The gap between two boxes (negative when they overlap). */
    private static int apart(FaceBox a, FaceBox b) {
        int gx = Math.max(a.x() - (b.x() + b.width()), b.x() - (a.x() + a.width()));
        int gy = Math.max(a.y() - (b.y() + b.height()), b.y() - (a.y() + a.height()));
        return Math.max(gx, gy);
    }



    /** Faces of a split that are not blank (as PhotoComposer.usable in fer-vision's tests). */
    private static List<Integer> usable(FaceSet faces, int[] indices, int count) {
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



    /** VisionBenchmark's photo: the same composition, so that the first table times the same photos. */
    static final class VisionBenchmarkPhotos {
        private VisionBenchmarkPhotos() {
        }

        static FaceBox compose(BufferedImage photo, byte[] face, SplittableRandom r) {
            for (int y = 0; y < 480; y++) {
                for (int x = 0; x < 640; x++) {
                    int v = (int) Math.max(0, Math.min(255, 110 + x / 16 + r.nextGaussian() * 8));
                    photo.setRGB(x, y, v << 16 | v << 8 | v);
                }
            }
            BufferedImage f = ComposedPhotoFolder.face(face);
            Graphics2D g = photo.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            int side = 140 + r.nextInt(100);
            int x = r.nextInt(640 - side);
            int y = r.nextInt(480 - side);
            g.drawImage(f, x, y, side, side, null);
            g.dispose();
            return new FaceBox(x, y, side, side);
        }
    }
}
