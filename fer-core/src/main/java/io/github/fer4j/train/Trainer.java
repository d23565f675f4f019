package io.github.fer4j.train;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Fits one kind of model: the single training convention of fer4j (as {@code fit} is scikit-learn's and
 * {@code Trainer.train} Tribuo's). A trainer holds its configuration, fixed when it is made; {@link #fit} learns on the
 * Training split, validates on PublicTest when the faces have it, keeps the epoch its {@link EpochSelection} picks,
 * and reports every epoch to the listeners. Same configuration, seed and data give the same model.
 */
public interface Trainer {
    /** The kind of model it makes, as stored in model files ("logistic", "softmax", "cnn"). */
    String kind();

    /** Refuses a task this trainer cannot learn (IllegalArgumentException with the reason), before any data is read. */
    default void checkTask(Task task) {
    }

    /** A few lines on what will be trained: the model's layout and size, for {@code fer train --describe}. */
    String describe(Task task);

    /**
     * Trains a model. Returns empty only when a listener paused the run before its last epoch (see {@link Sitting});
     * a trainer that can resume has then handed its state to the {@link Checkpoints} listener.
     */
    Optional<Classifier> fit(FaceSet faces, Task task, List<TrainingListener> listeners) throws IOException;

    /** Whether {@link #resume} can go on from a checkpoint. */
    default boolean resumable() {
        return false;
    }

    /**
     * Goes on with a run from the checkpoint an earlier {@link #fit} or resume wrote, with the same configuration and
     * data, exactly where it stopped.
     */
    default Optional<Classifier> resume(FaceSet faces, Task task, Path checkpoint, List<TrainingListener> listeners)
            throws IOException {
        throw new UnsupportedOperationException(kind() + " training cannot be resumed");
    }

    /** {@link #fit} for a run that no listener pauses. */
    default Classifier fitAll(FaceSet faces, Task task, List<TrainingListener> listeners) throws IOException {
        return fit(faces, task, listeners).orElseThrow(() -> new IllegalStateException("the run was paused"));
    }
}
