package io.github.fer4j.linear;

import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.features.Standardizer;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;

/** Binary logistic regression: p(positive) = sigmoid(w . z + b), trained on binary cross-entropy. Trained by {@link LinearTrainer}. */
public final class LogisticRegression extends LinearClassifier {
    public static final String KIND = "logistic";

    LogisticRegression(Task task, FeatureExtractor features, Standardizer standardizer, LinearModel model, ModelInfo info) {
        super(KIND, task, features, standardizer, model, new SigmoidCrossEntropy(), info);
    }

    @Override
    public LogisticRegression withInfo(ModelInfo info) {
        return new LogisticRegression(task(), features(), standardizer(), model(), info);
    }
}
