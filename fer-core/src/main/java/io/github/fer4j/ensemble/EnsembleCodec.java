package io.github.fer4j.ensemble;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelCodec;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model-file entries of an ensemble: each member as a whole model file ({@code member-N.fer}), and in model.json the
 * members' names and weights and the temperature. A member is read by whatever codec its kind has.
 */
public final class EnsembleCodec implements ModelCodec {
    @Override
    public Set<String> kinds() {
        return Set.of(EnsembleClassifier.KIND);
    }

    @Override
    public Encoded encode(Classifier model) throws IOException {
        EnsembleClassifier ensemble = (EnsembleClassifier) model;
        JsonArray members = new JsonArray();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        double[] weights = ensemble.weights();
        for (int m = 0; m < ensemble.members().size(); m++) {
            String entry = "member-" + m + ".fer";
            JsonObject member = new JsonObject();
            member.addProperty("name", ensemble.memberNames().get(m));
            member.addProperty("kind", ensemble.members().get(m).kind());
            member.addProperty("weight", weights[m]);
            member.addProperty("entry", entry);
            members.add(member);
            entries.put(entry, ModelFile.toBytes(ensemble.members().get(m)));
        }
        JsonObject json = new JsonObject();
        json.add("members", members);
        json.addProperty("temperature", ensemble.temperature());
        json.addProperty("combination", "weighted mean of the members' probabilities (by class name), then p ∝ mean^(1/T)");
        return new Encoded(json, entries);
    }

    @Override
    public Classifier decode(JsonObject json, Map<String, byte[]> entries) throws IOException {
        Task task = ModelCodec.task(json);
        List<Classifier> members = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (JsonElement e : json.getAsJsonArray("members")) {
            JsonObject member = e.getAsJsonObject();
            String entry = member.get("entry").getAsString();
            byte[] bytes = entries.get(entry);
            if (bytes == null) {
                throw new IOException("member entry " + entry + " is missing");
            }
            members.add(ModelFile.load(new ByteArrayInputStream(bytes), entry));
            names.add(member.get("name").getAsString());
            weights.add(member.get("weight").getAsDouble());
        }
        try {
            return new EnsembleClassifier(task, members, names, weights.stream().mapToDouble(Double::doubleValue).toArray(),
                    json.get("temperature").getAsDouble(), ModelInfo.fromJson(json.getAsJsonObject("info")));
        } catch (IllegalArgumentException ex) {
            throw new IOException(ex.getMessage(), ex);
        }
    }
}
