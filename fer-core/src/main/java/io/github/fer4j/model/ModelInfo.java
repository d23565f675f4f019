package io.github.fer4j.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The data the model learned from, as the file says it.
     *
     * @param classShares the share of each class (by name) among the training faces' labels; empty when unknown (files
     *                    written before fer4j recorded it). Photo commands use it to undo part of the training data's
     *                    class balance ({@code EmotionRecognizer.Options#priorCorrection}).
     */
    public record DataProvenance(String source, String sha256, int trainingFaces, int validationFaces,
                                 Map<String, Double> classShares) {
        public DataProvenance {
            classShares = Collections.unmodifiableMap(new LinkedHashMap<>(classShares));
        }

        /** Without class shares. */
        public DataProvenance(String source, String sha256, int trainingFaces, int validationFaces) {
            this(source, sha256, trainingFaces, validationFaces, Map.of());
        }

        /** The share of each of {@code classNames} among {@code labels} (indices into it). */
        public static Map<String, Double> shares(List<String> classNames, int[] labels) {
            long[] counts = new long[classNames.size()];
            for (int label : labels) {
                counts[label]++;
            }
            Map<String, Double> shares = new LinkedHashMap<>();
            for (int c = 0; c < counts.length; c++) {
                shares.put(classNames.get(c), labels.length == 0 ? 0.0 : (double) counts[c] / labels.length);
            }
            return shares;
        }

        public JsonObject toJson() {
            JsonObject data = new JsonObject();
            data.addProperty("source", source);
            data.addProperty("sha256", sha256);
            data.addProperty("trainingFaces", trainingFaces);
            data.addProperty("validationFaces", validationFaces);
            if (!classShares.isEmpty()) {
                JsonObject shares = new JsonObject();
                classShares.forEach(shares::addProperty);
                data.add("classShares", shares);
            }
            return data;
        }

        static DataProvenance fromJson(JsonObject json) {
            Map<String, Double> shares = new LinkedHashMap<>();
            if (json.has("classShares") && json.get("classShares").isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("classShares").entrySet()) {
                    double share = e.getValue().getAsDouble();
                    if (!(share >= 0 && share <= 1)) {
                        throw new IllegalArgumentException("info.data.classShares." + e.getKey() + " is " + share + ", not a share in [0, 1]");
                    }
                    shares.put(e.getKey(), share);
                }
            }
            return new DataProvenance(text(json, "source"), text(json, "sha256"), count(json, "trainingFaces"),
                    count(json, "validationFaces"), shares);
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
