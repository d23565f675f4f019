package io.github.fer4j.cli;

import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.model.Classifier;
import picocli.CommandLine.Option;

/** {@code --tta}: test-time augmentation for CNN models (evaluate, predict, evaluate-photos, serve). */
final class TtaOption {
    @Option(names = "--tta", paramLabel = "none|flip|crops",
            description = "CNN models: average over views of each face: none (centre crop), flip (and its mirror) or crops (ten: centre and corners, each mirrored). Default: as stored in the model file.")
    String tta;

    /** The model with the views asked for; asking for views of a model that has none is an error. */
    Classifier apply(Classifier model) {
        if (tta == null) {
            return model;
        }
        TestTimeAugmentation mode;
        try {
            mode = TestTimeAugmentation.named(tta);
        } catch (IllegalArgumentException e) {
            throw new io.github.fer4j.data.InvalidInputException("--tta: " + e.getMessage());
        }
        if (model instanceof CnnModel cnn) {
            return cnn.withTestTimeAugmentation(mode);
        }
        if (model instanceof EnsembleClassifier ensemble && ensemble.members().stream().anyMatch(m -> m instanceof CnnModel)) {
            // The views apply to each CNN member; the others read the face as it is.
            return ensemble.mapMembers(m -> m instanceof CnnModel cnn ? cnn.withTestTimeAugmentation(mode) : m);
        }
        if (mode != TestTimeAugmentation.NONE) {
            throw new io.github.fer4j.data.InvalidInputException("--tta " + tta + ": test-time augmentation is for cnn models; this one is "
                    + model.kind());
        }
        return model;
    }
}
