package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fer4j.TestData;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Measures FER2013's framing against each detector: FER2013 PublicTest faces are pasted at 192 px onto 480 px
 * canvases and detected; the median ratio of the pasted square to the box, and the offset of their centres in box
 * widths, must match the constants {@link FaceCropper} uses. Likewise for alignment: the eyes of FER2013's faces
 * must lie where {@link FaceAligner#FER2013} puts them, and aligned crops of composed photos must put them there too.
 */
class CropCalibrationTest {
    private static FaceSet faces;

    private static synchronized FaceSet faces() {
        if (faces == null) {
            faces = Fer2013Reader.read(TestData.fer2013().orElseThrow());
        }
        return faces;
    }

    @ParameterizedTest
    @EnumSource(FaceDetector.Kind.class)
    void shippedCropConstantsMatchTheMeasuredFraming(FaceDetector.Kind kind) {
        assumeTrue(TestData.fer2013().isPresent(), TestData.MISSING);
        FaceSet faces = faces();
        FaceDetector detector = new FaceDetector(kind, 48);
        List<Double> scale = new ArrayList<>();
        List<Double> dx = new ArrayList<>();
        List<Double> dy = new ArrayList<>();
        for (int i : PhotoComposer.usable(faces, faces.indices(Split.PUBLIC_TEST), 200)) {
            PhotoComposer.Placement p = new PhotoComposer.Placement(faces.face(i), 144, 144, 192);
            List<FaceBox> boxes = detector.detect(Images.gray(PhotoComposer.compose(480, 480, List.of(p), i)));
            boxes.stream().filter(b -> b.iou(p.box()) > 0.3).findFirst().ifPresent(b -> {
                scale.add(192.0 / b.width());
                dx.add((240 - (b.x() + b.width() / 2.0)) / b.width());
                dy.add((240 - (b.y() + b.height() / 2.0)) / b.width());
            });
        }
        FaceCropper shipped = kind.cropper();
        System.err.printf("%s framing over %d detected faces: scale %.3f, dx %.3f, dy %.3f (shipped %.2f, %.2f, %.2f)%n", kind,
                scale.size(), median(scale), median(dx), median(dy), shipped.scale(), shipped.dx(), shipped.dy());
        assertEquals(median(scale), shipped.scale(), 0.04, "scale");
        assertEquals(median(dx), shipped.dx(), 0.03, "dx");
        assertEquals(median(dy), shipped.dy(), 0.03, "dy");
    }

    /** Eyes found in FER2013 PublicTest faces upscaled to 192 px, the face's square as the box: where FER2013 puts them. */
    private static List<EyePair> fer2013Eyes(FaceSet faces, EyeFinder finder) {
        List<EyePair> eyes = new ArrayList<>();
        for (int i : PhotoComposer.usable(faces, faces.indices(Split.PUBLIC_TEST), 300)) {
            finder.find(upscaled(faces.face(i)), new FaceBox(0, 0, 192, 192)).ifPresent(eyes::add);
        }
        return eyes;
    }

    private static Mat upscaled(byte[] face) {
        Mat big = new Mat();
        opencv_imgproc.resize(Images.gray(face, FaceSet.SIDE, FaceSet.SIDE), big, new Size(192, 192), 0, 0, opencv_imgproc.INTER_CUBIC);
        return big;
    }

    @Test
    void eyeTargetsAreWhereFer2013sEyesAre() {
        assumeTrue(TestData.fer2013().isPresent(), TestData.MISSING);
        List<EyePair> eyes = fer2013Eyes(faces(), new EyeFinder());
        double eyeY = median(eyes.stream().map(e -> e.midY() / 192).toList());
        double eyeX = median(eyes.stream().map(e -> e.midX() / 192).toList());
        double distance = median(eyes.stream().map(e -> e.distance() / 192).toList());
        double angle = median(eyes.stream().map(EyePair::angleDegrees).toList());
        FaceAligner shipped = FaceAligner.FER2013;
        System.err.printf("FER2013 eyes in %d of 300 faces: midpoint (%.3f, %.3f), %.3f apart, %.2f degrees (shipped eyeY %.2f, "
                + "distance %.2f)%n", eyes.size(), eyeX, eyeY, distance, angle, shipped.eyeY(), shipped.eyeDistance());
        assertTrue(eyes.size() >= 100, "eyes found in " + eyes.size() + " faces");
        assertEquals(eyeY, shipped.eyeY(), 0.01, "eyeY");
        assertEquals(distance, shipped.eyeDistance(), 0.01, "eye distance");
        // The targets centre the eyes and keep them level; FER2013 does too, on average.
        assertEquals(0.5, eyeX, 0.02, "eyes' midpoint x");
        assertEquals(0, angle, 2, "angle");
    }

    @Test
    void alignedCropsOfComposedPhotosPutTheEyesWhereFer2013Has() {
        assumeTrue(TestData.fer2013().isPresent(), TestData.MISSING);
        FaceSet faces = faces();
        EyeFinder finder = new EyeFinder();
        EmotionRecognizer aligned = EmotionRecognizer.create(EmotionRecognizer.defaultModel(), "default",
                new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, ImageDecoder.DEFAULT_MAX_PIXELS, false, false, true));
        List<EyePair> inCrops = new ArrayList<>();
        int detected = 0;
        for (int i : PhotoComposer.usable(faces, faces.indices(Split.PUBLIC_TEST), 300)) {
            PhotoComposer.Placement p = new PhotoComposer.Placement(faces.face(i), 144, 144, 192);
            Optional<RecognizedFace> face = aligned.recognize(PhotoComposer.compose(480, 480, List.of(p), i)).stream()
                    .filter(f -> f.box().iou(p.box()) > 0.3).findFirst();
            if (face.isPresent()) {
                detected++;
                finder.find(upscaled(face.get().crop()), new FaceBox(0, 0, 192, 192)).ifPresent(inCrops::add);
            }
        }
        List<EyePair> original = fer2013Eyes(faces, finder);
        double[] cropped = {median(inCrops.stream().map(e -> e.midY() / 192).toList()),
            median(inCrops.stream().map(e -> e.distance() / 192).toList()), median(inCrops.stream().map(e -> e.midX() / 192).toList())};
        double[] fer = {median(original.stream().map(e -> e.midY() / 192).toList()),
            median(original.stream().map(e -> e.distance() / 192).toList()), median(original.stream().map(e -> e.midX() / 192).toList())};
        System.err.printf("aligned crops of %d detected faces, eyes found again in %d: midpoint y %.3f, distance %.3f, x %.3f "
                + "(FER2013: %.3f, %.3f, %.3f)%n", detected, inCrops.size(), cropped[0], cropped[1], cropped[2], fer[0], fer[1], fer[2]);
        assertTrue(inCrops.size() >= 100, "eyes found again in " + inCrops.size() + " crops");
        assertEquals(fer[0], cropped[0], 0.02, "eyes' height");
        assertEquals(fer[1], cropped[1], 0.02, "eye distance");
        assertEquals(fer[2], cropped[2], 0.02, "eyes' midpoint x");
    }

    /**
     * BlazeFace's eye keypoints on FER2013 PublicTest faces pasted at 192 px onto 480 px canvases, in sides of the pasted
     * square from its corner: where FER2013 puts the eyes by BlazeFace's measure.
     */
    private static List<EyePair> blazeFaceEyes(FaceSet faces, List<byte[]> crops) {
        FaceDetector detector = new FaceDetector(FaceDetector.Kind.BLAZEFACE, 48);
        List<EyePair> eyes = new ArrayList<>();
        int seed = 0;
        for (byte[] face : crops) {
            PhotoComposer.Placement p = new PhotoComposer.Placement(face, 144, 144, 192);
            detector.detectFaces(Images.gray(PhotoComposer.compose(480, 480, List.of(p), seed++))).stream()
                    .filter(f -> f.box().iou(p.box()) > 0.3).findFirst().flatMap(DetectedFace::eyes)
                    .ifPresent(e -> eyes.add(new EyePair((e.leftX() - 144) / 192, (e.leftY() - 144) / 192, (e.rightX() - 144) / 192,
                            (e.rightY() - 144) / 192)));
        }
        return eyes;
    }

    private static List<byte[]> publicTestFaces(FaceSet faces, int count) {
        return PhotoComposer.usable(faces, faces.indices(Split.PUBLIC_TEST), count).stream().map(faces::face).toList();
    }

    @Test
    void blazeFaceEyeTargetsAreWhereFer2013sEyesAre() {
        assumeTrue(TestData.fer2013().isPresent(), TestData.MISSING);
        List<EyePair> eyes = blazeFaceEyes(faces(), publicTestFaces(faces(), 300));
        double eyeY = median(eyes.stream().map(EyePair::midY).toList());
        double eyeX = median(eyes.stream().map(EyePair::midX).toList());
        double distance = median(eyes.stream().map(EyePair::distance).toList());
        double angle = median(eyes.stream().map(EyePair::angleDegrees).toList());
        FaceAligner shipped = FaceAligner.BLAZEFACE;
        System.err.printf("FER2013 eyes by BlazeFace in %d of 300 faces: midpoint (%.3f, %.3f), %.3f apart, %.2f degrees (shipped eyeY "
                + "%.3f, distance %.3f)%n", eyes.size(), eyeX, eyeY, distance, angle, shipped.eyeY(), shipped.eyeDistance());
        assertTrue(eyes.size() >= 250, "eyes found in " + eyes.size() + " faces");
        assertEquals(eyeY, shipped.eyeY(), 0.01, "eyeY");
        assertEquals(distance, shipped.eyeDistance(), 0.01, "eye distance");
        assertEquals(0.5, eyeX, 0.02, "eyes' midpoint x");
        assertEquals(0, angle, 2, "angle");
    }

    /** Aligned crops of composed photos, measured again by BlazeFace, put the eyes where FER2013's faces have them. */
    @Test
    void blazeFaceAlignedCropsPutTheEyesWhereFer2013Has() {
        assumeTrue(TestData.fer2013().isPresent(), TestData.MISSING);
        FaceSet faces = faces();
        EmotionRecognizer aligned = EmotionRecognizer.create(EmotionRecognizer.defaultModel(), "default",
                new EmotionRecognizer.Options(FaceDetector.Kind.BLAZEFACE, 48, ImageDecoder.DEFAULT_MAX_PIXELS, false, false, true));
        List<byte[]> crops = new ArrayList<>();
        int seed = 1000;
        for (byte[] face : publicTestFaces(faces, 200)) {
            PhotoComposer.Placement p = new PhotoComposer.Placement(face, 100, 120, 192);
            aligned.recognize(PhotoComposer.compose(480, 400, List.of(p), seed++)).stream().filter(f -> f.box().iou(p.box()) > 0.3)
                    .findFirst().ifPresent(f -> crops.add(f.crop()));
        }
        List<EyePair> inCrops = blazeFaceEyes(faces, crops);
        List<EyePair> original = blazeFaceEyes(faces, publicTestFaces(faces, 200));
        double[] cropped = {median(inCrops.stream().map(EyePair::midY).toList()), median(inCrops.stream().map(EyePair::distance).toList()),
            median(inCrops.stream().map(EyePair::midX).toList())};
        double[] fer = {median(original.stream().map(EyePair::midY).toList()), median(original.stream().map(EyePair::distance).toList()),
            median(original.stream().map(EyePair::midX).toList())};
        System.err.printf("BlazeFace-aligned crops of %d detected faces, eyes found again in %d: midpoint y %.3f, distance %.3f, x %.3f "
                + "(FER2013: %.3f, %.3f, %.3f)%n", crops.size(), inCrops.size(), cropped[0], cropped[1], cropped[2], fer[0], fer[1], fer[2]);
        assertTrue(inCrops.size() >= 150, "eyes found again in " + inCrops.size() + " crops");
        assertEquals(fer[0], cropped[0], 0.02, "eyes' height");
        assertEquals(fer[1], cropped[1], 0.02, "eye distance");
        assertEquals(fer[2], cropped[2], 0.02, "eyes' midpoint x");
    }

    private static double median(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray()[values.size() / 2];
    }

    @Test
    void regionScalesAndShiftsTheBox() {
        FaceCropper cropper = new FaceCropper(1.5, 0.1, -0.1);
        // box 100 wide at (50, 60): centre (100, 110) moves by (+10, -10) to (110, 100); side 150
        assertEquals(new FaceBox(35, 25, 150, 150), cropper.region(new FaceBox(50, 60, 100, 100)));
    }
}
