package io.github.fer4j.linear;

import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Split;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.features.FeatureMatrix;
import io.github.fer4j.features.Standardizer;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.task.Task;
import java.util.List;

/**
 * A linear model on standardized features: scores = W z + b with z = (features(face) - mean) / std, turned
 * into probabilities by its loss (sigmoid or softmax). The features and the standardization fitted on
 * Training travel with the model.
 */
public class LinearClassifier implements Classifier {
    private final String kind;
    private final Task task;
    private final FeatureExtractor features;
    private final Standardizer standardizer;
    private final LinearModel model;
    private final Loss loss;
    private final JsonObject info;

    protected LinearClassifier(String kind, Task task, FeatureExtractor features, Standardizer standardizer,
                               LinearModel model, Loss loss, JsonObject info) {
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
    public JsonObject info() {
        return info.deepCopy();
    }

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

    /**
     * Fits a linear model: features and standardization on Training, SGD on Training, validation and early
     * stopping on PublicTest (when the set has it). The validation metrics go into the model's info.
     */
    static JsonObject fitInto(FaceSet faces, Task task, FeatureExtractor features, Loss loss, SgdConfig config,
                              List<TrainingListener> listeners, Fitted out) {
        int[] trainIdx = faces.indices(Split.TRAINING);
        if (trainIdx.length == 0) {
            throw new InvalidInputException(faces.source() + ": no Training faces to learn from");
        }
        int[] valIdx = faces.indices(Split.PUBLIC_TEST);
        FeatureMatrix train = FeatureMatrix.of(faces, trainIdx, features);
        Standardizer standardizer = Standardizer.fit(train.values(), train.rows(), train.columns());
        standardizer.applyInPlace(train.values(), train.rows());
        FeatureMatrix validation = null;
        if (valIdx.length > 0) {
            validation = FeatureMatrix.of(faces, valIdx, features);
            standardizer.applyInPlace(validation.values(), validation.rows());
        }
        int[] trainLabels = task.labels(faces, trainIdx);
        int[] valLabels = task.labels(faces, valIdx);
        SgdTrainer.Result result = new SgdTrainer(loss, config, listeners)
                .fit(train, trainLabels, validation, valLabels, task.classCount());
        out.standardizer = standardizer;
        out.model = result.model();

        JsonObject info = new JsonObject();
        JsonObject training = new JsonObject();
        training.addProperty("optimizer", "sgd");
        training.addProperty("epochs", config.epochs());
        training.addProperty("batchSize", config.batchSize());
        training.addProperty("learningRate", config.learningRate().at(0));
        training.addProperty("schedule", config.learningRate().describe());
        training.addProperty("l2", config.l2());
        training.addProperty("momentum", config.momentum());
        training.addProperty("classWeights", config.classWeights().name().toLowerCase(java.util.Locale.ROOT));
        training.addProperty("earlyStoppingPatience", config.patience());
        training.addProperty("seed", config.seed());
        training.addProperty("bestEpoch", result.bestEpoch());
        training.addProperty("stoppedEarly", result.stoppedEarly());
        info.add("training", training);
        JsonObject data = new JsonObject();
        data.addProperty("source", faces.source());
        data.addProperty("sha256", faces.sha256());
        data.addProperty("trainingFaces", trainIdx.length);
        data.addProperty("validationFaces", valIdx.length);
        info.add("data", data);
        info.addProperty("fer4jVersion", Version.current());
        out.valIdx = valIdx;
        return info;
    }

    /** Adds the validation metrics of a fitted model to its info. */
    static void addValidationMetrics(LinearClassifier model, FaceSet faces, int[] valIdx) {
        if (valIdx.length == 0) {
            return;
        }
        JsonObject metrics = new JsonObject();
        metrics.add(Split.PUBLIC_TEST.csvName(), Evaluation.on(model, faces, valIdx).summary());
        model.info.add("metrics", metrics);
    }

    /** The pieces a fit produces, handed from {@link #fitInto} to the concrete model's constructor. */
    static final class Fitted {
        Standardizer standardizer;
        LinearModel model;
        int[] valIdx;
    }
}
