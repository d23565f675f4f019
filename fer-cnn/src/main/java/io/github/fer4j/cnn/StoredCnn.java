package io.github.fer4j.cnn;

import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A CNN as the model file holds it, before any engine has it: what it classifies, its architecture, input
 * normalization, default test-time views, provenance, and its parameters in DJL's format ({@link DjlParameters}).
 */
public record StoredCnn(Task task, Architecture architecture, float mean, float std, TestTimeAugmentation tta,
                        ModelInfo info, byte[] parameters) {

    /**
     * The same network with every parameter rounded to the nearest half-precision number, which the model file then
     * stores in 16 bits ({@link CnnCodec}); the answers change by what that rounding changes (measure it: {@code fer convert}
     * prints it).
     */
    public StoredCnn roundedToHalf() throws IOException {
        List<float[]> values = new ArrayList<>();
        for (CnnModel.Tensor t : DjlParameters.read(parameters)) {
            float[] v = t.values().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = Half.round(v[i]);
            }
            values.add(v);
        }
        return new StoredCnn(task, architecture, mean, std, tta, info, DjlParameters.write(architecture, task.classCount(), values));
    }

    /** The same network with other default test-time views. */
    public StoredCnn withTestTimeAugmentation(TestTimeAugmentation views) {
        return new StoredCnn(task, architecture, mean, std, views, info, parameters);
    }

    /** The same network with other provenance. */
    public StoredCnn withInfo(ModelInfo other) {
        return new StoredCnn(task, architecture, mean, std, tta, other, parameters);
    }
}
