package io.github.fer4j.train;

/**
 * One training setting a {@link TrainerFamily} takes, as a user sees it: its name (the command line's option without
 * dashes), what its value looks like ({@code null} for a switch that takes none), and what it does with its default.
 * The command line is built from these, so the families are the one place their options are described.
 */
public record Setting(String name, String label, String description) {
    public static Setting value(String name, String label, String description) {
        return new Setting(name, label, description);
    }

    public static Setting flag(String name, String description) {
        return new Setting(name, null, description);
    }

    public boolean isFlag() {
        return label == null;
    }
}
