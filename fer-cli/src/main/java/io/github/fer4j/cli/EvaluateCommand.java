package io.github.fer4j.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Split;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.report.FigureWriter;
import io.github.fer4j.report.Figures;
import io.github.fer4j.vision.EmotionRecognizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fer evaluate}: every metric of a model on one split, as a table and optionally JSON. */
@Command(name = "evaluate", header = "Score a model on a split: accuracy, ACA, confusion matrix", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model on one split: accuracy, ACA (mean per-class recall), per-class precision / recall / F1, macro F1 and the confusion matrix; for Happy-vs-rest also the PR curve, average precision, ROC AUC, best-F1 threshold and a threshold sweep (0.05..0.95, with the seeds' 0.4 / 0.5 / 0.6).")
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME|FILE", description = "A built-in model by name, fast (the default) or accurate (see "
            + "fer models), a model written by fer train or fer import-torch, or an ONNX graph (.onnx: fer4j's export, or a "
            + "foreign one described by MODEL.onnx.json or the --onnx-* options). Default: fast.")
    Path model;

    @CommandLine.ArgGroup(exclusive = false, heading = "Foreign ONNX models (instead of a sidecar MODEL.onnx.json):%n")
    OnnxLayoutOptions onnxLayout = new OnnxLayoutOptions();

    @Mixin
    DataOptions dataOptions;

    @Mixin
    TtaOption ttaOption;

    @Option(names = "--split", defaultValue = "PublicTest", paramLabel = "SPLIT",
            description = "Training, PublicTest or PrivateTest. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the metrics as JSON here.")
    Path json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write metrics.json and figures here (PNG and SVG): confusion matrices, per-class bars, the "
                    + "reliability diagram and the predicted vs true class shares.")
    Path outDir;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic faces (without --data). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        Split parsedSplit = Split.parse(split).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "unknown --split '" + split + "' (expected Training, PublicTest or PrivateTest)"));
        Classifier classifier = ttaOption.apply(model != null ? onnxLayout.load(model) : EmotionRecognizer.defaultModel());
        String modelName = model != null ? model.toString() : "default model";
        FaceSet faces = dataOptions.load(seed, classifier.task() == io.github.fer4j.task.Task.FERPLUS || dataOptions.ferPlusLabels()).faces();
        int[] idx = faces.indices(parsedSplit);
        if (idx.length == 0) {
            throw new InvalidInputException(faces.source() + ": no " + parsedSplit + " faces to evaluate on");
        }
        Evaluation evaluation = Evaluation.on(classifier, faces, idx);
        var out = spec.commandLine().getOut();
        out.printf("model %s (%s%s, task %s) on %s %s%n%n", modelName, classifier.kind(),
                classifier instanceof io.github.fer4j.cnn.CnnModel cnn
                        ? ", test-time views: " + cnn.testTimeAugmentation().id() + ", engine: " + cnn.engine()
                        : classifier.engine().equals(Classifier.JAVA_ENGINE) ? "" : ", engine: " + classifier.engine(),
                classifier.task(), faces.source(), parsedSplit);
        out.print(evaluation.toTable());
        if (json != null) {
            JsonObject metrics = evaluation.toJson();
            metrics.addProperty("model", modelName);
            metrics.addProperty("split", parsedSplit.csvName());
            metrics.addProperty("data", faces.source());
            AtomicFiles.writeString(json, new GsonBuilder().setPrettyPrinting().create().toJson(metrics));
            out.println();
            out.println("metrics: " + json);
        }
        if (outDir != null) {
            if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
                throw InvalidInputException.at(outDir, "is a file, not an output folder");
            }
            JsonObject metrics = evaluation.toJson();
            metrics.addProperty("model", modelName);
            metrics.addProperty("split", parsedSplit.csvName());
            metrics.addProperty("data", faces.source());
            AtomicFiles.writeString(outDir.resolve("metrics.json"), new GsonBuilder().setPrettyPrinting().create().toJson(metrics));
            FigureWriter figures = new FigureWriter(outDir);
            String where = parsedSplit.csvName();
            figures.save("confusion-counts", Figures.confusion("Confusion, " + where, evaluation, false));
            figures.save("confusion-normalized", Figures.confusion("Confusion, " + where, evaluation, true));
            figures.save("per-class", Figures.perClass("Per-class recall, precision and F1, " + where, evaluation));
            figures.save("reliability", Figures.reliability("Reliability, " + where, evaluation));
            figures.save("class-distribution", Figures.classDistribution("Predicted vs true class shares, " + where, evaluation));
            out.println("metrics and figures: " + outDir);
        }
        out.flush();
        return 0;
    }
}
