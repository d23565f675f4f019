package io.github.fer4j.model;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.task.Task;
import java.util.List;

/**
 * A fitted model that reads emotions from 48x48 gray faces. Every model kind (logistic, softmax, CNN) has
 * this one calling convention, so they swap freely in evaluation, prediction and the report.
 */
public interface Classifier {
    /** The model kind as stored in model files ("logistic", "softmax", ...). */
    String kind();

    Task task();

    /** {@link #engine()} of the models fer4j computes itself, in plain Java. */
    String JAVA_ENGINE = "java";

    /** What runs the model: {@link #JAVA_ENGINE} for the models fer4j computes itself; a CNN names its engine (onnxruntime, ...). */
    default String engine() {
        return JAVA_ENGINE;
    }

    default List<String> classNames() {
        return task().classNames();
    }

    /** Probability of each class for one face (2304 gray levels, row-major); they sum to 1. */
    float[] probabilities(byte[] face);

    /** The most probable class. */
    default int predict(byte[] face) {
        return mostProbable(probabilities(face));
    }

    /** The index of the largest probability (the first one on ties). */
    static int mostProbable(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Probabilities for the faces at {@code indices}; models may override this with a faster batch path. */
    default float[][] probabilities(FaceSet faces, int[] indices) {
        float[][] out = new float[indices.length][];
        for (int k = 0; k < indices.length; k++) {
            out[k] = probabilities(faces.face(indices[k]));
        }
        return out;
    }

    /** Provenance: training configuration, data, metrics (as stored in the model file). */
    ModelInfo info();

    /** The same model with other provenance (a trainer adds the validation metrics this way). */
    Classifier withInfo(ModelInfo info);
}
