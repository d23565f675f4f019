package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fer4j.TestData;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.model.Classifier;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Photos composed from FER2013 PublicTest faces pasted at known places and scales: detection recall against
 * the known boxes, crops close to the original faces, and the photo path agreeing with the direct 48x48 path.
 */
class RecognitionTest {
    static FaceSet faces;
    static List<Integer> pool;

    @BeforeAll
    static void load() {
        Optional<Path> file = TestData.fer2013();
        if (file.isPresent()) {
            faces = Fer2013Reader.read(file.get());
            pool = PhotoComposer.usable(faces, faces.indices(Split.PUBLIC_TEST), 600);
        } else {
            System.err.println(TestData.MISSING);
        }
    }

    /** Photos of 640x480 with one to three faces of 110..220 px that do not overlap. */
    static List<List<PhotoComposer.Placement>> layouts(int photos, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<List<PhotoComposer.Placement>> out = new ArrayList<>();
        int next = 0;
        for (int p = 0; p < photos; p++) {
            List<PhotoComposer.Placement> placed = new ArrayList<>();
            int count = 1 + r.nextInt(3);
            for (int tries = 0; placed.size() < count && tries < 50; tries++) {
                int side = 110 + r.nextInt(111);
                int x = r.nextInt(640 - side);
                int y = r.nextInt(480 - side);
                PhotoComposer.Placement candidate = new PhotoComposer.Placement(faces.face(pool.get(next % pool.size())), x, y, side);
                if (placed.stream().noneMatch(q -> overlaps(q.box(), candidate.box()))) {
                    placed.add(candidate);
                    next++;
                }
            }
            out.add(placed);
        }
        return out;
    }

    private static boolean overlaps(FaceBox a, FaceBox b) {
        int margin = 20;
        return a.x() < b.x() + b.width() + margin && b.x() < a.x() + a.width() + margin
                && a.y() < b.y() + b.height() + margin && b.y() < a.y() + a.height() + margin;
    }

    static double correlation(byte[] a, byte[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] & 0xFF;
            mb += b[i] & 0xFF;
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = (a[i] & 0xFF) - ma;
            double db = (b[i] & 0xFF) - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** medianOtherCorrelation: the same crops against another face of the pool, the level of "not this face". */
    record Measured(int faces, int found, int falseBoxes, double medianCorrelation, double medianOtherCorrelation,
                    double agreement) { }

    static Measured measure(FaceDetector.Kind kind, int photos) {
        return measure(new EmotionRecognizer.Options(kind, 48, ImageDecoder.DEFAULT_MAX_PIXELS), photos);
    }

    static Measured measure(EmotionRecognizer.Options options, int photos) {
        FaceDetector.Kind kind = options.detector();
        EmotionRecognizer recognizer = EmotionRecognizer.create(EmotionRecognizer.defaultModel(), "default", options);
        Classifier model = recognizer.model();
        int total = 0;
        int found = 0;
        int falseBoxes = 0;
        int agree = 0;
        List<Double> correlations = new ArrayList<>();
        List<Double> others = new ArrayList<>();
        List<List<PhotoComposer.Placement>> layouts = layouts(photos, 7);
        for (int p = 0; p < layouts.size(); p++) {
            List<PhotoComposer.Placement> placed = layouts.get(p);
            BufferedImage photo = PhotoComposer.compose(640, 480, placed, p);
            List<RecognizedFace> result = recognizer.recognize(photo);
            for (RecognizedFace face : result) {
                if (placed.stream().noneMatch(q -> q.box().iou(face.box()) > 0.4)) {
                    falseBoxes++;
                }
            }
            for (PhotoComposer.Placement q : placed) {
                total++;
                Optional<RecognizedFace> match = result.stream().filter(f -> f.box().iou(q.box()) > 0.4).findFirst();
                if (match.isPresent()) {
                    found++;
                    correlations.add(correlation(match.get().crop(), q.face()));
                    others.add(correlation(match.get().crop(), faces.face(pool.get((found * 7 + 301) % pool.size()))));
                    if (model.predict(q.face()) == model.classNames().indexOf(match.get().dominant())) {
                        agree++;
                    }
                }
            }
        }
        double[] sorted = correlations.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] sortedOthers = others.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Measured m = new Measured(total, found, falseBoxes, sorted.length == 0 ? 0 : sorted[sorted.length / 2],
                sortedOthers.length == 0 ? 0 : sortedOthers[sortedOthers.length / 2], found == 0 ? 0 : (double) agree / found);
        System.err.printf("%s on composed photos: %d of %d faces found (recall %.3f), %d false boxes, median crop "
                + "correlation %.3f (%.3f with another face), photo path agrees with the 48x48 path on %.3f%n",
                kind + (options.align() ? " aligned" : ""),
                m.found(), m.faces(), (double) m.found() / m.faces(), m.falseBoxes(), m.medianCorrelation(),
                m.medianOtherCorrelation(), m.agreement());
        return m;
    }

    @Test
    void haarFindsMostFacesCropsThemLikeFer2013AndAgreesWithTheDirectPath() {
        assumeTrue(faces != null, TestData.MISSING);
        // Measured when written: recall 0.759, 4 false boxes in 166 faces, crop correlation 0.785 (0.131 against
        // another face), agreement 0.833 with the fernet9 CNN (0.698 with softmax on HOG+LBP). FER2013 faces are cut
        // tight, without the hair and chin a cascade likes,
        // so recall on real photos is higher; the box jitters by a few pixels at 48x48, which caps the correlation.
        Measured m = measure(FaceDetector.Kind.HAAR, 80);
        assertTrue((double) m.found() / m.faces() >= 0.7, "recall");
        assertTrue(m.falseBoxes() <= m.faces() / 10, "false boxes");
        assertTrue(m.medianCorrelation() >= 0.65, "crop correlation");
        assertTrue(m.medianCorrelation() >= 4 * m.medianOtherCorrelation(), "the crop is this face, not any face");
        assertTrue(m.agreement() >= 0.75, "agreement");
    }

    @Test
    void blazeFaceFindsMoreFacesThanHaarAndCropsThemLikeFer2013() {
        assumeTrue(faces != null, TestData.MISSING);
        // Measured when written: recall 0.886 (Haar 0.759), 13 false boxes (Haar 2), crop correlation 0.615 (0.089 with
        // another face; Haar 0.788), agreement with the direct 48x48 path 0.871 (Haar 0.849). BlazeFace's box moves more
        // with the face's look than Haar's, so its crops match the originals pixel for pixel less, yet the model reads
        // them more often as it reads the originals.
        Measured haar = measure(FaceDetector.Kind.HAAR, 80);
        Measured blaze = measure(FaceDetector.Kind.BLAZEFACE, 80);
        assertTrue(blaze.found() >= haar.found(), "BlazeFace found " + blaze.found() + ", Haar " + haar.found());
        assertTrue(blaze.falseBoxes() <= blaze.faces() / 8, "false boxes " + blaze.falseBoxes());
        assertTrue(blaze.medianCorrelation() >= 0.55, "crop correlation");
        assertTrue(blaze.medianCorrelation() >= 4 * blaze.medianOtherCorrelation(), "the crop is this face, not any face");
        assertTrue(blaze.agreement() >= haar.agreement() - 0.03, "agreement " + blaze.agreement() + " against Haar's " + haar.agreement());
    }

    @Test
    void lbpFindsMostFacesToo() {
        assumeTrue(faces != null, TestData.MISSING);
        // Measured when written: recall 0.572, crop correlation 0.713.
        Measured m = measure(FaceDetector.Kind.LBP, 80);
        assertTrue((double) m.found() / m.faces() >= 0.5, "recall");
        assertTrue(m.medianCorrelation() >= 0.6, "crop correlation");
    }

    @Test
    void alignedCropsStayCloseToTheOriginalFaces() {
        assumeTrue(faces != null, TestData.MISSING);
        // FER2013's own faces are not all level nor all framed alike (the middle half within 4 degrees either way),
        // so cutting every face the same way moves the crop off its original. Measured when written: crop correlation
        // 0.647 (0.119 against another face; 0.785 without alignment), agreement 0.810 (0.833 without).
        Measured m = measure(new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, ImageDecoder.DEFAULT_MAX_PIXELS, false, false,
                true), 80);
        assertTrue((double) m.found() / m.faces() >= 0.7, "recall");
        assertTrue(m.medianCorrelation() >= 0.6, "crop correlation");
        assertTrue(m.medianCorrelation() >= 4 * m.medianOtherCorrelation(), "the crop is this face, not any face");
        assertTrue(m.agreement() >= 0.75, "agreement");
    }

    @Test
    void aFaceThatFillsTheWholeFrameIsFoundThanksToPadding() {
        assumeTrue(faces != null, TestData.MISSING);
        EmotionRecognizer recognizer = EmotionRecognizer.create();
        int found = 0;
        int n = 60;
        for (int k = 0; k < n; k++) {
            byte[] face = faces.face(pool.get(k));
            BufferedImage photo = PhotoComposer.compose(240, 240, List.of(new PhotoComposer.Placement(face, 0, 0, 240)), k);
            if (!recognizer.recognize(photo).isEmpty()) {
                found++;
            }
        }
        // Measured when written: 41 of 60.
        System.err.printf("whole-frame faces found: %d of %d%n", found, n);
        assertTrue(found >= n / 2, "found " + found + " of " + n);
    }

    @Test
    void oneRecognizerGivesTheSameAnswerCallAfterCallAndAcrossThreads() throws Exception {
        assumeTrue(faces != null, TestData.MISSING);
        EmotionRecognizer recognizer = EmotionRecognizer.create();
        BufferedImage photo = PhotoComposer.compose(640, 480,
                List.of(new PhotoComposer.Placement(faces.face(pool.get(3)), 200, 120, 200)), 1);
        List<RecognizedFace> first = recognizer.recognize(photo);
        assertEquals(1, first.size());
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<List<RecognizedFace>>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(threads.submit(() -> recognizer.recognize(photo)));
            }
            for (var call : calls) {
                List<RecognizedFace> again = call.get();
                assertEquals(first.get(0).box(), again.get(0).box());
                assertEquals(first.get(0).probabilities(), again.get(0).probabilities());
            }
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void aPhotoWithoutAFaceGivesAnEmptyList() {
        BufferedImage noise = PhotoComposer.compose(640, 480, List.of(), 3);
        assertEquals(List.of(), EmotionRecognizer.create().recognize(noise));
    }

    @Test
    void withWholeFrameASquarePhotoWithoutADetectedFaceIsReadAsOneFace() {
        EmotionRecognizer whole = EmotionRecognizer.create();   // whole-frame reading is on by default
        BufferedImage square = PhotoComposer.compose(300, 280, List.of(), 4);
        EmotionRecognizer detectorOnly = EmotionRecognizer.create(EmotionRecognizer.defaultModel(), "default",
                new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, ImageDecoder.DEFAULT_MAX_PIXELS, false, false));
        assertEquals(List.of(), detectorOnly.recognize(square), "the detector finds nothing here");
        List<RecognizedFace> faces = whole.recognize(square);
        assertEquals(1, faces.size());
        // The largest centred square: 280 a side, 10 px in from the left.
        assertEquals(new FaceBox(10, 0, 280, 280), faces.get(0).box());
        RecognizedFace again = whole.classify(faces.get(0).box(), faces.get(0).crop());
        assertEquals(again.probabilities(), faces.get(0).probabilities());
        // A scene (4:3) is not a face crop: still no face.
        assertEquals(List.of(), whole.recognize(PhotoComposer.compose(640, 480, List.of(), 3)));
    }

    @Test
    void theDefaultModelShipsInsideTheJarWithItsMetrics() {
        Classifier model = EmotionRecognizer.defaultModel();
        assertEquals(7, model.classNames().size());
        // The figure the file records for itself; DefaultModelGateTest measures it again on FER2013 and holds the two
        // within 0.001, so this is the shipped network's own score, not a number written beside it.
        assertTrue(model.info().metrics().get("PublicTest").accuracy() >= 0.67, model.info().metrics().toString());
        assertEquals(Arrays.asList("Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"), model.classNames());
    }
}
