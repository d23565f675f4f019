package io.github.fer4j.cnn;

import io.github.fer4j.train.Trainer;

/**
 * What trains a CNN, found through {@link java.util.ServiceLoader}: fer-pytorch's, on Deep Java Library and libtorch.
 * It lives apart so that everything that only runs networks (fer-onnx, fer-vision, fer.jar) carries no PyTorch.
 */
public interface CnnTraining {
    /**
     * What to say when PyTorch is needed and absent: how to get it from the command line ({@code ./fer} builds
     * fer-pytorch.jar beside fer.jar) and from a Java build.
     */
    String MISSING = "PyTorch, which is not on the class path: ./fer builds it as fer-pytorch.jar beside fer.jar "
            + "(mvn -B -DskipTests package -pl fer-cli -am); a Java project adds io.github.fer4j:fer-pytorch";

    /**
     * A trainer for {@code config}; {@code distillation} is null unless a teacher was given, {@code init} null unless the
     * run fine-tunes a trained network.
     */
    Trainer trainer(CnnConfig config, Distillation distillation, Initialization init);
}
