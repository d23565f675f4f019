package io.github.fer4j.task;

import io.github.fer4j.data.Emotion;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.FerPlusLabels;
import io.github.fer4j.data.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a model is asked to tell apart: Happy vs the rest (the seeds' binary task) or all seven emotions. */
public enum Task {
    HAPPY("happy", List.of("Rest", "Happy")),
    EMOTIONS("emotions", List.of("Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral")),
    /** FER+ majority-vote labels: eight classes, read from the faces' FER+ labels rather than FER2013's. */
    FERPLUS("ferplus", FerPlusLabels.CLASSES);

    private final String cliName;
    private final List<String> classNames;

    Task(String cliName, List<String> classNames) {
        this.cliName = cliName;
        this.classNames = classNames;
    }

    /** The name used on the command line and in model files. */
    public String cliName() {
        return cliName;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int classCount() {
        return classNames.size();
    }

    public boolean isBinary() {
        return classNames.size() == 2;
    }

    /** The class a FER2013 emotion belongs to in this task. */
    public int classOf(Emotion emotion) {
        return switch (this) {
            case HAPPY -> emotion == Emotion.HAPPY ? 1 : 0;
            case EMOTIONS -> emotion.id();
            case FERPLUS -> throw new IllegalStateException("FER+ classes come from the FER+ labels, not from FER2013's emotion");
        };
    }

    public int classOf(int emotionId) {
        return classOf(Emotion.ofId(emotionId));
    }

    /** The classes of the faces at {@code indices}. */
    public int[] labels(FaceSet faces, int[] indices) {
        if (this == FERPLUS && !faces.hasFerPlusLabels()) {
            throw new InvalidInputException(faces.source() + ": the ferplus task needs FER+ labels (--labels ferplus)");
        }
        int[] y = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            y[k] = this == FERPLUS ? faces.ferPlusLabel(indices[k]) : classOf(faces.emotionId(indices[k]));
        }
        return y;
    }

    public static Optional<Task> parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Task t : values()) {
            if (t.cliName.equals(key)) {
                return Optional.of(t);
            }
        }
        return switch (key) {
            case "binary", "happy-vs-rest" -> Optional.of(HAPPY);
            case "multiclass", "emotion", "7" -> Optional.of(EMOTIONS);
            case "fer+", "fer-plus" -> Optional.of(FERPLUS);
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return cliName;
    }
}
