package io.github.fer4j.cnn;

import io.github.fer4j.model.Classifier;
import java.util.List;

/**
 * A trained convolutional network, whichever engine runs it: PyTorch through DJL (fer-pytorch, which also
 * trains) or another {@link CnnEngine} such as ONNX Runtime. The model file, the exporters and the options that change
 * the test-time views work through this.
 */
public interface CnnModel extends Classifier {
    /** The model kind of CNNs in model files, whichever engine runs them. */
    String KIND = "cnn";

    /** One learned array of the network: its DJL name, shape and values (row-major). */
    record Tensor(String name, long[] shape, float[] values) { }

    Architecture architecture();

    /** The input normalization's mean: the network reads {@code (gray / 255 - mean) / std}. */
    float mean();

    /** The input normalization's standard deviation. */
    float std();

    TestTimeAugmentation testTimeAugmentation();

    /** The same network, averaging the views of {@code mode} for each face. */
    CnnModel withTestTimeAugmentation(TestTimeAugmentation mode);

    /**
     * The network's parameters in the order the layers use them: per convolution its weight (filters, in, 3, 3), per
     * batch norm gamma, beta, running mean and running variance, per dense layer its weight (units, in) and bias.
     */
    List<Tensor> parameterTensors();

    /** The network as the model file stores it. */
    StoredCnn stored();

    /** The engine that runs it ({@link CnnEngine#id()}). */
    @Override
    String engine();
}
