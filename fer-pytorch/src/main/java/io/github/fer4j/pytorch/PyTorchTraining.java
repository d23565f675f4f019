package io.github.fer4j.pytorch;

import io.github.fer4j.cnn.CnnConfig;
import io.github.fer4j.cnn.CnnTraining;
import io.github.fer4j.cnn.Distillation;
import io.github.fer4j.cnn.Initialization;
import io.github.fer4j.train.Trainer;

/** Trains CNNs with {@link CnnTrainer}: what {@code fer train --model cnn} finds when fer-pytorch is on the class path. */
public final class PyTorchTraining implements CnnTraining {
    @Override
    public Trainer trainer(CnnConfig config, Distillation distillation, Initialization init) {
        return new CnnTrainer(config, distillation, init);
    }
}
