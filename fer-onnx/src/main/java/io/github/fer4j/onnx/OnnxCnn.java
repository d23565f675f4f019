package io.github.fer4j.onnx;

import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.util.List;

/**
 * A fer4j CNN run by ONNX Runtime: the stored parameters are read in plain Java ({@link io.github.fer4j.cnn.DjlParameters}),
 * written into the same whole graph {@code fer export} writes (normalisation and test-time views inside), and run by a
 * session; libtorch is never loaded. It saves back as the CNN it was read from.
 */
final class OnnxCnn implements CnnModel {
    private final StoredCnn stored;
    private final List<Tensor> tensors;
    private final int threads;
    private final String engine;
    private final GraphWriter writer;
    /** Null only while the graph is being written from this description. */
    private final OnnxClassifier runner;

    /** Writes the graph a session runs for a network (its description: everything but the runner). */
    @FunctionalInterface
    interface GraphWriter {
        byte[] graph(CnnModel description);
    }

    private OnnxCnn(StoredCnn stored, List<Tensor> tensors, int threads, String engine, GraphWriter writer,
                    OnnxClassifier runner) {
        this.stored = stored;
        this.tensors = List.copyOf(tensors);
        this.threads = threads;
        this.engine = engine;
        this.writer = writer;
        this.runner = runner;
    }

    /** The network of {@code stored} as a description only, for graph writers and calibration: it cannot classify. */
    static CnnModel description(StoredCnn stored, List<Tensor> tensors) {
        return new OnnxCnn(stored, tensors, 0, OnnxRuntimeEngine.ID, OnnxExporter::graphBytes, null);
    }

    /** The network of {@code stored} on a session of {@code threads} threads per run (0: one per core). */
    static OnnxCnn open(StoredCnn stored, List<Tensor> tensors, int threads) throws IOException {
        return open(stored, tensors, threads, OnnxRuntimeEngine.ID, OnnxExporter::graphBytes);
    }

    /** As {@link #open(StoredCnn, List, int)}, running the graph {@code writer} writes, for the engine {@code engine}. */
    static OnnxCnn open(StoredCnn stored, List<Tensor> tensors, int threads, String engine, GraphWriter writer)
            throws IOException {
        OnnxCnn description = new OnnxCnn(stored, tensors, threads, engine, writer, null);
        String what = "the parameters of architecture " + stored.architecture().id();
        byte[] graph;
        try {
            graph = writer.graph(description);
        } catch (OnnxExporter.NotExpressible e) {
            throw new IOException(what + " do not fit it: " + e.getMessage(), e);
        }
        OnnxClassifier runner;
        try {
            runner = OnnxClassifier.of(graph, "fer4j cnn " + stored.architecture().id(), null, null, threads);
        } catch (InvalidInputException e) {
            throw new IOException(what + " do not fit it: " + e.getMessage(), e);
        }
        return new OnnxCnn(stored, tensors, threads, engine, writer, runner);
    }

    @Override
    public String kind() {
        return io.github.fer4j.cnn.CnnModel.KIND;
    }

    @Override
    public Task task() {
        return stored.task();
    }

    @Override
    public Architecture architecture() {
        return stored.architecture();
    }

    @Override
    public float mean() {
        return stored.mean();
    }

    @Override
    public float std() {
        return stored.std();
    }

    @Override
    public TestTimeAugmentation testTimeAugmentation() {
        return stored.tta();
    }

    @Override
    public CnnModel withTestTimeAugmentation(TestTimeAugmentation mode) {
        if (mode == stored.tta()) {
            return this;
        }
        StoredCnn s = stored;
        try {
            return open(new StoredCnn(s.task(), s.architecture(), s.mean(), s.std(), mode, s.info(), s.parameters()), tensors, threads,
                    engine, writer);
        } catch (IOException e) {
            // The same parameters made a graph a moment ago; only the views differ.
            throw new IllegalStateException("the " + mode.id() + " views of a loaded network: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Tensor> parameterTensors() {
        return tensors;
    }

    @Override
    public StoredCnn stored() {
        return stored;
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public ModelInfo info() {
        return stored.info();
    }

    @Override
    public OnnxCnn withInfo(ModelInfo info) {
        StoredCnn s = stored;
        return new OnnxCnn(new StoredCnn(s.task(), s.architecture(), s.mean(), s.std(), s.tta(), info, s.parameters()), tensors,
                threads, engine, writer, runner);
    }

    /** The bytes of the graph the session runs. */
    byte[] graphBytes() {
        return runner.graphBytes();
    }

    @Override
    public float[] probabilities(byte[] face) {
        return runner.probabilities(face);
    }

    @Override
    public float[][] probabilities(FaceSet faces, int[] indices) {
        return runner.probabilities(faces, indices);
    }

    @Override
    public String toString() {
        return "cnn " + stored.architecture().id() + " on ONNX Runtime" + (engine.equals(OnnxRuntimeEngine.ID) ? "" : " (" + engine + ")")
                + " (views: " + stored.tta().id() + ")";
    }
}
