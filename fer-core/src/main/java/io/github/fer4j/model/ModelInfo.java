package io.github.fer4j.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a model comes from, as stored under {@code info} in its file: how it was trained, on which data, how it
 * scored, and which fer4j made it. Immutable; {@link #withMetrics} makes a new one. {@link #toJson} and
 * {@link #fromJson} are the one mapping to and from the model file, which also reads files written before this record
 * existed (the same keys).
 *
 * @param training     the configuration and how the run went; null for a model that was not trained by fer4j
 * @param data         the faces it learned from; null when unknown
 * @param metrics      headline metrics by split name ("PublicTest"), in the order they were added
 * @param fer4jVersion the version that trained it; null when unknown
 */
public record ModelInfo(TrainingRecord training, DataProvenance data, Map<String, MetricsSummary> metrics,
                        String fer4jVersion) {
    public static final ModelInfo NONE = new ModelInfo(null, null, Map.of(), null);

    public ModelInfo {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A newly trained model's info, with this fer4j's version. */
    public static ModelInfo trained(TrainingRecord training, DataProvenance data) {
        return new ModelInfo(training, data, Map.of(), Version.current());
    }

    public ModelInfo withMetrics(String split, MetricsSummary summary) {
        Map<String, MetricsSummary> m = new LinkedHashMap<>(metrics);
        m.put(split, summary);
        return new ModelInfo(training, data, m, fer4jVersion);
    }

    /** The data the model learned from, as the file says it. */
    public record DataProvenance(String source, String sha256, int trainingFaces, int validationFaces) {
        public JsonObject toJson() {
            JsonObject data = new JsonObject();
            data.addProperty("source", source);
            data.addProperty("sha256", sha256);
            data.addProperty("trainingFaces", trainingFaces);
            data.addProperty("validationFaces", validationFaces);
            return data;
        }

        static DataProvenance fromJson(JsonObject json) {
            return new DataProvenance(text(json, "source"), text(json, "sha256"), count(json, "trainingFaces"),
                    count(json, "validationFaces"));
        }
    }

    /**
     * A training run: the trainer's settings (its configuration as it writes it) and how the run ended.
     *
     * @param settings     the configuration, as the family's own JSON form (read-only: a copy is handed out)
     * @param bestEpoch    the epoch whose model was kept
     * @param stoppedEarly whether early stopping ended the run (null when the trainer has no early stopping)
     * @param seconds      the run's wall-clock seconds (null when not recorded, as in the linear models, whose files
     *                     are the same bytes for the same seed and data)
     */
    public record TrainingRecord(JsonObject settings, int bestEpoch, Boolean stoppedEarly, Double seconds) {
        public TrainingRecord {
            settings = settings.deepCopy();
        }

        @Override
        public JsonObject settings() {
            return settings.deepCopy();
        }

        public JsonObject toJson() {
            JsonObject json = settings.deepCopy();
            json.addProperty("bestEpoch", bestEpoch);
            if (stoppedEarly != null) {
                json.addProperty("stoppedEarly", stoppedEarly);
            }
            if (seconds != null) {
                json.addProperty("seconds", seconds);
            }
            return json;
        }

        static TrainingRecord fromJson(JsonObject json) {
            JsonObject settings = json.deepCopy();
            settings.remove("bestEpoch");
            settings.remove("stoppedEarly");
            settings.remove("seconds");
            return new TrainingRecord(settings, json.has("bestEpoch") ? json.get("bestEpoch").getAsInt() : 0,
                    json.has("stoppedEarly") ? json.get("stoppedEarly").getAsBoolean() : null,
                    json.has("seconds") ? json.get("seconds").getAsDouble() : null);
        }
    }

    public JsonObject toJson() {
        JsonObject info = new JsonObject();
        if (training != null) {
            info.add("training", training.toJson());
        }
        if (data != null) {
            info.add("data", data.toJson());
        }
        if (fer4jVersion != null) {
            info.addProperty("fer4jVersion", fer4jVersion);
        }
        if (!metrics.isEmpty()) {
            JsonObject m = new JsonObject();
            metrics.forEach((split, summary) -> m.add(split, summary.toJson()));
            info.add("metrics", m);
        }
        return info;
    }

    /** Reads the {@code info} object of a model file (missing parts stay null or empty). */
    public static ModelInfo fromJson(JsonObject info) {
        if (info == null) {
            return NONE;
        }
        Map<String, MetricsSummary> metrics = new LinkedHashMap<>();
        if (info.has("metrics")) {
            for (Map.Entry<String, JsonElement> e : info.getAsJsonObject("metrics").entrySet()) {
                metrics.put(e.getKey(), MetricsSummary.fromJson(e.getValue().getAsJsonObject()));
            }
        }
        return new ModelInfo(info.has("training") ? TrainingRecord.fromJson(info.getAsJsonObject("training")) : null,
                info.has("data") ? DataProvenance.fromJson(info.getAsJsonObject("data")) : null, metrics,
                info.has("fer4jVersion") ? info.get("fer4jVersion").getAsString() : null);
    }

    private static String text(JsonObject json, String key) {
        return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsString() : "";
    }

    private static int count(JsonObject json, String key) {
        return json.has(key) ? json.get(key).getAsInt() : 0;
    }
}
