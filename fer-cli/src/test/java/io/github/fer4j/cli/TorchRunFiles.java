package io.github.fer4j.cli;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.DjlParameters;
import io.github.fer4j.cnn.Half;
import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.onnx.OnnxRuntimeEngine;
import io.github.fer4j.task.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Writes a folder as the PyTorch trainer writes one (run.json, weights.safetensors, probe.safetensors) from Java, for the
 * import tests that must run without Python: random fp16 weights of the scale training leaves, and as probe the
 * probabilities fer4j's fp32 engine gives for synthetic faces with those weights.
 */
final class TorchRunFiles {
    /** A tensor to write: its name, safetensors dtype, shape and raw little-endian bytes. */
    record Entry(String name, String dtype, long[] shape, byte[] data) { }

    private TorchRunFiles() {
    }

    /** Random fp16-exact values for every array of {@code architecture}, in its order. */
    static List<float[]> randomWeights(Architecture architecture, Task task, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> values = new ArrayList<>();
        for (Architecture.ParameterSpec spec : architecture.parameterSpecs(task.classCount())) {
            float[] v = new float[(int) spec.size()];
            double fanIn = spec.shape().length > 1 ? (double) spec.size() / spec.shape()[0] : 1;
            String name = spec.name();
            for (int i = 0; i < v.length; i++) {
                double u = 2 * random.nextDouble() - 1;
                double x = name.endsWith(".weight") && name.startsWith("conv") ? random.nextGaussian() * Math.sqrt(2 / fanIn)
                        : name.endsWith(".weight") ? random.nextGaussian() * 2 / Math.sqrt(fanIn)
                        : name.endsWith("gamma") ? 1 + 0.2 * u
                        : name.endsWith("running_var") ? 1 + 0.5 * u
                        : 0.1 * u;
                v[i] = Half.round((float) x);
            }
            values.add(v);
        }
        return values;
    }

    /** Writes a complete, consistent run of {@code architecture} into {@code dir}; returns the weights written. */
    static List<float[]> write(Path dir, Architecture architecture, Task task, long seed, int probeFaces) throws IOException {
        List<float[]> weights = randomWeights(architecture, task, seed);
        StoredCnn stored = new StoredCnn(task, architecture, 0.507f, 0.255f, TestTimeAugmentation.FLIP, ModelInfo.NONE,
                DjlParameters.write(architecture, task.classCount(), weights));
        CnnModel model = new OnnxRuntimeEngine().open(stored).withTestTimeAugmentation(TestTimeAugmentation.NONE);
        FaceSet faces = SyntheticFaces.generate(probeFaces, seed + 1);
        float[][] p = model.probabilities(faces, IntStream.range(0, probeFaces).toArray());
        Files.createDirectories(dir);
        List<Entry> tensors = new ArrayList<>();
        List<Architecture.ParameterSpec> specs = architecture.parameterSpecs(task.classCount());
        for (int i = 0; i < specs.size(); i++) {
            tensors.add(f16(specs.get(i).name(), specs.get(i).shape(), weights.get(i)));
        }
        writeSafetensors(dir.resolve("weights.safetensors"), tensors);
        float[] flat = new float[probeFaces * task.classCount()];
        for (int k = 0; k < probeFaces; k++) {
            System.arraycopy(p[k], 0, flat, k * task.classCount(), task.classCount());
        }
        writeSafetensors(dir.resolve("probe.safetensors"), List.of(
                new Entry("faces", "U8", new long[] {probeFaces, 48, 48}, faces.pixelArray().clone()),
                f32("probabilities", new long[] {probeFaces, task.classCount()}, flat)));
        Files.writeString(dir.resolve("run.json"), new Gson().toJson(runJson(architecture, task, seed)), StandardCharsets.UTF_8);
        return weights;
    }

    static JsonObject runJson(Architecture architecture, Task task, long seed) {
        JsonObject run = new JsonObject();
        run.addProperty("format", "fer4j-torch-run");
        run.addProperty("formatVersion", 1);
        run.addProperty("name", architecture.id() + "-test");
        run.addProperty("architecture", architecture.id());
        run.addProperty("task", task.cliName());
        JsonArray classes = new JsonArray();
        task.classNames().forEach(classes::add);
        run.add("classNames", classes);
        run.addProperty("inputSide", architecture.inputSide());
        JsonObject normalization = new JsonObject();
        normalization.addProperty("mean", 0.507f);
        normalization.addProperty("std", 0.255f);
        run.add("normalization", normalization);
        run.addProperty("testTimeAugmentation", "flip");
        run.addProperty("weightsDtype", "fp16");
        run.addProperty("seed", seed);
        run.addProperty("command", "written by TorchRunFiles (a test)");
        run.addProperty("gitCommit", "0123456789abcdef0123456789abcdef01234567");
        JsonObject data = new JsonObject();
        data.addProperty("contentSha256", "ab".repeat(32));
        data.addProperty("trainingFaces", 100);
        data.addProperty("validationFaces", 20);
        run.add("data", data);
        run.addProperty("bestEpoch", 3);
        return run;
    }

    static Entry f16(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(Half.fromFloat(v));
        }
        return new Entry(name, "F16", shape, b.array());
    }

    static Entry f32(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return new Entry(name, "F32", shape, b.array());
    }

    static void writeSafetensors(Path file, List<Entry> tensors) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Entry t : tensors) {
            header.put(t.name(), Map.of("dtype", t.dtype(), "shape", t.shape(), "data_offsets", new long[] {offset, offset + t.data().length}));
            offset += t.data().length;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.write(json);
        for (Entry t : tensors) {
            out.write(t.data());
        }
        Files.write(file, out.toByteArray());
    }

    /** Reads the entries of a safetensors file back, in order (to damage one and write it again). */
    static List<Entry> readSafetensors(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonObject header = com.google.gson.JsonParser.parseString(new String(all, 8, (int) n, StandardCharsets.UTF_8)).getAsJsonObject();
        List<Entry> out = new ArrayList<>();
        for (var e : header.entrySet()) {
            JsonObject t = e.getValue().getAsJsonObject();
            JsonArray s = t.getAsJsonArray("shape");
            long[] shape = new long[s.size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = s.get(d).getAsLong();
            }
            int a = t.getAsJsonArray("data_offsets").get(0).getAsInt();
            int b = t.getAsJsonArray("data_offsets").get(1).getAsInt();
            byte[] data = java.util.Arrays.copyOfRange(all, 8 + (int) n + a, 8 + (int) n + b);
            out.add(new Entry(e.getKey(), t.get("dtype").getAsString(), shape, data));
        }
        return out;
    }
}
