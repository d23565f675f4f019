package io.github.fer4j.features;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Several feature sets side by side ("hog+lbp"). */
public final class ConcatenatedFeatures implements FeatureExtractor {
    private final List<FeatureExtractor> parts;

    public ConcatenatedFeatures(List<FeatureExtractor> parts) {
        if (parts.size() < 2) {
            throw new IllegalArgumentException("concatenate at least two feature sets");
        }
        this.parts = List.copyOf(parts);
    }

    static ConcatenatedFeatures of(String name, JsonObject settings) {
        List<FeatureExtractor> parts = new ArrayList<>();
        JsonArray saved = settings.has("parts") ? settings.getAsJsonArray("parts") : null;
        String[] names = name.split("\\+");
        for (int i = 0; i < names.length; i++) {
            JsonObject s = saved != null && i < saved.size() ? saved.get(i).getAsJsonObject() : new JsonObject();
            parts.add(FeatureExtractor.named(names[i].trim(), s));
        }
        return new ConcatenatedFeatures(parts);
    }

    @Override
    public String name() {
        return String.join("+", parts.stream().map(FeatureExtractor::name).toList());
    }

    @Override
    public int dimension() {
        return parts.stream().mapToInt(FeatureExtractor::dimension).sum();
    }

    @Override
    public void extract(byte[] pixels, int offset, float[] out, int outOffset) {
        int o = outOffset;
        for (FeatureExtractor part : parts) {
            part.extract(pixels, offset, out, o);
            o += part.dimension();
        }
    }

    @Override
    public JsonObject settings() {
        JsonObject s = new JsonObject();
        JsonArray list = new JsonArray();
        parts.forEach(p -> list.add(p.settings()));
        s.add("parts", list);
        return s;
    }
}
