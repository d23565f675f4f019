package io.github.fer4j.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Training settings by name, as a user gives them (the command line's options without their dashes, a sweep's cell):
 * {@code epochs=30}, {@code lr=0.01}, {@code augment=none}. A {@link TrainerFamily} reads the ones it knows into its
 * typed configuration and refuses the rest by name, so nothing given is ever silently ignored; a setting not given
 * takes the family's default.
 */
public final class Settings {
    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** Pairs of name and value: {@code Settings.of("epochs", "3", "lr", "0.01")}. */
    public static Settings of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("settings come in name, value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Settings(map);
    }

    public Settings with(String name, Object value) {
        Map<String, String> map = new LinkedHashMap<>(values);
        map.put(name, String.valueOf(value));
        return new Settings(map);
    }

    public Set<String> names() {
        return values.keySet();
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The names given that are not among {@code known}, sorted. */
    public Set<String> unknown(Set<String> known) {
        Set<String> out = new TreeSet<>(values.keySet());
        out.removeAll(known);
        return out;
    }

    public String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return parsed(name, fallback, Integer::parseInt, "a whole number");
    }

    public long whole(String name, long fallback) {
        return parsed(name, fallback, Long::parseLong, "a whole number");
    }

    public double number(String name, double fallback) {
        return parsed(name, fallback, Double::parseDouble, "a number");
    }

    private <T> T parsed(String name, T fallback, Function<String, T> parse, String what) {
        String v = values.get(name);
        try {
            return v == null ? fallback : parse.apply(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": '" + v + "' is not " + what);
        }
    }

    /** A switch: given without a value or as true. */
    public boolean flag(String name) {
        String v = values.get(name);
        return v != null && (v.isEmpty() || Boolean.parseBoolean(v.trim()));
    }

    /** {@code none} or {@code balanced}. */
    public ClassWeights classWeights(String name) {
        String v = values.getOrDefault(name, "none");
        try {
            return ClassWeights.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --" + name + " '" + v + "' (expected none or balanced)");
        }
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
