package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fer4j.TestData;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Measures FER2013's framing against each detector: FER2013 PublicTest faces are pasted at 192 px onto 480 px
 * canvases and detected; the median ratio of the pasted square to the box, and the offset of their centres in box
 * widths, must match the constants {@link FaceCropper} uses.
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
