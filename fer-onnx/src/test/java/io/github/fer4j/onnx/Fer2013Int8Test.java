package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fer4j.TestData;
import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's accuracy rule for the int8 engine: the shipped model's PrivateTest accuracy (its networks all in int8) on {@code onnxruntime-int8} is
 * within 0.002 of the fp32 engine's, on all 3,589 faces. Skipped without FER2013.
 */
class Fer2013Int8Test {
    static final double ALLOWED_ACCURACY_LOSS = 0.002;

    private static Classifier onEngine(EnsembleClassifier ensemble, String engine) {
        return ensemble.mapMembers(m -> {
            try {
                return CnnEngine.named(engine).open(((CnnModel) m).stored());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void shippedCnnInInt8ScoresAsInFp32OnPrivateTest() throws Exception {
        var data = TestData.fer2013();
        assumeTrue(data.isPresent(), TestData.MISSING);
        assumeTrue(Files.isRegularFile(Fer2013ExactnessTest.SHIPPED), "the shipped model is not at "
                + Fer2013ExactnessTest.SHIPPED.toAbsolutePath());
        FaceSet faces = Fer2013Reader.read(data.get());
        int[] test = faces.indices(Split.PRIVATE_TEST);
        // The shipped model as the photo commands run it: every network of the ensemble on one engine.
        EnsembleClassifier shipped = (EnsembleClassifier) ModelFile.load(Fer2013ExactnessTest.SHIPPED);
        Classifier fp32 = onEngine(shipped, OnnxRuntimeEngine.ID);
        Classifier int8 = onEngine(shipped, OnnxInt8Engine.ID);
        assertEquals(OnnxInt8Engine.ID, int8.engine());
        Evaluation a = Evaluation.on(fp32, faces, test);
        Evaluation b = Evaluation.on(int8, faces, test);
        System.out.printf("shipped model on %d PrivateTest faces: fp32 accuracy %.4f ACA %.4f; int8 accuracy %.4f ACA %.4f%n",
                test.length, a.accuracy(), a.aca(), b.accuracy(), b.aca());
        assertTrue(Math.abs(a.accuracy() - b.accuracy()) <= ALLOWED_ACCURACY_LOSS,
                "int8 accuracy " + b.accuracy() + " against fp32 " + a.accuracy());
    }
}
