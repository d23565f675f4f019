package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fer4j.TestData;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.MetricsSummary;
import io.github.fer4j.pytorch.CnnClassifier;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The model inside the jar, measured again on real FER2013 on every run: its recorded PublicTest metrics must be
 * what it really scores, and it must hold its PrivateTest accuracy (the split it was never tuned on).
 */
class DefaultModelGateTest {
    /**
     * Measured for the shipped ensemble of two fernet9 networks (PrivateTest 0.6977, see the README), less the 0.005
     * issue 11 allows; the single fernet9 it replaced scored 0.6818, under this gate.
     */
    static final double PRIVATE_TEST_ACCURACY = 0.6927;

    @Test
    void theShippedEnsembleScoresWhatItsFileSays() throws Exception {
        Optional<Path> file = TestData.fer2013();
        if (file.isEmpty()) {
            System.err.println(TestData.MISSING);
        }
        assumeTrue(file.isPresent(), TestData.MISSING);
        FaceSet faces = Fer2013Reader.read(file.get());
        Classifier model = EmotionRecognizer.defaultModel();
        assertEquals(EnsembleClassifier.KIND, model.kind());
        EnsembleClassifier ensemble = (EnsembleClassifier) model;
        assertEquals(2, ensemble.members().size());
        ensemble.members().forEach(m -> assertEquals(CnnClassifier.KIND, m.kind()));

        Evaluation publicTest = Evaluation.on(model, faces, faces.indices(Split.PUBLIC_TEST));
        MetricsSummary recorded = model.info().metrics().get("PublicTest");
        assertEquals(recorded.accuracy(), publicTest.accuracy(), 1e-3, "recorded PublicTest accuracy");
        assertEquals(recorded.aca(), publicTest.aca(), 1e-3, "recorded PublicTest ACA");

        Evaluation privateTest = Evaluation.on(model, faces, faces.indices(Split.PRIVATE_TEST));
        System.err.printf("default model: PublicTest %.4f (ACA %.4f), PrivateTest %.4f (ACA %.4f)%n", publicTest.accuracy(),
                publicTest.aca(), privateTest.accuracy(), privateTest.aca());
        assertTrue(privateTest.accuracy() >= PRIVATE_TEST_ACCURACY, "PrivateTest accuracy " + privateTest.accuracy());

        Classifier flip = ensemble.mapMembers(m -> ((io.github.fer4j.cnn.CnnModel) m).withTestTimeAugmentation(TestTimeAugmentation.FLIP));
        Evaluation flipped = Evaluation.on(flip, faces, faces.indices(Split.PRIVATE_TEST));
        System.err.printf("default model + TTA flip: PrivateTest %.4f (ACA %.4f)%n", flipped.accuracy(), flipped.aca());
        assertTrue(flipped.accuracy() >= PRIVATE_TEST_ACCURACY, "PrivateTest accuracy with flip " + flipped.accuracy());
    }
}
