package io.github.fer4j.linear;

import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.features.Standardizer;
import io.github.fer4j.task.Task;
import java.util.List;

/** Binary logistic regression: p(positive) = sigmoid(w . z + b), trained on binary cross-entropy. */
public final class LogisticRegression extends LinearClassifier {
    public static final String KIND = "logistic";

    LogisticRegression(Task task, FeatureExtractor features, Standardizer standardizer, LinearModel model,
                       JsonObject info) {
        super(KIND, task, features, standardizer, model, new SigmoidCrossEntropy(), info);
    }

    /** Fits on the Training faces of a two-class task (see {@link LinearClassifier}). */
    public static LogisticRegression fit(FaceSet faces, Task task, FeatureExtractor features, SgdConfig config,
                                         List<TrainingListener> listeners) {
        if (!task.isBinary()) {
            throw new IllegalArgumentException("logistic regression separates two classes; task '" + task
                    + "' has " + task.classCount() + " (use softmax)");
        }
        Fitted fitted = new Fitted();
        JsonObject info = fitInto(faces, task, features, new SigmoidCrossEntropy(), config, listeners, fitted);
        LogisticRegression model = new LogisticRegression(task, features, fitted.standardizer, fitted.model, info);
        addValidationMetrics(model, faces, fitted.valIdx);
        return model;
    }
}
