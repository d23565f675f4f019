package io.github.fer4j.cli;

import com.google.gson.JsonObject;
import io.github.fer4j.vision.BuiltInModels;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fer models}: the built-in models with what each measured. */
@Command(name = "models", header = "List the built-in models and what they measured", mixinStandardHelpOptions = true,
        description = "List the models inside fer4j, which --model takes by name wherever it takes a file (predict, evaluate, "
                + "evaluate-photos, serve, video, export, ensemble, fer-spark): each with its FER2013 PrivateTest accuracy and "
                + "ACA, its accuracy on the development photos, milliseconds per 640x480 photo with one face (fer predict's "
                + "engine, one thread) and its size. The numbers were measured by bench/builtin-models.sh, whose date and "
                + "machine are printed with them.")
final class ModelsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%-9s %-12s %-7s %-11s %-9s %-8s %s%n", "name", "PrivateTest", "ACA", "dev photos", "ms/photo",
                "size", "what");
        for (BuiltInModels.BuiltIn model : BuiltInModels.all()) {
            Optional<JsonObject> m = BuiltInModels.measured(model.name());
            String name = model.name() + (model.name().equals(BuiltInModels.DEFAULT) ? "*" : "");
            if (m.isEmpty()) {
                o.printf(Locale.ROOT, "%-9s %-12s %-7s %-11s %-9s %-8s %s%n", name, "-", "-", "-", "-", "-",
                        model.summary() + " (not measured)");
                continue;
            }
            JsonObject x = m.get();
            o.printf(Locale.ROOT, "%-9s %-12s %-7s %-11s %-9s %-8s %s%n", name,
                    number(x, "privateTest", "accuracy", "%.4f"), number(x, "privateTest", "aca", "%.4f"),
                    number(x, "devPhotos", "accuracy", "%.4f"), number(x, "photo", "milliseconds", "%.1f"),
                    x.has("sizeBytes") ? String.format(Locale.ROOT, "%.1f MB", x.get("sizeBytes").getAsLong() / 1e6) : "-",
                    model.summary());
        }
        JsonObject all = BuiltInModels.measuredAll();
        o.println("* the default (--model fast, or no --model)");
        if (all != null) {
            o.printf(Locale.ROOT, "measured by %s on %s, %s%n", text(all, "program"), text(all, "date"), text(all, "machine"));
            if (all.has("note")) {
                o.println(text(all, "note"));
            }
        }
        o.flush();
        return 0;
    }

    private static String number(JsonObject x, String part, String key, String format) {
        if (!x.has(part) || !x.getAsJsonObject(part).has(key)) {
            return "-";
        }
        return String.format(Locale.ROOT, format, x.getAsJsonObject(part).get(key).getAsDouble());
    }

    private static String text(JsonObject x, String key) {
        return x.has(key) ? x.get(key).getAsString() : "?";
    }
}
