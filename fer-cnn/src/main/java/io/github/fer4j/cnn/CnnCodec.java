package io.github.fer4j.cnn;

import com.google.gson.JsonObject;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.model.ModelCodec;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores a CNN in the fer4j model file: the architecture name, crop side, input normalization and default
 * test-time augmentation in model.json; the parameters in DJL's own format in {@code parameters.djl}, or, when every
 * value is a half-precision number (a network rounded to fp16, as the PyTorch trainer exports them), as those 16-bit
 * values in {@code parameters.f16}: half the bytes and the very same network, since decoding writes DJL's bytes from them
 * again ({@link DjlParameters#write}).
 */
public final class CnnCodec implements ModelCodec {
    /** The model-file entry that holds the parameters. */
    public static final String PARAMETERS = "parameters.djl";
    /** The model-file entry that holds the parameters as binary16 values, little-endian, in the architecture's order. */
    public static final String HALF_PARAMETERS = "parameters.f16";

    @Override
    public Set<String> kinds() {
        return Set.of(CnnModel.KIND);
    }

    @Override
    public Encoded encode(Classifier model) throws IOException {
        StoredCnn cnn = ((CnnModel) model).stored();
        JsonObject description = new JsonObject();
        description.addProperty("architecture", cnn.architecture().id());
        description.addProperty("inputSide", cnn.architecture().inputSide());
        JsonObject normalization = new JsonObject();
        normalization.addProperty("mean", cnn.mean());
        normalization.addProperty("std", cnn.std());
        description.add("normalization", normalization);
        description.addProperty("testTimeAugmentation", cnn.tta().id());
        description.addProperty("parameters", cnn.architecture().parameters(cnn.task().classCount()));
        description.addProperty("multiplyAddsPerFace", cnn.architecture().multiplyAdds(cnn.task().classCount()));
        byte[] half = halfPrecision(cnn);
        if (half != null) {
            description.addProperty("parameterStorage", "float16");
            return new Encoded(description, Map.of(HALF_PARAMETERS, half));
        }
        return new Encoded(description, Map.of(PARAMETERS, cnn.parameters()));
    }

    /**
     * The parameters as binary16 values when that loses nothing: every value is a binary16 number and DJL's bytes written
     * again from them are the stored bytes exactly; null otherwise.
     */
    static byte[] halfPrecision(StoredCnn cnn) {
        List<CnnModel.Tensor> tensors;
        try {
            tensors = DjlParameters.read(cnn.parameters());
        } catch (IOException e) {
            return null;
        }
        int count = 0;
        for (CnnModel.Tensor t : tensors) {
            for (float v : t.values()) {
                if (!Half.isExact(v)) {
                    return null;
                }
            }
            count += t.values().length;
        }
        List<float[]> values = tensors.stream().map(CnnModel.Tensor::values).toList();
        try {
            if (!Arrays.equals(DjlParameters.write(cnn.architecture(), cnn.task().classCount(), values), cnn.parameters())) {
                return null;
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] v : values) {
            for (float x : v) {
                out.putShort(Half.fromFloat(x));
            }
        }
        return out.array();
    }

    /** DJL's bytes of the binary16 parameters {@code half} of {@code architecture}. */
    static byte[] fromHalfPrecision(byte[] half, Architecture architecture, int classes) throws IOException {
        List<Architecture.ParameterSpec> specs = architecture.parameterSpecs(classes);
        long count = specs.stream().mapToLong(Architecture.ParameterSpec::size).sum();
        if (half.length != 2 * count) {
            throw new IOException(HALF_PARAMETERS + " holds " + half.length + " bytes; architecture " + architecture.id()
                    + " for " + classes + " classes needs " + 2 * count);
        }
        ByteBuffer in = ByteBuffer.wrap(half).order(ByteOrder.LITTLE_ENDIAN);
        List<float[]> values = new ArrayList<>();
        for (Architecture.ParameterSpec spec : specs) {
            float[] v = new float[(int) spec.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = Half.toFloat(in.getShort());
                if (!Float.isFinite(v[i])) {
                    throw new IOException(HALF_PARAMETERS + ": " + spec.name() + " holds " + v[i] + " at index " + i);
                }
            }
            values.add(v);
        }
        return DjlParameters.write(architecture, classes, values);
    }

    @Override
    public Classifier decode(JsonObject description, Map<String, byte[]> entries) throws IOException {
        Task task = ModelCodec.task(description);
        Architecture architecture;
        try {
            architecture = Architecture.named(description.get("architecture").getAsString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        byte[] parameters = entries.get(PARAMETERS);
        byte[] half = entries.get(HALF_PARAMETERS);
        if (parameters == null && half == null) {
            throw new IOException("no " + PARAMETERS + " or " + HALF_PARAMETERS + " entry");
        }
        if (parameters == null) {
            parameters = fromHalfPrecision(half, architecture, task.classCount());
        }
        JsonObject normalization = description.getAsJsonObject("normalization");
        float mean = normalization.get("mean").getAsFloat();
        float std = normalization.get("std").getAsFloat();
        TestTimeAugmentation tta = TestTimeAugmentation.NONE;
        if (description.has("testTimeAugmentation")) {
            try {
                tta = TestTimeAugmentation.named(description.get("testTimeAugmentation").getAsString());
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        StoredCnn stored = new StoredCnn(task, architecture, mean, std, tta,
                ModelInfo.fromJson(description.getAsJsonObject("info")), parameters);
        return CnnEngine.selected().open(stored);
    }
}
