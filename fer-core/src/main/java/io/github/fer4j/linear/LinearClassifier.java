package io.github.fer4j.linear;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.features.Standardizer;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;

/**
 * A linear model on standardized features: scores = W z + b with z = (features(face) - mean) / std, turned
 * into probabilities by its loss (sigmoid or softmax). The features and the standardization fitted on
 * Training travel with the model.
 */
public abstract sealed class LinearClassifier implements Classifier permits LogisticRegression, SoftmaxRegression {
    private final String kind;
    private final Task task;
    private final FeatureExtractor features;
    private final Standardizer standardizer;
    private final LinearModel model;
    private final Loss loss;
    private final ModelInfo info;

    protected LinearClassifier(String kind, Task task, FeatureExtractor features, Standardizer standardizer,
                               LinearModel model, Loss loss, ModelInfo info) {
        this.kind = kind;
        this.task = task;
        this.features = features;
        this.standardizer = standardizer;
        this.model = model;
        this.loss = loss;
        this.info = info;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public Task task() {
        return task;
    }

    public FeatureExtractor features() {
        return features;
    }

    public Standardizer standardizer() {
        return standardizer;
    }

    public LinearModel model() {
        return model;
    }

    public Loss loss() {
        return loss;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public abstract LinearClassifier withInfo(ModelInfo info);

    @Override
    public float[] probabilities(byte[] face) {
        if (face.length != FaceSet.PIXELS) {
            throw new IllegalArgumentException("a face has " + FaceSet.PIXELS + " pixels, got " + face.length);
        }
        float[] z = new float[features.dimension()];
        features.extract(face, 0, z, 0);
        standardizer.apply(z, 0);
        float[] scores = new float[model.outputs()];
        model.scores(z, 0, scores, 0);
        float[] probs = new float[task.classCount()];
        loss.probabilities(scores, 0, model.outputs(), probs, 0);
        return probs;
    }
}
