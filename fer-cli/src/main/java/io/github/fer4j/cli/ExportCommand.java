package io.github.fer4j.cli;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.onnx.OnnxClassifier;
import io.github.fer4j.onnx.OnnxExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fer export}: a fer4j model as a whole ONNX graph that any ONNX runtime runs with no fer4j code. */
@Command(name = "export", header = "Write a model as an ONNX graph", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a model as an ONNX graph: gray levels 0..255 as float32 [N,1,48,48] in (any batch), class "
                + "probabilities out; the crop, normalisation, test-time views and ensemble mixing happen inside the graph, and "
                + "the class names, input layout, crop and views are in its metadata_props. Logistic and softmax models on "
                + "pixels, CNNs and ensembles of them export; HOG and LBP models are refused with the reason.",
                "Before writing, the graph is run by ONNX Runtime on synthetic faces and must give the model's "
                        + "probabilities within 1e-4; nothing is written otherwise."})
final class ExportCommand implements Callable<Integer> {
    /** Faces the written graph is checked on, and the largest difference allowed. */
    static final int CHECK_FACES = 64;
    static final double TOLERANCE = 1e-4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "onnx", description = "The format to write. Default: ${DEFAULT-VALUE} (the only one).")
    String format;

    @Mixin
    TtaOption ttaOption;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model written by fer train, fer ensemble or fer import-torch, or a built-in by name (fast, accurate).")
    Path model;

    @Parameters(index = "1", paramLabel = "OUT", description = "Where to write the graph (model.onnx).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!format.toLowerCase(Locale.ROOT).equals("onnx")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be onnx, not '" + format + "'");
        }
        if (Files.isDirectory(out)) {
            throw InvalidInputException.at(out, "is a folder; give a file name to write");
        }
        Classifier classifier = ttaOption.apply(io.github.fer4j.vision.BuiltInModels.resolve(model));
        byte[] graph = OnnxExporter.toBytes(classifier, model.toString());
        double difference = check(classifier, graph);
        if (!(difference <= TOLERANCE)) {
            spec.commandLine().getErr().printf("fer: the ONNX graph of %s differs from the model by %.3g on synthetic faces "
                    + "(allowed %.0e); nothing written%n", model, difference, TOLERANCE);
            return 1;
        }
        AtomicFiles.write(out, o -> o.write(graph));
        var o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s (%,d bytes, %s model, classes %s)%n", out, graph.length, classifier.kind(), classifier.classNames());
        o.printf(Locale.ROOT, "checked: ONNX Runtime vs fer4j on %d synthetic faces, max |difference| %.2g%n", CHECK_FACES, difference);
        o.flush();
        return 0;
    }

    /** The largest |difference| between the model and the graph run by ONNX Runtime, on a few synthetic faces. */
    static double check(Classifier classifier, byte[] graph) {
        FaceSet faces = SyntheticFaces.generate(CHECK_FACES, 1);
        int[] all = IntStream.range(0, faces.size()).toArray();
        float[][] expected = classifier.probabilities(faces, all);
        float[][] actual = OnnxClassifier.of(graph, "the exported graph", null, null).probabilities(faces, all);
        double max = 0;
        for (int k = 0; k < all.length; k++) {
            for (int c = 0; c < expected[k].length; c++) {
                max = Math.max(max, Math.abs(expected[k][c] - actual[k][c]));
            }
        }
        return max;
    }
}
