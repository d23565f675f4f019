package io.github.fer4j.linear;

import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.features.Standardizer;
import io.github.fer4j.task.Task;
import java.util.List;

/** Multinomial (softmax) regression: p = softmax(W z + b), trained on cross-entropy. */
public final class SoftmaxRegression extends LinearClassifier {
    public static final String KIND = "softmax";

    SoftmaxRegression(Task task, FeatureExtractor features, Standardizer standardizer, LinearModel model,
                      JsonObject info) {
        super(KIND, task, features, standardizer, model, new SoftmaxCrossEntropy(), info);
    }

    /** Fits on the Training faces of any task (see {@link LinearClassifier}). */
    public static SoftmaxRegression fit(FaceSet faces, Task task, FeatureExtractor features, SgdConfig config,
                                        List<TrainingListener> listeners) {
        Fitted fitted = new Fitted();
        JsonObject info = fitInto(faces, task, features, new SoftmaxCrossEntropy(), config, listeners, fitted);
        SoftmaxRegression model = new SoftmaxRegression(task, features, fitted.standardizer, fitted.model, info);
        addValidationMetrics(model, faces, fitted.valIdx);
        return model;
    }
}
