package io.github.fer4j.data;

import java.util.Optional;

/** FER2013's {@code Usage} column: Training, PublicTest (validation) and PrivateTest (final test). */
public enum Split {
    TRAINING("Training"),
    PUBLIC_TEST("PublicTest"),
    PRIVATE_TEST("PrivateTest");

    private final String csvName;

    Split(String csvName) {
        this.csvName = csvName;
    }

    /** The name used in the csv file and on the command line. */
    public String csvName() {
        return csvName;
    }

    /** Accepts the csv names and a few spellings people type: "train", "validation", "test". */
    public static Optional<Split> parse(String name) {
        String key = name.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (key) {
            case "training", "train" -> Optional.of(TRAINING);
            case "publictest", "public", "validation", "val", "valid" -> Optional.of(PUBLIC_TEST);
            case "privatetest", "private", "test" -> Optional.of(PRIVATE_TEST);
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return csvName;
    }
}
