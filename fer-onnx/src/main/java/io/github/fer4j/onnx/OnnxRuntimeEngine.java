package io.github.fer4j.onnx;

import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.DjlParameters;
import io.github.fer4j.cnn.StoredCnn;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Runs stored CNNs on ONNX Runtime: the default wherever fer-onnx is on the class path, being faster than PyTorch
 * through DJL at both batch and one-face inference and far quicker to start (bench/cnn.sh, bench/vision.sh). The system
 * property {@value #THREADS} sets the threads per run (0, the default: one per core).
 */
public final class OnnxRuntimeEngine implements CnnEngine {
    public static final String ID = "onnxruntime";
    /** Threads per run; the photo commands ask for 1 (see the {@code fer} launcher). */
    public static final String THREADS = "fer.engine.threads";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int preference() {
        return 10;
    }

    @Override
    public CnnModel open(StoredCnn stored) throws IOException {
        return OnnxCnn.open(stored, checkedTensors(stored), Integer.getInteger(THREADS, 0));
    }

    /** The stored parameters, read in plain Java; an IOException naming the array that is not the architecture's. */
    static List<CnnModel.Tensor> checkedTensors(StoredCnn stored) throws IOException {
        String what = "the parameters of architecture " + stored.architecture().id();
        List<CnnModel.Tensor> tensors;
        try {
            tensors = DjlParameters.read(stored.parameters());
        } catch (IOException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
        // The same promise as the PyTorch engine's layout check: a file whose arrays are not this network's is refused
        // here, with the array that differs, before any of it reaches ONNX Runtime.
        List<long[]> shapes = stored.architecture().parameterShapes(stored.task().classCount());
        if (tensors.size() != shapes.size()) {
            throw new IOException(what + " should be " + shapes.size() + " arrays, the file holds " + tensors.size());
        }
        for (int i = 0; i < shapes.size(); i++) {
            if (!Arrays.equals(shapes.get(i), tensors.get(i).shape())) {
                throw new IOException(what + ": array " + i + " (" + tensors.get(i).name() + ") is "
                        + Arrays.toString(tensors.get(i).shape()) + ", the network needs " + Arrays.toString(shapes.get(i)));
            }
        }
        return tensors;
    }
}
