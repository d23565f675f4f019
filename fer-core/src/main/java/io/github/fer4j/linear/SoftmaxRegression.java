package io.github.fer4j.linear;

import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.features.Standardizer;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;

/** Multinomial (softmax) regression: p = softmax(W z + b), trained on cross-entropy. Trained by {@link LinearTrainer}. */
public final class SoftmaxRegression extends LinearClassifier {
    public static final String KIND = "softmax";

    SoftmaxRegression(Task task, FeatureExtractor features, Standardizer standardizer, LinearModel model, ModelInfo info) {
        super(KIND, task, features, standardizer, model, new SoftmaxCrossEntropy(), info);
    }

    @Override
    public SoftmaxRegression withInfo(ModelInfo info) {
        return new SoftmaxRegression(task(), features(), standardizer(), model(), info);
    }
}
