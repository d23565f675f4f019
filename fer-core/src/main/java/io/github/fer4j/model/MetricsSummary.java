package io.github.fer4j.model;

import com.google.gson.JsonObject;

/**
 * The headline numbers of a model on one split, as model files store them: faces, accuracy, ACA, macro F1, and for a
 * two-class task also F1 of the positive class, average precision and ROC AUC (NaN otherwise).
 */
public record MetricsSummary(long faces, double accuracy, double aca, double macroF1, double f1, double averagePrecision,
                             double rocAuc) {
    public boolean isBinary() {
        return !Double.isNaN(f1);
    }

    public JsonObject toJson() {
        JsonObject out = new JsonObject();
        out.addProperty("faces", faces);
        out.addProperty("accuracy", accuracy);
        out.addProperty("aca", aca);
        out.addProperty("macroF1", macroF1);
        if (isBinary()) {
            out.addProperty("f1", f1);
            out.addProperty("averagePrecision", averagePrecision);
            out.addProperty("rocAuc", rocAuc);
        }
        return out;
    }

    public static MetricsSummary fromJson(JsonObject json) {
        return new MetricsSummary(json.get("faces").getAsLong(), json.get("accuracy").getAsDouble(),
                json.get("aca").getAsDouble(), json.get("macroF1").getAsDouble(), number(json, "f1"),
                number(json, "averagePrecision"), number(json, "rocAuc"));
    }

    private static double number(JsonObject json, String key) {
        return json.has(key) ? json.get(key).getAsDouble() : Double.NaN;
    }
}
