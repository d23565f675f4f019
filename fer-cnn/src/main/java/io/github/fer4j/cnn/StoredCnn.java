package io.github.fer4j.cnn;

import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;

/**
 * A CNN as the model file holds it, before any engine has it: what it classifies, its architecture, input
 * normalization, default test-time views, provenance, and its parameters in DJL's format ({@link DjlParameters}).
 */
public record StoredCnn(Task task, Architecture architecture, float mean, float std, TestTimeAugmentation tta,
                        ModelInfo info, byte[] parameters) {
}
