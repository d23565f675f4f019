package io.github.fer4j.train;

import io.github.fer4j.data.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * A family of models that share a trainer (the linear models and their SGD; the CNNs), found with
 * {@link ServiceLoader} as model codecs are (META-INF/services), so that code which gets a model kind as text (the
 * command line, a sweep) makes its trainer without knowing the families.
 */
public interface TrainerFamily {
    /** The model kinds it trains. */
    Set<String> kinds();

    /** The settings it takes, described; every one has a default (see the family's configuration). */
    List<Setting> settings();

    /** The names of {@link #settings()}. */
    default Set<String> settingNames() {
        Set<String> names = new TreeSet<>();
        settings().forEach(s -> names.add(s.name()));
        return names;
    }

    /** A trainer of {@code kind}; a setting it does not take, or a bad value, is an IllegalArgumentException naming it. */
    Trainer trainer(String kind, Settings settings);

    /** Every family on the class path. */
    static List<TrainerFamily> all() {
        List<TrainerFamily> out = new ArrayList<>();
        ServiceLoader.load(TrainerFamily.class).forEach(out::add);
        return out;
    }

    /** Every model kind that can be trained here, sorted. */
    static Set<String> trainableKinds() {
        Set<String> kinds = new TreeSet<>();
        all().forEach(f -> kinds.addAll(f.kinds()));
        return kinds;
    }

    /** The family that trains {@code kind}; an unknown kind is an InvalidInputException listing the known ones. */
    static TrainerFamily of(String kind) {
        for (TrainerFamily family : all()) {
            if (family.kinds().contains(kind)) {
                return family;
            }
        }
        throw new InvalidInputException("unknown model kind '" + kind + "' (expected one of " + String.join(", ", trainableKinds()) + ")");
    }

    /** Refuses the settings a family does not take, naming them and the family that does. */
    static void requireKnown(String kind, Settings settings, Set<String> known) {
        Set<String> unknown = settings.unknown(known);
        if (unknown.isEmpty()) {
            return;
        }
        List<String> reasons = new ArrayList<>();
        for (String name : unknown) {
            List<String> owners = new ArrayList<>();
            for (TrainerFamily f : all()) {
                if (f.settingNames().contains(name)) {
                    owners.addAll(new TreeSet<>(f.kinds()));
                }
            }
            reasons.add("--" + name + (owners.isEmpty() ? " is not a training setting"
                    : " does not apply to --model " + kind + ": it is for --model " + String.join(" or ", owners)));
        }
        throw new IllegalArgumentException(String.join("; ", reasons));
    }
}
