package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.pytorch.CnnClassifier;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Weights rounded to fp16 and stored in 16 bits: a trained network keeps its answers (same class on at least 99 % of the
 * faces, probabilities within {@link #MAX_DIFFERENCE}); the file holds {@code parameters.f16}, about half the bytes, and
 * reads back as exactly the rounded network; a network that is not fp16-exact keeps {@code parameters.djl}.
 */
class HalfPrecisionStorageTest {
    /**
     * The bound on |p_fp16 - p_fp32|. Rounding moves each weight by at most 2^-11 of itself (half a step of the 10-bit
     * fraction); each layer's output then moves by well under 0.1 % of its range, and softmax passes at most a quarter of a
     * logit change to a probability. Measured: this tiny network 1.3e-4; the shipped default's two fernet9 networks (an
     * ensemble sharpened by its temperature 0.92) 2.1e-3 on FER2013 PublicTest, with the same class on all 3,589 faces
     * and the same accuracy ({@code fer convert}, docs/models.md).
     */
    static final double MAX_DIFFERENCE = 5e-3;

    @Test
    void roundedWeightsKeepTheAnswersAndHalveTheFile() throws Exception {
        TinyTrainedCnn tiny = TinyTrainedCnn.get();
        CnnClassifier trained = tiny.trained();
        StoredCnn half = trained.stored().roundedToHalf();
        CnnModel fp32 = new OnnxRuntimeEngine().open(trained.stored());
        CnnModel fp16 = new OnnxRuntimeEngine().open(half);
        FaceSet faces = tiny.faces();
        int[] test = tiny.test();
        float[][] a = fp32.probabilities(faces, test);
        float[][] b = fp16.probabilities(faces, test);
        int same = 0;
        double max = 0;
        for (int k = 0; k < test.length; k++) {
            int ta = 0;
            int tb = 0;
            for (int c = 0; c < a[k].length; c++) {
                ta = a[k][c] > a[k][ta] ? c : ta;
                tb = b[k][c] > b[k][tb] ? c : tb;
                max = Math.max(max, Math.abs(a[k][c] - b[k][c]));
            }
            same += ta == tb ? 1 : 0;
        }
        System.out.printf("fp16 against fp32: same class on %d of %d faces, max |difference| %.2e%n", same, test.length, max);
        assertTrue(same >= 0.99 * test.length, "same class on " + same + " of " + test.length);
        assertTrue(max < MAX_DIFFERENCE, "max |fp16 - fp32| " + max);

        byte[] full = ModelFile.toBytes(fp32);
        byte[] small = ModelFile.toBytes(fp16);
        Map<String, byte[]> fullEntries = ModelFile.entries(new ByteArrayInputStream(full));
        Map<String, byte[]> smallEntries = ModelFile.entries(new ByteArrayInputStream(small));
        assertTrue(fullEntries.containsKey("parameters.djl") && !fullEntries.containsKey("parameters.f16"));
        assertTrue(smallEntries.containsKey("parameters.f16"));
        assertFalse(smallEntries.containsKey("parameters.djl"));
        assertTrue(smallEntries.get("parameters.f16").length * 1.9 < fullEntries.get("parameters.djl").length,
                smallEntries.get("parameters.f16").length + " bytes against " + fullEntries.get("parameters.djl").length);
        CnnModel back = (CnnModel) ModelFile.load(new ByteArrayInputStream(small), "fp16");
        assertArrayEquals(half.parameters(), back.stored().parameters(), "the fp16 file reads back as the rounded network");
    }
}
