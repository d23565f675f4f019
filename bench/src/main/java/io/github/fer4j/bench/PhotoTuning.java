package io.github.fer4j.bench;

import io.github.fer4j.model.Classifier;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.FaceCropper;
import io.github.fer4j.vision.FaceDetector;
import io.github.fer4j.vision.ImageDecoder;
import io.github.fer4j.vision.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Tunes the photo path's crop on a labelled photo set (the development photos): each photo is decoded and its faces
 * detected once, then every crop setting of a grid is scored (accuracy and ACA over all photos, a photo without a
 * face counting as a miss). Usage: {@code PhotoTuning DIR [model.fer|default] [haar|lbp|blazeface]}; DIR holds labels.csv
 * (path,emotion). With a detector named, the grid is around that detector's own crop: its scale times 0.9 to 1.2 and its
 * shift -0.05 to +0.10 box widths from its own.
 */
public final class PhotoTuning {
    private record Photo(String source, int truth, Mat gray, FaceBox face) { }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Classifier model = args.length > 1 && !args[1].equals("default") ? io.github.fer4j.model.ModelFile.load(Path.of(args[1]))
                : EmotionRecognizer.defaultModel();
        List<String> classes = model.classNames();
        FaceDetector.Kind kind = args.length > 2 ? FaceDetector.Kind.parse(args[2]) : FaceDetector.Kind.HAAR;
        FaceDetector detector = new FaceDetector(kind, 48);
        double[] scales = args.length > 2 ? new double[] {0.9, 1.0, 1.1, 1.2} : new double[] {0.9, 1.0, 1.1, 1.2, 1.3};
        double[] shifts = {-0.05, 0.0, 0.05, 0.1};
        double baseScale = args.length > 2 ? kind.cropper().scale() : 1.0;
        double baseShift = args.length > 2 ? kind.cropper().dy() : 0.0;
        ImageDecoder decoder = new ImageDecoder();
        List<Photo> photos = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            for (String line : Files.readAllLines(dir.resolve("labels.csv")).subList(1, Files.readAllLines(dir.resolve("labels.csv")).size())) {
                String[] f = line.split(",");
                Mat gray = Images.gray(decoder.decode(dir.resolve(f[0])));
                List<FaceBox> faces = detector.detect(gray);
                photos.add(new Photo(f[0].substring(0, f[0].indexOf('/')), classes.indexOf(f[1].trim()), gray,
                        faces.isEmpty() ? null : faces.get(0)));
            }
            System.out.printf(Locale.ROOT, "%d photos, %d without a face%n%n", photos.size(),
                    photos.stream().filter(p -> p.face() == null).count());
            System.out.println("| scale | dy | accuracy | ACA | ckplus | facemasks | muxspace |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (double relativeScale : scales) {
                for (double shift : shifts) {
                    double scale = baseScale * relativeScale;
                    double dy = baseShift + shift;
                    FaceCropper cropper = new FaceCropper(scale, 0, dy);
                    long[][] counts = new long[classes.size()][2];
                    java.util.Map<String, long[]> bySource = new java.util.TreeMap<>();
                    long right = 0;
                    for (Photo p : photos) {
                        boolean ok = p.face() != null
                                && Classifier.mostProbable(model.probabilities(cropper.crop(p.gray(), p.face()))) == p.truth();
                        counts[p.truth()][0]++;
                        long[] s = bySource.computeIfAbsent(p.source(), k -> new long[2]);
                        s[0]++;
                        if (ok) {
                            right++;
                            counts[p.truth()][1]++;
                            s[1]++;
                        }
                    }
                    double aca = 0;
                    int present = 0;
                    for (long[] c : counts) {
                        if (c[0] > 0) {
                            aca += (double) c[1] / c[0];
                            present++;
                        }
                    }
                    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %.2f | %.2f | %.4f | %.4f |", scale, dy,
                            (double) right / photos.size(), aca / present));
                    bySource.values().forEach(s -> row.append(String.format(Locale.ROOT, " %.4f |", (double) s[1] / s[0])));
                    System.out.println(row);
                }
            }
        }
    }
}
