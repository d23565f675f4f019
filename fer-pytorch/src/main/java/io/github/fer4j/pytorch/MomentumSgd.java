package io.github.fer4j.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with Nesterov momentum and L2 weight decay on multi-dimensional weights (biases and batch-norm scale and
 * shift are not decayed). DJL's own optimizers keep their momentum private, so a run could not be resumed
 * exactly from a checkpoint; this one hands its velocities to {@link #save} and takes them back in {@link #load}.
 */
final class MomentumSgd {
    private final double momentum;
    private final double weightDecay;
    private final Map<String, NDArray> velocity = new LinkedHashMap<>();

    MomentumSgd(double momentum, double weightDecay) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /** One update of every trainable parameter from its gradient, which is then cleared. */
    void step(PairList<String, Parameter> parameters, double learningRate) {
        float lr = (float) learningRate;
        float mu = (float) momentum;
        for (Pair<String, Parameter> entry : parameters) {
            Parameter parameter = entry.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            NDArray weight = parameter.getArray();
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray grad = weight.getGradient();
                NDArray g = weightDecay > 0 && weight.getShape().dimension() > 1 ? grad.add(weight.mul((float) weightDecay)) : grad;
                NDArray v = velocity.get(entry.getKey());
                if (v == null) {
                    v = g.duplicate();
                    NDScope.unregister(v);
                    velocity.put(entry.getKey(), v);
                } else {
                    v.muli(mu).addi(g);
                }
                weight.subi(g.add(v.mul(mu)).muli(lr));
                grad.subi(grad);
            }
        }
    }

    /** The velocities, by parameter name, in DJL's array encoding. */
    byte[] save() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(velocity.size());
            for (Map.Entry<String, NDArray> e : velocity.entrySet()) {
                out.writeUTF(e.getKey());
                byte[] encoded = e.getValue().encode();
                out.writeInt(encoded.length);
                out.write(encoded);
            }
        }
        return bytes.toByteArray();
    }

    void load(byte[] state, NDManager manager, PairList<String, Parameter> parameters) throws IOException {
        velocity.values().forEach(NDArray::close);
        velocity.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int n = in.readInt();
            for (int k = 0; k < n; k++) {
                String name = in.readUTF();
                Parameter parameter = parameters.get(name);
                if (parameter == null) {
                    throw new IOException("optimizer state for unknown parameter " + name);
                }
                // The length and the encoding's shape come from the file: both are checked against the parameter
                // before anything is allocated from them (NDArray.decode allocates the shape it reads).
                Shape shape = parameter.getArray().getShape();
                byte[] zeros;
                byte[] nonZeros;
                try (NDArray zero = manager.zeros(shape); NDArray nonZero = manager.full(shape, CnnClassifier.NO_ZERO_BYTE)) {
                    zeros = zero.encode();
                    nonZeros = nonZero.encode();
                }
                int length = in.readInt();
                if (length != zeros.length) {
                    throw new IOException("optimizer state for " + name + " is " + length + " bytes, not " + zeros.length);
                }
                byte[] encoded = new byte[length];
                in.readFully(encoded);
                CnnClassifier.checkLayout(encoded, zeros, nonZeros, "optimizer state for " + name);
                NDArray v = NDArray.decode(manager, encoded);
                if (!v.getShape().equals(parameter.getArray().getShape())) {
                    throw new IOException("optimizer state for " + name + " has shape " + v.getShape() + ", parameter "
                            + parameter.getArray().getShape());
                }
                velocity.put(name, v);
            }
        }
    }
}
