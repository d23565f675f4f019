package io.github.fer4j.pytorch;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.Crops;
import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * A trained convolutional network behind the common {@link io.github.fer4j.model.Classifier} interface. Inference runs on DJL's
 * PyTorch engine; it is safe to call from several threads at once. {@link #withTestTimeAugmentation} gives a
 * view of the same network that averages several crops of each face.
 */
public final class CnnClassifier implements CnnModel {
    public static final String KIND = "cnn";
    /** Faces per forward pass in batch inference. */
    private static final int CHUNK = 256;

    private final Task task;
    private final Architecture architecture;
    private final NDManager manager;
    private final Block block;
    private final Crops crops;
    private final TestTimeAugmentation tta;
    private final ModelInfo info;

    CnnClassifier(Task task, Architecture architecture, NDManager manager, Block block, float mean, float std,
                  TestTimeAugmentation tta, ModelInfo info) {
        this.task = task;
        this.architecture = architecture;
        this.manager = manager;
        this.block = block;
        this.crops = new Crops(architecture.inputSide(), mean, std);
        this.tta = tta;
        this.info = info;
    }

    /** Rebuilds a network from its parameters as {@link #parameterBytes} wrote them. */
    static CnnClassifier restore(Task task, Architecture architecture, float mean, float std, byte[] parameters,
                                 ModelInfo info) throws IOException {
        NDManager manager = Engines.pytorch().newBaseManager();
        boolean gradients = Engines.gradientsOff();
        try {
            Block block = Networks.build(architecture, task.classCount());
            int side = architecture.inputSide();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, side, side));
            checkLayout(block, parameters, architecture);
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(parameters)));
            return new CnnClassifier(task, architecture, manager, block, mean, std, TestTimeAugmentation.NONE, info);
        } catch (IOException e) {
            manager.close();
            throw e;
        } catch (MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IOException("parameters do not fit architecture " + architecture.id() + ": " + e.getMessage(), e);
        } finally {
            Engines.restoreGradients(gradients);
        }
    }

    /**
     * Checks that {@code parameters} are laid out as DJL writes this network's: every byte but the numbers (names,
     * data types, shapes, lengths) as the network just built writes it. DJL allocates the shapes and lengths it reads
     * before it reads the data, so a damaged file could otherwise ask for gigabytes. The numbers are the bytes that
     * differ between the network written with every parameter 0 and with every parameter {@link #NO_ZERO_BYTE}.
     */
    static void checkLayout(Block block, byte[] parameters, Architecture architecture) throws IOException {
        checkLayout(parameters, parameterBytes(fill(block, 0f)), parameterBytes(fill(block, NO_ZERO_BYTE)),
                "the parameters of architecture " + architecture.id());
    }

    /** A float none of whose bytes is 0: written where 0f was, every byte of a number differs. */
    static final float NO_ZERO_BYTE = Float.intBitsToFloat(0x3F7F7F7F);

    /**
     * Checks {@code actual} against the same data written once with every number 0 ({@code zeros}) and once with every
     * number {@link #NO_ZERO_BYTE} ({@code nonZeros}): the bytes that are equal in both must be equal in it too.
     */
    static void checkLayout(byte[] actual, byte[] zeros, byte[] nonZeros, String what) throws IOException {
        if (actual.length != zeros.length) {
            throw new IOException(what + " should be " + zeros.length + " bytes, not " + actual.length);
        }
        for (int i = 0; i < zeros.length; i++) {
            if (zeros[i] == nonZeros[i] && actual[i] != zeros[i]) {
                throw new IOException(what + " are not laid out as DJL writes them (byte " + i + ")");
            }
        }
    }

    /** Sets every parameter of the block to {@code value}. */
    private static Block fill(Block block, float value) {
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            parameter.getValue().getArray().muli(0).addi(value);
        }
        return block;
    }

    static byte[] parameterBytes(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    byte[] parameterBytes() throws IOException {
        return parameterBytes(block);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Task task() {
        return task;
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public TestTimeAugmentation testTimeAugmentation() {
        return tta;
    }

    @Override
    public float mean() {
        return crops.mean();
    }

    @Override
    public float std() {
        return crops.std();
    }

    @Override
    public List<Tensor> parameterTensors() {
        List<Tensor> out = new java.util.ArrayList<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            NDArray array = parameter.getValue().getArray();
            out.add(new Tensor(parameter.getKey(), array.getShape().getShape(), array.toFloatArray()));
        }
        return out;
    }

    @Override
    public StoredCnn stored() {
        try {
            return new StoredCnn(task, architecture, crops.mean(), crops.std(), tta, info, parameterBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the network's parameters to memory", e);
        }
    }

    @Override
    public String engine() {
        return PyTorchEngine.ID;
    }


    @Override
    public CnnClassifier withTestTimeAugmentation(TestTimeAugmentation mode) {
        return mode == tta ? this : new CnnClassifier(task, architecture, manager, block, crops.mean(), crops.std(), mode, info);
    }

    @Override
    public float[] probabilities(byte[] face) {
        return probabilities(face, new int[] {0})[0];
    }

    @Override
    public float[][] probabilities(FaceSet faces, int[] indices) {
        float[][] out = new float[indices.length][];
        byte[] pixels = faces.pixelArray();
        for (int start = 0; start < indices.length; start += CHUNK) {
            int n = Math.min(CHUNK, indices.length - start);
            int[] offsets = new int[n];
            for (int k = 0; k < n; k++) {
                offsets[k] = indices[start + k] * FaceSet.PIXELS;
            }
            float[][] chunk = probabilities(pixels, offsets);
            System.arraycopy(chunk, 0, out, start, n);
        }
        return out;
    }

    /** Probabilities for the faces starting at {@code offsets} in {@code pixels}, averaged over the TTA views. */
    float[][] probabilities(byte[] pixels, int[] offsets) {
        List<Crops.View> views = tta.views((FaceSet.SIDE - crops.side()) / 2);
        int v = views.size();
        int size = crops.size();
        float[] input = new float[offsets.length * v * size];
        for (int k = 0; k < offsets.length; k++) {
            for (int j = 0; j < v; j++) {
                crops.render(pixels, offsets[k], views.get(j), input, (k * v + j) * size);
            }
        }
        int classes = task.classCount();
        float[] p;
        boolean gradients = Engines.gradientsOff();
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.create(input, new Shape((long) offsets.length * v, 1, crops.side(), crops.side()));
            NDArray logits = block.forward(new ParameterStore(batch, false), new NDList(x), false).singletonOrThrow();
            p = logits.softmax(1).toFloatArray();
        } finally {
            Engines.restoreGradients(gradients);
        }
        float[][] out = new float[offsets.length][classes];
        for (int k = 0; k < offsets.length; k++) {
            for (int j = 0; j < v; j++) {
                for (int c = 0; c < classes; c++) {
                    out[k][c] += p[(k * v + j) * classes + c] / v;
                }
            }
        }
        return out;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** The same network with other provenance (it shares the native parameters). */
    @Override
    public CnnClassifier withInfo(ModelInfo info) {
        return new CnnClassifier(task, architecture, manager, block, crops.mean(), crops.std(), tta, info);
    }
}
