package io.github.fer4j.cnn;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.MetricsSummary;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One member trained by the PyTorch trainer ({@code trainer/train.py}), read from its folder and checked before it becomes
 * a fer4j CNN: {@code run.json} (architecture, task and classes, normalisation, provenance), {@code weights.safetensors}
 * (every array the architecture needs, by name and shape, finite) and {@code probe.safetensors} (faces with the trainer's
 * own probabilities, which the network must reproduce: {@link #checkProbe}). Anything else is refused with the file and
 * the field or tensor that is wrong.
 */
public final class TorchRun {
    public static final String RUN = "run.json";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String PROBE = "probe.safetensors";
    /** The trainer's output format this reads. */
    public static final String FORMAT = "fer4j-torch-run";
    public static final int FORMAT_VERSION = 1;
    /** The largest |p_fer4j - p_trainer| allowed on the probe faces: both run the same fp32 network. */
    public static final double PROBE_TOLERANCE = 1e-4;

    private final Path dir;
    private final JsonObject run;
    private final Task task;
    private final Architecture architecture;
    private final float mean;
    private final float std;
    private final TestTimeAugmentation tta;
    private final byte[] parameters;
    private final FaceSet probeFaces;
    private final float[][] probeProbabilities;
    private final String weightsSha256;

    private TorchRun(Path dir, JsonObject run, Task task, Architecture architecture, float mean, float std,
                     TestTimeAugmentation tta, byte[] parameters, FaceSet probeFaces, float[][] probeProbabilities,
                     String weightsSha256) {
        this.dir = dir;
        this.run = run;
        this.task = task;
        this.architecture = architecture;
        this.mean = mean;
        this.std = std;
        this.tta = tta;
        this.parameters = parameters;
        this.probeFaces = probeFaces;
        this.probeProbabilities = probeProbabilities;
        this.weightsSha256 = weightsSha256;
    }

    /**
     * Reads and checks the run in {@code dir}; {@code expected}, when not null, is the architecture it must be (the run of
     * another architecture is refused).
     */
    public static TorchRun read(Path dir, Architecture expected) {
        if (!Files.isDirectory(dir)) {
            throw InvalidInputException.at(dir, "no such folder (a trainer run: " + RUN + ", " + WEIGHTS + ", " + PROBE + ")");
        }
        Path runFile = dir.resolve(RUN);
        if (!Files.isRegularFile(runFile)) {
            throw InvalidInputException.at(runFile, "missing: the trainer writes it last, so this run did not finish");
        }
        JsonObject run;
        try {
            run = JsonParser.parseString(Files.readString(runFile, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw InvalidInputException.at(runFile, "not a JSON object: " + e.getMessage());
        }
        if (!FORMAT.equals(text(run, "format", runFile)) || integer(run, "formatVersion", runFile) != FORMAT_VERSION) {
            throw InvalidInputException.at(runFile, "format must be " + FORMAT + " version " + FORMAT_VERSION + ", not "
                    + run.get("format") + " version " + run.get("formatVersion"));
        }
        Architecture architecture;
        try {
            architecture = Architecture.named(text(run, "architecture", runFile));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.at(runFile, "architecture: " + e.getMessage());
        }
        if (expected != null && architecture != expected) {
            throw InvalidInputException.at(runFile, "is a run of architecture " + architecture.id() + ", not " + expected.id());
        }
        Task task = Task.parse(text(run, "task", runFile)).filter(t -> t == Task.EMOTIONS || t == Task.FERPLUS)
                .orElseThrow(() -> InvalidInputException.at(runFile, "task must be emotions or ferplus, not " + run.get("task")));
        List<String> classes = new ArrayList<>();
        try {
            for (JsonElement c : run.getAsJsonArray("classNames")) {
                classes.add(c.getAsString());
            }
        } catch (RuntimeException e) {
            throw InvalidInputException.at(runFile, "classNames must be a list of names");
        }
        if (!classes.equals(task.classNames())) {
            throw InvalidInputException.at(runFile, "classNames " + classes + " are not task " + task.cliName() + "'s "
                    + task.classNames() + " in that order");
        }
        if (integer(run, "inputSide", runFile) != architecture.inputSide()) {
            throw InvalidInputException.at(runFile, "inputSide " + run.get("inputSide") + ", but " + architecture.id() + " reads "
                    + architecture.inputSide());
        }
        JsonObject normalization = object(run, "normalization", runFile);
        float mean = number(normalization, "mean", runFile);
        float std = number(normalization, "std", runFile);
        if (!(mean >= 0 && mean <= 1 && std > 0 && std <= 1)) {
            throw InvalidInputException.at(runFile, "normalization mean " + mean + " and std " + std + " must lie in [0, 1], std > 0");
        }
        TestTimeAugmentation tta;
        try {
            tta = TestTimeAugmentation.named(text(run, "testTimeAugmentation", runFile));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.at(runFile, "testTimeAugmentation: " + e.getMessage());
        }

        Path weightsFile = dir.resolve(WEIGHTS);
        requireFile(weightsFile);
        Map<String, Safetensors.Tensor> weights = Safetensors.read(weightsFile);
        List<Architecture.ParameterSpec> specs = architecture.parameterSpecs(task.classCount());
        Set<String> unknown = new TreeSet<>(weights.keySet());
        List<float[]> values = new ArrayList<>();
        for (Architecture.ParameterSpec spec : specs) {
            Safetensors.Tensor t = weights.get(spec.name());
            String which = "tensor " + spec.name();
            if (t == null) {
                throw InvalidInputException.at(weightsFile, "no " + which + ", which architecture " + architecture.id()
                        + " needs (" + Arrays.toString(spec.shape()) + "); is this a run of another architecture?");
            }
            unknown.remove(spec.name());
            if (t.floats() == null) {
                throw InvalidInputException.at(weightsFile, which + " is " + t.dtype() + "; weights are F32 or F16");
            }
            if (!Arrays.equals(t.shape(), spec.shape())) {
                throw InvalidInputException.at(weightsFile, which + " is " + Arrays.toString(t.shape()) + ", architecture "
                        + architecture.id() + " for " + task.classCount() + " classes needs " + Arrays.toString(spec.shape()));
            }
            float[] v = t.floats();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw InvalidInputException.at(weightsFile, which + " holds " + v[i] + " at index " + i);
                }
                if (spec.name().endsWith("running_var") && v[i] < 0) {
                    throw InvalidInputException.at(weightsFile, which + " holds a negative variance " + v[i] + " at index " + i);
                }
            }
            values.add(v);
        }
        if (!unknown.isEmpty()) {
            throw InvalidInputException.at(weightsFile, "tensor " + unknown.iterator().next() + " is not part of architecture "
                    + architecture.id() + (unknown.size() > 1 ? " (nor " + (unknown.size() - 1) + " more)" : ""));
        }
        byte[] parameters = DjlParameters.write(architecture, task.classCount(), values);

        Path probeFile = dir.resolve(PROBE);
        requireFile(probeFile);
        Map<String, Safetensors.Tensor> probe = Safetensors.read(probeFile);
        Safetensors.Tensor faces = probe.get("faces");
        Safetensors.Tensor probabilities = probe.get("probabilities");
        if (faces == null || faces.bytes() == null || faces.shape().length != 3 || faces.shape()[1] != FaceSet.SIDE
                || faces.shape()[2] != FaceSet.SIDE || faces.shape()[0] < 1) {
            throw InvalidInputException.at(probeFile, "tensor faces must be U8 [P, 48, 48] with P >= 1");
        }
        int count = (int) faces.shape()[0];
        if (probabilities == null || probabilities.floats() == null
                || !Arrays.equals(probabilities.shape(), new long[] {count, task.classCount()})) {
            throw InvalidInputException.at(probeFile, "tensor probabilities must be F32 [" + count + ", " + task.classCount() + "]");
        }
        float[][] p = new float[count][task.classCount()];
        for (int k = 0; k < count; k++) {
            double sum = 0;
            for (int c = 0; c < p[k].length; c++) {
                p[k][c] = probabilities.floats()[k * p[k].length + c];
                if (!(p[k][c] >= 0 && p[k][c] <= 1)) {
                    throw InvalidInputException.at(probeFile, "tensor probabilities holds " + p[k][c] + " for face " + k);
                }
                sum += p[k][c];
            }
            if (Math.abs(sum - 1) > 1e-3) {
                throw InvalidInputException.at(probeFile, "tensor probabilities: face " + k + "'s row sums to " + sum);
            }
        }
        FaceSet probeFaces = new FaceSet(faces.bytes(), new byte[count], new byte[count], probeFile.toString(), "");
        return new TorchRun(dir, run, task, architecture, mean, std, tta, parameters, probeFaces, p, sha256(weightsFile));
    }

    public Path dir() {
        return dir;
    }

    public Task task() {
        return task;
    }

    public Architecture architecture() {
        return architecture;
    }

    /** The run's name in its run.json (the member's name). */
    public String name() {
        return run.has("name") ? run.get("name").getAsString() : dir.getFileName().toString();
    }

    /** The run.json as written (a copy). */
    public JsonObject description() {
        return run.deepCopy();
    }

    /** The network as a model file stores it, with its provenance; the probe is not checked yet ({@link #checkProbe}). */
    public StoredCnn stored() {
        return new StoredCnn(task, architecture, mean, std, tta, info(), parameters);
    }

    /**
     * Checks that {@code model} (this run's network, opened by a fer4j engine) gives the trainer's probabilities for the
     * probe faces within {@link #PROBE_TOLERANCE}, on its centre crop; returns the largest difference. Refuses otherwise,
     * naming the probe file, the face and the class.
     */
    public double checkProbe(CnnModel model) {
        CnnModel centre = model.withTestTimeAugmentation(TestTimeAugmentation.NONE);
        int[] all = new int[probeFaces.size()];
        Arrays.setAll(all, i -> i);
        float[][] ours = centre.probabilities(probeFaces, all);
        double max = 0;
        for (int k = 0; k < all.length; k++) {
            for (int c = 0; c < ours[k].length; c++) {
                double d = Math.abs(ours[k][c] - probeProbabilities[k][c]);
                if (!(d <= PROBE_TOLERANCE)) {
                    throw InvalidInputException.at(dir.resolve(PROBE), String.format(Locale.ROOT,
                            "face %d, class %s: the trainer gave %.6f, fer4j (%s) %.6f, more than %.0e apart; the weights do "
                                    + "not make the trainer's network", k, task.classNames().get(c), probeProbabilities[k][c],
                            model.engine(), ours[k][c], PROBE_TOLERANCE));
                }
                max = Math.max(max, d);
            }
        }
        return max;
    }

    /** How many probe faces the run holds. */
    public int probeFaces() {
        return probeFaces.size();
    }

    /** The provenance a model file keeps: the trainer's settings and command, the data's checksums, PublicTest. */
    ModelInfo info() {
        JsonObject settings = run.has("settings") && run.get("settings").isJsonObject() ? run.getAsJsonObject("settings").deepCopy()
                : new JsonObject();
        settings.addProperty("trainer", "trainer/train.py (PyTorch)");
        for (String key : List.of("command", "gitCommit", "seed", "weightsDtype", "environment", "notes", "data")) {
            if (run.has(key)) {
                settings.add(key, run.get(key).deepCopy());
            }
        }
        JsonObject imported = new JsonObject();
        imported.addProperty("run", name());
        imported.addProperty("weightsSha256", weightsSha256);
        settings.add("importedFrom", imported);
        if (run.has("metrics") && run.getAsJsonObject("metrics").has("PrivateTest")) {
            // The trainer scored PrivateTest once, for the kept epoch: kept with the run, as the trainer reported it.
            settings.add("trainerPrivateTest", summaries(run.getAsJsonObject("metrics").getAsJsonObject("PrivateTest")));
        }
        int bestEpoch = run.has("bestEpoch") ? run.get("bestEpoch").getAsInt() : 0;
        Double seconds = run.has("seconds") ? run.get("seconds").getAsDouble() : null;
        JsonObject data = run.has("data") && run.get("data").isJsonObject() ? run.getAsJsonObject("data") : new JsonObject();
        List<String> files = new ArrayList<>();
        String sha = data.has("contentSha256") ? data.get("contentSha256").getAsString() : "";
        if (data.has("files") && data.get("files").isJsonArray()) {
            JsonArray list = data.getAsJsonArray("files");
            for (JsonElement f : list) {
                files.add(f.getAsJsonObject().get("name").getAsString());
            }
            if (list.size() == 1) {
                sha = list.get(0).getAsJsonObject().get("sha256").getAsString();
            }
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        if (data.has("classShares") && data.get("classShares").isJsonObject()) {
            data.getAsJsonObject("classShares").entrySet().forEach(e -> shares.put(e.getKey(), e.getValue().getAsDouble()));
        }
        ModelInfo info = ModelInfo.trained(new ModelInfo.TrainingRecord(settings, bestEpoch, null, seconds),
                new ModelInfo.DataProvenance(String.join("+", files), sha, count(data, "trainingFaces"),
                        count(data, "validationFaces"), shares));
        JsonObject metrics = run.has("metrics") && run.get("metrics").isJsonObject() ? run.getAsJsonObject("metrics") : null;
        if (metrics != null && metrics.has("PublicTest") && metrics.getAsJsonObject("PublicTest").has("none")) {
            JsonObject p = metrics.getAsJsonObject("PublicTest").getAsJsonObject("none");
            info = info.withMetrics("PublicTest", new MetricsSummary(p.get("faces").getAsLong(), p.get("accuracy").getAsDouble(),
                    p.get("aca").getAsDouble(), p.get("macroF1").getAsDouble(), Double.NaN, Double.NaN, Double.NaN));
        }
        return info;
    }

    private static JsonObject summaries(JsonObject byViews) {
        JsonObject out = new JsonObject();
        for (Map.Entry<String, JsonElement> e : byViews.entrySet()) {
            JsonObject full = e.getValue().getAsJsonObject();
            JsonObject s = new JsonObject();
            for (String key : List.of("faces", "accuracy", "aca", "macroF1", "recall")) {
                if (full.has(key)) {
                    s.add(key, full.get(key));
                }
            }
            out.add(e.getKey(), s);
        }
        return out;
    }

    private static int count(JsonObject json, String key) {
        return json.has(key) ? json.get(key).getAsInt() : 0;
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.at(file, "missing from the trainer run");
        }
    }

    private static String text(JsonObject json, String key, Path file) {
        JsonElement e = json.get(key);
        if (e == null || !e.isJsonPrimitive()) {
            throw InvalidInputException.at(file, "no field " + key);
        }
        return e.getAsString();
    }

    private static int integer(JsonObject json, String key, Path file) {
        JsonElement e = json.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw InvalidInputException.at(file, "no number " + key);
        }
        return e.getAsInt();
    }

    private static float number(JsonObject json, String key, Path file) {
        JsonElement e = json.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw InvalidInputException.at(file, "no number normalization." + key);
        }
        return e.getAsFloat();
    }

    private static JsonObject object(JsonObject json, String key, Path file) {
        JsonElement e = json.get(key);
        if (e == null || !e.isJsonObject()) {
            throw InvalidInputException.at(file, "no object " + key);
        }
        return e.getAsJsonObject();
    }

    private static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
