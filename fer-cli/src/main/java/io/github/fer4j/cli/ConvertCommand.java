package io.github.fer4j.cli;

import com.google.gson.JsonObject;
import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fer convert}: a model file rewritten with its CNN weights in fp16 and/or other default test-time views. */
@Command(name = "convert", header = "Rewrite a model with fp16 weights or other default views", mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Rewrite a model file: --weights fp16 rounds every CNN's weights (an ensemble's members too) to half "
                + "precision, which the file then stores in 16 bits (half the size); --tta sets the views the model reads each "
                + "face with by default. Everything else (ensemble weights, temperature, class shares) is kept, and the file "
                + "records the conversion.",
                "The new model is compared with the old on PublicTest (with --data) or on synthetic faces: how many faces keep "
                        + "their class and the largest change of a probability. With --data its PublicTest metrics are "
                        + "measured again and stored; without, the old ones are dropped, as they no longer describe it."})
final class ConvertCommand implements Callable<Integer> {
    /** Synthetic faces the models are compared on without --data. */
    static final int SYNTHETIC_FACES = 2000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (fer train, fer ensemble, fer import-torch).")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the converted model.")
    Path out;

    @Option(names = "--weights", defaultValue = "keep", paramLabel = "fp16|keep",
            description = "fp16: round CNN weights to half precision; keep: leave them. Default: ${DEFAULT-VALUE}.")
    String weights;

    @Option(names = "--tta", paramLabel = "none|flip|crops", description = "The default test-time views of every CNN in the model.")
    String tta;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            throw InvalidInputException.at(out, "is a folder; give a file name to write");
        }
        boolean half = switch (weights.toLowerCase(Locale.ROOT)) {
            case "fp16" -> true;
            case "keep" -> false;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--weights must be fp16 or keep, not '" + weights + "'");
        };
        TestTimeAugmentation views = null;
        if (tta != null) {
            try {
                views = TestTimeAugmentation.named(tta);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--tta: " + e.getMessage());
            }
        }
        Classifier original = io.github.fer4j.vision.BuiltInModels.resolve(model);
        int[] cnns = {0};
        Classifier converted = convert(original, half, views, cnns);
        if (cnns[0] == 0) {
            throw InvalidInputException.at(model, "holds no CNN (a " + original.kind() + " model): nothing to convert");
        }
        PrintWriter o = spec.commandLine().getOut();
        FaceSet faces;
        int[] idx;
        if (dataOptions.data != null) {
            faces = dataOptions.load(1, original.task() == io.github.fer4j.task.Task.FERPLUS).faces();
            idx = faces.indices(Split.PUBLIC_TEST);
            if (idx.length == 0) {
                throw new InvalidInputException(faces.source() + ": no PublicTest faces to compare the models on");
            }
        } else {
            faces = SyntheticFaces.generate(SYNTHETIC_FACES, 7);
            idx = IntStream.range(0, faces.size()).toArray();
        }
        float[][] before = original.probabilities(faces, idx);
        float[][] after = converted.probabilities(faces, idx);
        int same = 0;
        double max = 0;
        for (int k = 0; k < idx.length; k++) {
            same += top(before[k]) == top(after[k]) ? 1 : 0;
            for (int c = 0; c < before[k].length; c++) {
                max = Math.max(max, Math.abs(before[k][c] - after[k][c]));
            }
        }
        String on = dataOptions.data != null ? "PublicTest (" + idx.length + " faces)" : idx.length + " synthetic faces";
        o.printf(Locale.ROOT, "compared on %s: same class on %d (%.2f%%), max |p_new - p_old| %.2g%n", on, same,
                100.0 * same / idx.length, max);
        ModelInfo info = converted.info();
        JsonObject conversion = new JsonObject();
        conversion.addProperty("from", model.getFileName().toString());
        conversion.addProperty("fromSha256", sha256(io.github.fer4j.vision.BuiltInModels.builtInFor(model)
                .map(io.github.fer4j.vision.BuiltInModels::bytes).orElseGet(() -> read(model))));
        conversion.addProperty("command", "fer " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        conversion.addProperty("weights", half ? "fp16" : "kept");
        if (views != null) {
            conversion.addProperty("testTimeAugmentation", views.id());
        }
        conversion.addProperty("sameClass", same);
        conversion.addProperty("comparedOn", on);
        conversion.addProperty("maxProbabilityChange", max);
        JsonObject settings = info.training() != null ? info.training().settings() : new JsonObject();
        settings.add("conversion", conversion);
        ModelInfo.TrainingRecord training = info.training() != null
                ? new ModelInfo.TrainingRecord(settings, info.training().bestEpoch(), info.training().stoppedEarly(), info.training().seconds())
                : new ModelInfo.TrainingRecord(settings, 0, null, null);
        info = new ModelInfo(training, info.data(), new LinkedHashMap<>(), info.fer4jVersion());
        if (dataOptions.data != null) {
            Evaluation measured = Evaluation.of(original.task().classNames(), original.task().labels(faces, idx), after);
            info = info.withMetrics(Split.PUBLIC_TEST.csvName(), measured.summary());
            Evaluation old = Evaluation.of(original.task().classNames(), original.task().labels(faces, idx), before);
            o.printf(Locale.ROOT, "PublicTest accuracy %.4f (ACA %.4f), before %.4f (ACA %.4f)%n", measured.accuracy(),
                    measured.aca(), old.accuracy(), old.aca());
        }
        converted = converted.withInfo(info);
        byte[] bytes = ModelFile.toBytes(converted);
        ModelFile.load(new ByteArrayInputStream(bytes), out.toString());
        AtomicFiles.write(out, w -> w.write(bytes));
        o.printf(Locale.ROOT, "wrote %s (%,d bytes)%n", out, bytes.length);
        o.flush();
        return 0;
    }

    /** {@code model} with its CNNs converted; counts them in {@code cnns[0]}. */
    private static Classifier convert(Classifier model, boolean half, TestTimeAugmentation views, int[] cnns) {
        if (model instanceof CnnModel cnn) {
            cnns[0]++;
            try {
                StoredCnn stored = cnn.stored();
                if (half) {
                    stored = stored.roundedToHalf();
                }
                if (views != null) {
                    stored = stored.withTestTimeAugmentation(views);
                }
                return CnnEngine.selected().open(stored);
            } catch (IOException e) {
                throw new UncheckedIOException("converting a " + cnn.architecture().id() + " network: " + e.getMessage(), e);
            }
        }
        if (model instanceof EnsembleClassifier ensemble) {
            return ensemble.mapMembers(m -> convert(m, half, views, cnns));
        }
        return model;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read: " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int top(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            best = p[c] > p[best] ? c : best;
        }
        return best;
    }
}
