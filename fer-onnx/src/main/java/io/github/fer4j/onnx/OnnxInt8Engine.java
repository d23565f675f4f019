package io.github.fer4j.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.Version;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Runs stored CNNs on ONNX Runtime in int8 ({@code --engine onnxruntime-int8}): batch norm folded, weights int8 per
 * output channel, activations uint8 with ranges calibrated on faces the first time a network is opened
 * ({@link QuantizedCnnGraph}), then kept in fer4j's cache folder for later opens ({@link Int8CalibrationCache}).
 * Below the fp32 engine in preference, so a library user gets it by name only; fer's one-face commands (predict, video,
 * evaluate-photos, serve) name it unless told otherwise. Threads as {@link OnnxRuntimeEngine#THREADS} says.
 */
public final class OnnxInt8Engine implements CnnEngine {
    public static final String ID = "onnxruntime-int8";
    /** Calibration faces: synthetic, generated from a fixed seed, so that opening needs no data and gives the same graph. */
    static final int CALIBRATION_FACES = 1000;
    static final long CALIBRATION_SEED = 2013;
    /** Activation ranges are the largest values seen on the calibration faces. */
    static final double CALIBRATION_QUANTILE = 1.0;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int preference() {
        return 5;
    }

    @Override
    public CnnModel open(StoredCnn stored) throws IOException {
        return open(stored, Int8CalibrationCache.fromSettings());
    }

    /**
     * Opens {@code stored} with the ranges {@code cache} keeps for it; when it keeps none, measures them on the
     * calibration faces and stores them there for the next open.
     */
    static CnnModel open(StoredCnn stored, Int8CalibrationCache cache) throws IOException {
        List<CnnModel.Tensor> tensors = OnnxRuntimeEngine.checkedTensors(stored);
        byte[] key = Int8CalibrationCache.key(stored, CALIBRATION_FACES, CALIBRATION_SEED, CALIBRATION_QUANTILE);
        Optional<Int8Calibration> kept = cache.find(key);
        Int8Calibration calibration;
        if (kept.isPresent()) {
            calibration = kept.get();
        } else {
            calibration = calibrate(stored, tensors);
            cache.store(key, calibration);
        }
        return open(stored, tensors, calibration, QuantizedCnnGraph.FloatLayers.NONE);
    }

    /** Measures the activation ranges of {@code stored} on the calibration faces. */
    static Int8Calibration calibrate(StoredCnn stored) throws IOException {
        return calibrate(stored, OnnxRuntimeEngine.checkedTensors(stored));
    }

    private static Int8Calibration calibrate(StoredCnn stored, List<CnnModel.Tensor> tensors) throws IOException {
        FaceSet faces = SyntheticFaces.generate(CALIBRATION_FACES, CALIBRATION_SEED);
        return calibrate(stored, tensors, faces, IntStream.range(0, faces.size()).toArray(), CALIBRATION_QUANTILE);
    }

    /** The int8 network of {@code stored}, calibrated on the faces {@code indices} of {@code faces}. */
    static CnnModel open(StoredCnn stored, FaceSet faces, int[] indices, double quantile, QuantizedCnnGraph.FloatLayers floats)
            throws IOException {
        List<CnnModel.Tensor> tensors = OnnxRuntimeEngine.checkedTensors(stored);
        return open(stored, tensors, calibrate(stored, tensors, faces, indices, quantile), floats);
    }

    private static Int8Calibration calibrate(StoredCnn stored, List<CnnModel.Tensor> tensors, FaceSet faces, int[] indices,
                                             double quantile) throws IOException {
        try {
            return Int8Calibration.measure(OnnxCnn.description(stored, tensors), faces, indices, quantile, threads());
        } catch (OnnxExporter.NotExpressible e) {
            throw new IOException("the parameters of architecture " + stored.architecture().id() + " do not fit it: "
                    + e.getMessage(), e);
        }
    }

    private static CnnModel open(StoredCnn stored, List<CnnModel.Tensor> tensors, Int8Calibration calibration,
                                 QuantizedCnnGraph.FloatLayers floats) throws IOException {
        return OnnxCnn.open(stored, tensors, threads(), ID, description -> graphBytes(description, calibration, floats));
    }

    private static int threads() {
        return Integer.getInteger(OnnxRuntimeEngine.THREADS, 0);
    }

    /** The int8 graph's bytes: the fp32 graph's input, output and metadata around {@link QuantizedCnnGraph}. */
    static byte[] graphBytes(CnnModel cnn, Int8Calibration calibration, QuantizedCnnGraph.FloatLayers floats) {
        OnnxGraph graph = new OnnxGraph("fer4j_cnn_int8");
        graph.input(OnnxExporter.INPUT, -1, 1, FaceSet.SIDE, FaceSet.SIDE);
        String probabilities = QuantizedCnnGraph.probabilities(graph, OnnxExporter.INPUT, cnn, calibration, floats);
        graph.output(probabilities, OnnxExporter.OUTPUT, -1, cnn.classNames().size());
        ModelProto proto = graph.model(Version.current(), "fer4j cnn model for " + cnn.task().cliName()
                + " in int8 (calibrated on " + calibration.faces() + " faces): gray faces 0..255 [N,1,48,48] in, class probabilities out",
                OnnxExporter.metadata(cnn));
        return proto.toByteArray();
    }
}
