package io.github.fer4j.cli;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Split;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.ensemble.EnsembleFit;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fer ensemble}: several models as one model file, optionally weighted and calibrated on PublicTest. */
@Command(name = "ensemble", header = "Combine models into one file that averages them", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Combine models into one model file that averages their probabilities (by class name, so a FER+ model "
                + "joins a 7-emotion ensemble with its contempt dropped). Weights and a temperature can be chosen on PublicTest "
                + "(--weights fit, --temperature fit; they need --data); one model with --temperature fit is a calibrated "
                + "model. The result works wherever a model does: evaluate, predict, evaluate-photos, serve, --tta.")
final class EnsembleCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "MODEL", description = "The members: model files written by fer train (or fer ensemble), or ONNX graphs (.onnx, fer4j's or "
            + "foreign ones with their sidecar MODEL.onnx.json); an ONNX member is stored inside the ensemble file.")
    List<Path> members;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the ensemble.")
    Path out;

    @Option(names = "--weights", defaultValue = "equal", paramLabel = "equal|fit|W1,W2,...",
            description = "equal, fit (lowest negative log-likelihood on PublicTest) or one number per member. Default: ${DEFAULT-VALUE}.")
    String weights;

    @Option(names = "--temperature", defaultValue = "1", paramLabel = "T|fit",
            description = "Divides the combined log-probabilities: a number, or fit (on PublicTest). Default: ${DEFAULT-VALUE}.")
    String temperature;

    @Option(names = "--task", paramLabel = "TASK",
            description = "The ensemble's classes: emotions (7), ferplus (8) or happy. Default: the first member's task. "
                    + "--task emotions makes a FER+ network a 7-emotion model (its contempt dropped).")
    String taskName;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            throw new InvalidInputException(out + ": is a folder; give a file name to write");
        }
        List<Classifier> models = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path member : members) {
            models.add(io.github.fer4j.vision.BuiltInModels.resolve(member));
            names.add(member.getFileName().toString());
        }
        Task task = taskName == null ? models.get(0).task() : task(taskName);
        String whose = taskName == null ? members.get(0) + "'s task " : "--task ";
        for (int m = taskName == null ? 1 : 0; m < models.size(); m++) {
            if (models.get(m).task() != task && !models.get(m).classNames().containsAll(task.classNames())) {
                throw new InvalidInputException(members.get(m) + ": task " + models.get(m).task() + " " + models.get(m).classNames()
                        + " does not go with " + whose + task + " " + task.classNames());
            }
        }
        EnsembleClassifier ensemble;
        try {
            double[] w = new double[models.size()];
            Arrays.fill(w, 1);
            if (!weights.equals("equal") && !weights.equals("fit")) {
                String[] parts = weights.split(",");
                if (parts.length != models.size()) {
                    throw usage("--weights: " + parts.length + " numbers for " + models.size() + " members");
                }
                for (int m = 0; m < parts.length; m++) {
                    w[m] = Double.parseDouble(parts[m].trim());
                }
            }
            double t = temperature.equals("fit") ? 1 : Double.parseDouble(temperature);
            ensemble = new EnsembleClassifier(task, models, names, w, t, ModelInfo.NONE);
        } catch (NumberFormatException e) {
            throw usage("--weights and --temperature take numbers: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        boolean fit = weights.equals("fit") || temperature.equals("fit");
        if (fit && dataOptions.data == null) {
            throw usage("--weights fit and --temperature fit choose on PublicTest: give --data");
        }
        if (dataOptions.data != null) {
            FaceSet faces = dataOptions.load(1, task == Task.FERPLUS).faces();
            int[] idx = faces.indices(Split.PUBLIC_TEST);
            if (idx.length == 0) {
                throw new InvalidInputException(faces.source() + ": no PublicTest faces to choose or check the ensemble on");
            }
            int[] truth = task.labels(faces, idx);
            float[][][] each = new float[models.size()][][];
            for (int m = 0; m < models.size(); m++) {
                each[m] = models.get(m).probabilities(faces, idx);
                // Each member on the ensemble's classes and labels (a FER+ member of a 7-emotion ensemble: without contempt).
                Evaluation alone = Evaluation.of(task.classNames(), truth,
                        new EnsembleClassifier(task, List.of(models.get(m)), List.of(names.get(m)), new double[] {1}, 1,
                                ModelInfo.NONE).combineEach(each[m]));
                stdout.printf(Locale.ROOT, "member %-28s PublicTest accuracy %.4f  ACA %.4f%n", names.get(m), alone.accuracy(),
                        alone.aca());
            }
            double before = EnsembleFit.negativeLogLikelihood(ensemble, each, truth);
            double eceBefore = Evaluation.of(task.classNames(), truth, ensemble.probabilities(faces, idx)).calibration()
                    .expectedCalibrationError();
            if (weights.equals("fit")) {
                ensemble = ensemble.withWeights(EnsembleFit.weights(ensemble, each, truth, 6));
            }
            if (temperature.equals("fit")) {
                ensemble = ensemble.withTemperature(EnsembleFit.temperature(ensemble, each, truth));
            }
            Evaluation after = Evaluation.of(task.classNames(), truth, ensemble.probabilities(faces, idx));
            stdout.printf(Locale.ROOT, "ensemble weights %s, temperature %.3f%n", Arrays.toString(Arrays.stream(ensemble.weights())
                    .map(x -> Math.round(x * 1000) / 1000.0).toArray()), ensemble.temperature());
            stdout.printf(Locale.ROOT, "PublicTest: accuracy %.4f  ACA %.4f  NLL %.4f -> %.4f  ECE %.4f -> %.4f%n", after.accuracy(),
                    after.aca(), before, after.calibration().negativeLogLikelihood(), eceBefore,
                    after.calibration().expectedCalibrationError());
            Map<String, Double> shares = memberShares(ensemble);
            if (shares.isEmpty()) {
                // Members from before fer4j recorded their class shares: those of the data's Training faces.
                shares = ModelInfo.DataProvenance.shares(task.classNames(), task.labels(faces, faces.indices(Split.TRAINING)));
            }
            ensemble = ensemble.withInfo(new ModelInfo(null, new ModelInfo.DataProvenance(faces.source(), faces.sha256(), 0, idx.length,
                    shares), Map.of(Split.PUBLIC_TEST.csvName(), after.summary()), io.github.fer4j.model.Version.current()));
        } else {
            Map<String, Double> shares = memberShares(ensemble);
            if (!shares.isEmpty()) {
                ensemble = ensemble.withInfo(new ModelInfo(null, new ModelInfo.DataProvenance("", "", 0, 0, shares),
                        Map.of(), io.github.fer4j.model.Version.current()));
            }
        }
        ModelFile.save(ensemble, out);
        stdout.println("ensemble of " + models.size() + ": " + out);
        stdout.flush();
        return 0;
    }

    private Task task(String name) {
        for (Task t : Task.values()) {
            if (t.cliName().equalsIgnoreCase(name.trim())) {
                return t;
            }
        }
        throw usage("--task: unknown '" + name + "' (emotions, ferplus or happy)");
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * The class shares of the ensemble's training data: the members' own, weighted as the ensemble weights them; empty
     * unless every member records a share for every class of the ensemble.
     */
    static Map<String, Double> memberShares(EnsembleClassifier ensemble) {
        List<String> classes = ensemble.task().classNames();
        double[] mixed = new double[classes.size()];
        for (int m = 0; m < ensemble.members().size(); m++) {
            ModelInfo.DataProvenance data = ensemble.members().get(m).info().data();
            double[] own = new double[classes.size()];
            double kept = 0;
            for (int c = 0; c < own.length; c++) {
                Double share = data == null ? null : data.classShares().get(classes.get(c));
                if (share == null) {
                    return Map.of();
                }
                own[c] = share;
                kept += share;
            }
            // A member with classes the ensemble lacks (FER+'s contempt) is read without them, renormalised: its shares too.
            for (int c = 0; c < own.length; c++) {
                mixed[c] += ensemble.weights()[m] * (kept > 0 ? own[c] / kept : 1.0 / own.length);
            }
        }
        Map<String, Double> shares = new java.util.LinkedHashMap<>();
        for (int c = 0; c < mixed.length; c++) {
            shares.put(classes.get(c), mixed[c]);
        }
        return shares;
    }
}
