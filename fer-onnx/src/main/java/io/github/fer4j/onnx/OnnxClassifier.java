package io.github.fer4j.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An ONNX graph behind the common {@link Classifier} interface, run by ONNX Runtime: a graph fer4j exported (read from
 * its metadata) or a foreign one described by an {@link OnnxInputLayout}. Its output columns are put in the order of the
 * fer4j task whose classes they are, so evaluation, reports and ensembles read it like any fer4j model. Safe to call from
 * several threads at once (ONNX Runtime sessions are).
 */
public final class OnnxClassifier implements Classifier {
    public static final String KIND = "onnx";
    /** Faces per run in batch inference. */
    private static final int CHUNK = 256;

    private final String source;
    private final byte[] graph;
    private final OrtSession session;
    private final OnnxInputLayout layout;
    private final String inputName;
    private final Task task;
    /** For each class of the task, the graph's output column that holds it. */
    private final int[] column;
    private final boolean fer4jGraph;
    private final ModelInfo info;

    private OnnxClassifier(String source, byte[] graph, OrtSession session, OnnxInputLayout layout, String inputName,
                           Task task, int[] column, boolean fer4jGraph, ModelInfo info) {
        this.source = source;
        this.graph = graph;
        this.session = session;
        this.layout = layout;
        this.inputName = inputName;
        this.task = task;
        this.column = column;
        this.fer4jGraph = fer4jGraph;
        this.info = info;
    }

    /**
     * Loads {@code file}: a graph with fer4j metadata as it says, else as its sidecar ({@code file.json}) says. Bad
     * input (a damaged graph, a missing or wrong sidecar, classes that do not fit the output) is an InvalidInputException
     * naming the file and the field. Tensors whose data lies in external files are read from the model's folder, and
     * only from there ({@link OnnxExternalData}), wherever the command runs from.
     */
    public static OnnxClassifier load(Path file) {
        return load(file, null);
    }

    /** Loads {@code file} with the given layout (command-line options); null reads the metadata or the sidecar. */
    public static OnnxClassifier load(Path file, OnnxInputLayout given) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read the ONNX model: " + e.getMessage());
        }
        return of(bytes, file.toString(), given, file);
    }

    /**
     * A classifier on the graph {@code bytes}; {@code layout} null means the graph's fer4j metadata, then the sidecar beside
     * {@code file} (when there is a file).
     */
    public static OnnxClassifier of(byte[] bytes, String source, OnnxInputLayout layout, Path file) {
        return of(bytes, source, layout, file, 0);
    }

    /** As {@link #of(byte[], String, OnnxInputLayout, Path)}, on {@code threads} threads per run (0: ONNX Runtime's default, one per core). */
    public static OnnxClassifier of(byte[] bytes, String source, OnnxInputLayout layout, Path file, int threads) {
        return onRoomyStack(() -> open(bytes, source, layout, file, threads));
    }

    /** Stack for the thread that makes a session: far more than it needs, reserved rather than used. */
    private static final long SESSION_STACK_BYTES = 64L << 20;

    /**
     * Runs {@code work} on a thread with a {@link #SESSION_STACK_BYTES} stack. Loading ONNX Runtime's native library and
     * making a session, once libtorch (DJL) is loaded, overflowed the default 1 MB Java stack here (a crash with no hs_err
     * file; -Xss16m cured it). Runs, once the library is loaded, are made on the caller's thread.
     */
    static <T> T onRoomyStack(java.util.function.Supplier<T> work) {
        Object[] result = new Object[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread thread = new Thread(null, () -> {
            try {
                OnnxRuntimeNatives.prepare();
                result[0] = work.get();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "fer4j-onnx-session", SESSION_STACK_BYTES);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ONNX Runtime loaded a model", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** ONNX Runtime's version; loading its native library is one of the steps that needs the roomy stack. */
    public static String runtimeVersion() {
        return onRoomyStack(() -> OrtEnvironment.getEnvironment().getVersion());
    }

    private static OnnxClassifier open(byte[] given, String source, OnnxInputLayout layout, Path file, int threads) {
        // Weights kept in files beside the model are read by fer4j from the model's own folder, checked, and put into the
        // graph before ONNX Runtime sees it (which would read them from the working directory, or from anywhere).
        byte[] bytes = OnnxExternalData.inline(given, file == null ? null : file.toAbsolutePath().getParent(), source);
        OrtSession session = session(bytes, source, threads);
        try {
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            boolean fer4jGraph = metadata.containsKey(OnnxMetadata.FORMAT);
            if (layout == null) {
                if (fer4jGraph) {
                    layout = OnnxInputLayout.fer4j(fer4jClassNames(metadata, source), source + " (metadata)");
                } else if (file != null && Files.isRegularFile(OnnxInputLayout.sidecarOf(file))) {
                    layout = OnnxInputLayout.read(OnnxInputLayout.sidecarOf(file));
                } else {
                    throw new InvalidInputException(source + ": an ONNX graph without fer4j metadata needs a description: put a "
                            + "sidecar " + (file != null ? OnnxInputLayout.sidecarOf(file).getFileName() : "<model>.onnx.json")
                            + " beside it (fields " + new java.util.TreeSet<>(OnnxInputLayout.FIELDS) + "; classNames is required)"
                            + " or give --onnx-class-names and the other --onnx-* options");
                }
            }
            String inputName = inputName(session, layout);
            layout = checkInput(session, inputName, layout);
            Task task = taskOf(layout);
            int[] column = new int[task.classCount()];
            for (int c = 0; c < column.length; c++) {
                column[c] = indexIgnoringCase(layout.classNames(), task.classNames().get(c));
            }
            OnnxClassifier model = new OnnxClassifier(source, bytes, session, layout, inputName, task, column, fer4jGraph,
                    ModelInfo.NONE);
            model.probe();
            return model;
        } catch (OrtException e) {
            close(session);
            throw new InvalidInputException(source + ": ONNX Runtime cannot use this graph: " + e.getMessage());
        } catch (RuntimeException e) {
            close(session);
            throw e;
        }
    }

    private static OrtSession session(byte[] bytes, String source, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
            }
            return OrtEnvironment.getEnvironment().createSession(bytes, options);
        } catch (OrtException e) {
            throw new InvalidInputException(source + ": not a readable ONNX model: " + e.getMessage());
        }
    }

    private static void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Nothing more to do: the error that led here is what the user needs to see.
        }
    }

    private static List<String> fer4jClassNames(Map<String, String> metadata, String source) {
        String field = source + ": metadata " + OnnxMetadata.CLASS_NAMES;
        String value = metadata.get(OnnxMetadata.CLASS_NAMES);
        if (value == null) {
            throw new InvalidInputException(field + " is missing");
        }
        List<String> names = new ArrayList<>();
        try {
            JsonElement json = JsonParser.parseString(value);
            JsonArray array = json.getAsJsonArray();
            for (JsonElement e : array) {
                names.add(e.getAsString());
            }
        } catch (RuntimeException e) {
            throw new InvalidInputException(field + " is not a JSON array of names: " + value);
        }
        return names;
    }

    private static String inputName(OrtSession session, OnnxInputLayout layout) {
        if (layout.input() != null) {
            if (!session.getInputNames().contains(layout.input())) {
                throw OnnxInputLayout.field(layout.source(), "input", "names '" + layout.input()
                        + "', which the graph lacks; its inputs are " + session.getInputNames());
            }
            return layout.input();
        }
        if (session.getNumInputs() != 1) {
            throw OnnxInputLayout.field(layout.source(), "input", "is needed: the graph has " + session.getNumInputs()
                    + " inputs " + session.getInputNames());
        }
        return session.getInputNames().iterator().next();
    }

    /** Checks the layout against the input's shape, where the graph fixes it, and fills in a missing side. */
    private static OnnxInputLayout checkInput(OrtSession session, String inputName, OnnxInputLayout layout) throws OrtException {
        NodeInfo node = session.getInputInfo().get(inputName);
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.getShape().length != 4) {
            throw new InvalidInputException(layout.source() + ": the graph's input '" + inputName + "' is " + node.getInfo()
                    + "; fer4j feeds a 4-D float tensor of faces (NCHW or NHWC)");
        }
        long[] shape = tensor.getShape();
        int channelAxis = layout.channelsLast() ? 3 : 1;
        int heightAxis = layout.channelsLast() ? 1 : 2;
        int widthAxis = heightAxis + 1;
        if (shape[channelAxis] > 0 && shape[channelAxis] != layout.channels()) {
            throw OnnxInputLayout.field(layout.source(), layout.color() ? "color" : "layout", "gives " + layout.channels()
                    + " channel(s) on axis " + channelAxis + " (" + (layout.channelsLast() ? "NHWC" : "NCHW") + ") but the graph's input '"
                    + inputName + "' has shape " + Arrays.toString(shape) + " (set color and layout to match)");
        }
        Integer side = layout.side();
        if (side == null) {
            if (shape[heightAxis] <= 0 || shape[heightAxis] != shape[widthAxis]) {
                throw OnnxInputLayout.field(layout.source(), "side", "is missing and the graph's input '" + inputName + "' "
                        + Arrays.toString(shape) + " does not fix a square side");
            }
            return layout.withSide((int) shape[heightAxis]);
        }
        for (int axis : new int[] {heightAxis, widthAxis}) {
            if (shape[axis] > 0 && shape[axis] != side) {
                throw OnnxInputLayout.field(layout.source(), "side", "is " + side + " but the graph's input '" + inputName
                        + "' has shape " + Arrays.toString(shape));
            }
        }
        return layout;
    }

    /** The fer4j task whose classes the names are, in any order and letter case. */
    private static Task taskOf(OnnxInputLayout layout) {
        List<String> names = layout.classNames();
        for (Task t : Task.values()) {
            if (t.classCount() == names.size() && t.classNames().stream().allMatch(c -> indexIgnoringCase(names, c) >= 0)) {
                return t;
            }
        }
        StringBuilder tasks = new StringBuilder();
        for (Task t : Task.values()) {
            tasks.append(tasks.isEmpty() ? "" : "; ").append(t.cliName()).append(' ').append(t.classNames());
        }
        throw OnnxInputLayout.field(layout.source(), "classNames", names + " are not the classes of a fer4j task, in any "
                + "order (" + tasks + ")");
    }

    private static int indexIgnoringCase(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).trim().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Runs one blank face, so that a graph whose output does not fit the class names fails at load, not mid-report. */
    private void probe() {
        float[][] raw;
        try {
            raw = run(new byte[FaceSet.PIXELS], new int[] {0});
        } catch (OrtException e) {
            throw new InvalidInputException(layout.source() + ": running the graph on a " + describeInput()
                    + " face failed (check the fields side, color, layout and input): " + e.getMessage());
        }
        if (raw[0].length != layout.classNames().size()) {
            throw OnnxInputLayout.field(layout.source(), "classNames", "has " + layout.classNames().size()
                    + " names but the graph's output has " + raw[0].length + " columns");
        }
    }

    private String describeInput() {
        int side = layout.side();
        return side + "x" + side + "x" + layout.channels() + " " + (layout.channelsLast() ? "NHWC" : "NCHW");
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Task task() {
        return task;
    }

    /** Where the graph came from (its file). */
    public String source() {
        return source;
    }

    /** The graph's bytes as loaded (an ensemble stores its ONNX members this way). */
    public byte[] graphBytes() {
        return graph.clone();
    }

    public OnnxInputLayout layout() {
        return layout;
    }

    /** Whether the graph was written by fer4j (read from its metadata) rather than described by a sidecar. */
    public boolean fer4jGraph() {
        return fer4jGraph;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public OnnxClassifier withInfo(ModelInfo info) {
        return new OnnxClassifier(source, graph, session, layout, inputName, task, column, fer4jGraph, info);
    }

    @Override
    public float[] probabilities(byte[] face) {
        if (face.length != FaceSet.PIXELS) {
            throw new IllegalArgumentException("a face has " + FaceSet.PIXELS + " pixels, got " + face.length);
        }
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
            System.arraycopy(probabilities(pixels, offsets), 0, out, start, n);
        }
        return out;
    }

    /** Probabilities, in the task's class order, for the faces starting at {@code offsets} in {@code pixels}. */
    private float[][] probabilities(byte[] pixels, int[] offsets) {
        float[][] raw;
        try {
            raw = run(pixels, offsets);
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": ONNX Runtime failed: " + e.getMessage(), e);
        }
        float[][] out = new float[offsets.length][column.length];
        for (int k = 0; k < offsets.length; k++) {
            float[] p = layout.logits() ? softmax(raw[k]) : raw[k];
            for (int c = 0; c < column.length; c++) {
                out[k][c] = p[column[c]];
            }
        }
        return out;
    }

    /** This thread's direct buffer for one call's input (reused: the call closes its tensor before returning). */
    private static final ThreadLocal<FloatBuffer> INPUT = new ThreadLocal<>();

    /**
     * {@code input} in a direct buffer of this thread: ONNX Runtime reads a direct buffer in place, where it copies a heap
     * buffer into a direct one it allocates on every call (a cost that shows when faces come one at a time).
     */
    private static FloatBuffer inputBuffer(float[] input) {
        FloatBuffer buffer = INPUT.get();
        if (buffer == null || buffer.capacity() < input.length) {
            if (input.length > MAX_REUSED_INPUT) {
                return FloatBuffer.wrap(input);
            }
            buffer = java.nio.ByteBuffer.allocateDirect(Math.max(input.length, FaceSet.PIXELS) * Float.BYTES)
                    .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
            INPUT.set(buffer);
        }
        buffer.clear();
        buffer.put(input);
        buffer.flip();
        return buffer;
    }

    /** Inputs up to this many floats (a few faces) reuse the thread's buffer; batches allocate as before. */
    private static final int MAX_REUSED_INPUT = 16 * 3 * 64 * 64;

    /** The graph's output rows, in its own column order, as it gives them. */
    private float[][] run(byte[] pixels, int[] offsets) throws OrtException {
        int side = layout.side();
        int channels = layout.channels();
        int size = side * side * channels;
        float[] input = new float[offsets.length * size];
        float[] plane = new float[side * side];
        for (int k = 0; k < offsets.length; k++) {
            resize(pixels, offsets[k], side, plane);
            for (int ch = 0; ch < channels; ch++) {
                float scale = layout.scale();
                float mean = layout.mean()[ch];
                float std = layout.std()[ch];
                for (int p = 0; p < plane.length; p++) {
                    // NCHW: channel planes one after another; NHWC: the channels of a pixel side by side.
                    int at = layout.channelsLast() ? p * channels + ch : ch * plane.length + p;
                    input[k * size + at] = (plane[p] * scale - mean) / std;
                }
            }
        }
        long[] shape = layout.channelsLast() ? new long[] {offsets.length, side, side, channels}
                : new long[] {offsets.length, channels, side, side};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, inputBuffer(input), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            Optional<OnnxValue> named = layout.output() != null ? result.get(layout.output()) : Optional.of(result.get(0));
            OnnxValue value = named.orElseThrow(() -> OnnxInputLayout.field(layout.source(), "output",
                    "names '" + layout.output() + "', which the graph lacks; its outputs are " + session.getOutputNames()));
            if (!(value instanceof OnnxTensor out) || out.getInfo().getShape().length != 2) {
                throw new InvalidInputException(layout.source() + ": the graph's output is " + value.getInfo()
                        + "; fer4j reads a 2-D float tensor [faces, classes]");
            }
            long[] outShape = out.getInfo().getShape();
            FloatBuffer values = out.getFloatBuffer();
            int classes = (int) outShape[1];
            float[][] rows = new float[offsets.length][classes];
            for (int k = 0; k < offsets.length; k++) {
                values.get(rows[k]);
            }
            return rows;
        }
    }

    /**
     * The face at {@code face[from ..]} at {@code side} x {@code side}: a copy at 48, else bilinear with pixel centres
     * aligned (as OpenCV's INTER_LINEAR resizes), the border repeated.
     */
    static void resize(byte[] face, int from, int side, float[] out) {
        int n = FaceSet.SIDE;
        if (side == n) {
            for (int p = 0; p < n * n; p++) {
                out[p] = face[from + p] & 0xff;
            }
            return;
        }
        double ratio = (double) n / side;
        for (int v = 0; v < side; v++) {
            double sy = Math.min(Math.max((v + 0.5) * ratio - 0.5, 0), n - 1);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, n - 1);
            float fy = (float) (sy - y0);
            for (int u = 0; u < side; u++) {
                double sx = Math.min(Math.max((u + 0.5) * ratio - 0.5, 0), n - 1);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, n - 1);
                float fx = (float) (sx - x0);
                float top = (face[from + y0 * n + x0] & 0xff) * (1 - fx) + (face[from + y0 * n + x1] & 0xff) * fx;
                float bottom = (face[from + y1 * n + x0] & 0xff) * (1 - fx) + (face[from + y1 * n + x1] & 0xff) * fx;
                out[v * side + u] = top * (1 - fy) + bottom * fy;
            }
        }
    }

    /** softmax(s)_c = e^(s_c - max) / sum e^(s_j - max), for graphs that give logits. */
    private static float[] softmax(float[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : s) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[s.length];
        for (int c = 0; c < s.length; c++) {
            e[c] = Math.exp(s[c] - max);
            sum += e[c];
        }
        float[] p = new float[s.length];
        for (int c = 0; c < s.length; c++) {
            p[c] = (float) (e[c] / sum);
        }
        return p;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "onnx %s (%s input %s)", source, fer4jGraph ? "fer4j" : "foreign", describeInput());
    }
}
