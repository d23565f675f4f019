package io.github.fer4j.linear;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Split;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.features.FeatureMatrix;
import io.github.fer4j.features.PixelFeatures;
import io.github.fer4j.features.Standardizer;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import io.github.fer4j.train.Trainer;
import io.github.fer4j.train.TrainingListener;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Trains a linear model on standardized features: the features and their standardization are fitted on Training,
 * the weights by {@link SgdTrainer} under the model's loss (the objective, kept apart from the optimizer), with
 * validation and early stopping on PublicTest when the faces have it. The validation metrics go into the model's
 * info.
 */
public final class LinearTrainer implements Trainer {
    /** The two linear models: the loss they are trained on and how a fitted one is built. */
    public enum Objective {
        LOGISTIC(LogisticRegression.KIND, new SigmoidCrossEntropy()),
        SOFTMAX(SoftmaxRegression.KIND, new SoftmaxCrossEntropy());

        private final String kind;
        private final Loss loss;

        Objective(String kind, Loss loss) {
            this.kind = kind;
            this.loss = loss;
        }

        public String kind() {
            return kind;
        }

        /** The objective of a model kind ("logistic" or "softmax"). */
        public static Objective of(String kind) {
            for (Objective o : values()) {
                if (o.kind.equals(kind)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("not a linear model kind: '" + kind + "'");
        }

        /** How many outputs (weight rows) this kind has for a task; IllegalArgumentException if it cannot learn it. */
        int outputs(Task task) {
            return loss.outputs(task.classCount());
        }

        LinearClassifier build(Task task, FeatureExtractor features, Standardizer standardizer, LinearModel model,
                               ModelInfo info) {
            return this == LOGISTIC ? new LogisticRegression(task, features, standardizer, model, info)
                    : new SoftmaxRegression(task, features, standardizer, model, info);
        }
    }

    private final Objective objective;
    private final FeatureExtractor features;
    private final SgdConfig config;

    public LinearTrainer(Objective objective, FeatureExtractor features, SgdConfig config) {
        this.objective = objective;
        this.features = features;
        this.config = config;
    }

    /** Happy-vs-rest (or any two-class) logistic regression on standardized pixels. */
    public static LinearTrainer logistic(SgdConfig config) {
        return new LinearTrainer(Objective.LOGISTIC, new PixelFeatures(), config);
    }

    /** Softmax regression on standardized pixels. */
    public static LinearTrainer softmax(SgdConfig config) {
        return new LinearTrainer(Objective.SOFTMAX, new PixelFeatures(), config);
    }

    public LinearTrainer withFeatures(FeatureExtractor features) {
        return new LinearTrainer(objective, features, config);
    }

    public SgdConfig config() {
        return config;
    }

    @Override
    public String kind() {
        return objective.kind();
    }

    @Override
    public String describe(Task task) {
        int outputs = objective.loss.outputs(task.classCount());
        return String.format(Locale.ROOT, "%s regression on %s features: %,d inputs x %d outputs + %d biases = %,d parameters%n",
                kind(), features.name(), features.dimension(), outputs, outputs, (long) (features.dimension() + 1) * outputs);
    }

    @Override
    public void checkTask(Task task) {
        if (objective == Objective.LOGISTIC && !task.isBinary()) {
            throw new IllegalArgumentException("logistic regression separates two classes; task '" + task
                    + "' has " + task.classCount() + " (use --task happy, or softmax)");
        }
    }

    @Override
    public Optional<Classifier> fit(FaceSet faces, Task task, List<TrainingListener> listeners) {
        checkTask(task);
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
        SgdTrainer.Result result = new SgdTrainer(objective.loss, config, listeners)
                .fit(train, trainLabels, validation, task.labels(faces, valIdx), task.classCount());
        if (result.paused()) {
            return Optional.empty();
        }
        ModelInfo info = ModelInfo.trained(
                new ModelInfo.TrainingRecord(config.toJson(), result.bestEpoch(), result.stoppedEarly(), null),
                new ModelInfo.DataProvenance(faces.source(), faces.sha256(), trainIdx.length, valIdx.length,
                        ModelInfo.DataProvenance.shares(task.classNames(), trainLabels)));
        LinearClassifier model = objective.build(task, features, standardizer, result.model(), info);
        if (valIdx.length > 0) {
            model = model.withInfo(info.withMetrics(Split.PUBLIC_TEST.csvName(), Evaluation.on(model, faces, valIdx).summary()));
        }
        return Optional.of(model);
    }
}
