package io.github.fer4j.pytorch;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.train.EpochStats;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.model.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipOutputStream;

/**
 * Everything a CNN run needs to go on exactly where it stopped, written atomically after every epoch: the
 * configuration and data it was started with, the epoch and step reached, the parameters, the optimizer's
 * velocities, the best epoch so far with its parameters, and the history.
 */
record Checkpoint(JsonObject run, int epoch, long step, int bestEpoch, double bestAccuracy, List<EpochStats> history,
                  byte[] parameters, byte[] bestParameters, byte[] optimizer) {
    static final String FORMAT = "fer4j-cnn-checkpoint";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    void write(Path file) throws IOException {
        JsonObject state = new JsonObject();
        state.addProperty("format", FORMAT);
        state.add("run", run);
        state.addProperty("epoch", epoch);
        state.addProperty("step", step);
        state.addProperty("bestEpoch", bestEpoch);
        state.addProperty("bestAccuracy", bestAccuracy);
        JsonArray rows = new JsonArray();
        for (EpochStats s : history) {
            rows.add(GSON.toJsonTree(s));
        }
        state.add("history", rows);
        byte[] json = GSON.toJson(state).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                ModelFile.put(zip, "state.json", json);
                ModelFile.put(zip, "parameters.djl", parameters);
                ModelFile.put(zip, "best.djl", bestParameters);
                ModelFile.put(zip, "optimizer.bin", optimizer);
            }
        });
    }

    /** Reads a checkpoint; anything missing or damaged is an InvalidInputException naming the file. */
    static Checkpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.at(file, "no checkpoint to resume from");
        }
        Map<String, byte[]> entries;
        try (InputStream raw = Files.newInputStream(file)) {
            entries = ModelFile.entries(raw);
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read checkpoint: " + e.getMessage());
        }
        for (String name : List.of("state.json", "parameters.djl", "best.djl", "optimizer.bin")) {
            if (!entries.containsKey(name)) {
                throw InvalidInputException.at(file, "not a fer4j CNN checkpoint (no " + name + " inside)");
            }
        }
        try {
            JsonObject state = JsonParser.parseString(new String(entries.get("state.json"), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            if (!state.has("format") || !FORMAT.equals(state.get("format").getAsString())) {
                throw InvalidInputException.at(file, "not a fer4j CNN checkpoint (format field missing or wrong)");
            }
            JsonObject run = state.getAsJsonObject("run");
            if (run == null) {
                throw InvalidInputException.at(file, "damaged checkpoint state.json: no run settings");
            }
            List<EpochStats> history = new ArrayList<>();
            for (JsonElement row : state.getAsJsonArray("history")) {
                EpochStats stats = GSON.fromJson(row, EpochStats.class);
                if (stats == null) {
                    throw InvalidInputException.at(file, "damaged checkpoint state.json: an empty history row");
                }
                history.add(stats);
            }
            return new Checkpoint(run, state.get("epoch").getAsInt(), state.get("step").getAsLong(),
                    state.get("bestEpoch").getAsInt(), state.get("bestAccuracy").getAsDouble(), history,
                    entries.get("parameters.djl"), entries.get("best.djl"), entries.get("optimizer.bin"));
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                 | ClassCastException | NumberFormatException e) {
            // Gson's answers to a field that is missing (null), of the wrong type or not a number.
            throw InvalidInputException.at(file, "damaged checkpoint state.json: " + e.getMessage());
        }
    }

    /** Names each setting that differs between the run that wrote the checkpoint and the one asked for. */
    static List<String> differences(JsonObject saved, JsonObject asked) {
        List<String> out = new ArrayList<>();
        for (String key : asked.keySet()) {
            JsonElement a = asked.get(key);
            JsonElement s = saved.get(key);
            if (!a.equals(s)) {
                out.add(key + " (checkpoint: " + s + ", now: " + a + ")");
            }
        }
        for (String key : saved.keySet()) {
            if (!asked.has(key)) {
                out.add(key + " (checkpoint: " + saved.get(key) + ", now: none)");
            }
        }
        return out;
    }
}
