package io.github.fer4j.data;

import java.util.Locale;
import java.util.Optional;

/** The seven FER2013 emotions, with the ids used in {@code fer2013.csv}. */
public enum Emotion {
    ANGRY("Angry", "anger", "angry", "mad"),
    DISGUST("Disgust", "disgust", "disgusted", "disgusting"),
    FEAR("Fear", "fear", "fearful", "afraid", "scared"),
    HAPPY("Happy", "happy", "happiness", "joy"),
    SAD("Sad", "sad", "sadness"),
    SURPRISE("Surprise", "surprise", "surprised"),
    NEUTRAL("Neutral", "neutral", "calm");

    /** Number of emotions, the width of a FER2013 label. */
    public static final int COUNT = 7;

    private final String displayName;
    private final String[] aliases;

    Emotion(String displayName, String... aliases) {
        this.displayName = displayName;
        this.aliases = aliases;
    }

    /** FER2013's numeric id (0 = Angry ... 6 = Neutral). */
    public int id() {
        return ordinal();
    }

    public String displayName() {
        return displayName;
    }

    public static Emotion ofId(int id) {
        return values()[id];
    }

    /** Looks an emotion up by name or common synonym, ignoring case ("happiness", "Happy", "HAPPY"). */
    public static Optional<Emotion> parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Emotion e : values()) {
            for (String alias : e.aliases) {
                if (alias.equals(key)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A label as datasets write it: a name or synonym (as {@link #parse} reads it) or FER2013's numeric id, 0 to 6
     * (a FER2013 user's labels file and image folders named 0..6 use the ids).
     */
    public static Optional<Emotion> parseLabel(String label) {
        String key = label.trim();
        if (key.length() == 1 && key.charAt(0) >= '0' && key.charAt(0) < '0' + COUNT) {
            return Optional.of(ofId(key.charAt(0) - '0'));
        }
        return parse(key);
    }

    @Override
    public String toString() {
        return displayName;
    }
}
