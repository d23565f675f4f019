package io.github.fer4j.bench;

import com.google.gson.JsonObject;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.features.FeatureExtractor;
import io.github.fer4j.train.ClassWeights;
import io.github.fer4j.train.LearningRate;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The model comparison table of the README: every model kind trained on FER2013 Training with the settings fer4j
 * recommends, then PublicTest and PrivateTest accuracy and ACA, training seconds, model file size and faces per
 * second (one face at a time, features included). CNNs take an hour and more to train on two cores, so they are
 * not retrained here: each CNN model file given is evaluated as it is, with its own recorded training time, plain
 * and with test-time augmentation. Usage: {@code ModelComparison [fer2013.csv.gz [cnn.fer ...]]}; without a CNN
 * file the default model inside the jar is used when it is a CNN.
 */
public final class ModelComparison {
    private record Entry(String name, Task task, LinearTrainer trainer) { }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/fer2013.csv.gz");
        if (!Files.isRegularFile(data)) {
            System.out.println("FER2013 not found at " + data + ": the comparison needs the real data");
            return;
        }
        FaceSet faces = Fer2013Reader.read(data);
        SgdConfig pixels = SgdConfig.defaults();
        SgdConfig spatial = SgdConfig.defaults().with(c -> { c.learningRate = LearningRate.cosine(3e-3); c.l2 = 3e-4; });
        List<Entry> entries = List.of(
                new Entry("logistic, pixels (Happy vs rest, balanced)", Task.HAPPY,
                        LinearTrainer.logistic(pixels.with(c -> c.classWeights = ClassWeights.BALANCED))),
                new Entry("softmax, pixels", Task.EMOTIONS, LinearTrainer.softmax(pixels)),
                new Entry("softmax, HOG", Task.EMOTIONS, LinearTrainer.softmax(spatial).withFeatures(features("hog"))),
                new Entry("softmax, LBP", Task.EMOTIONS, LinearTrainer.softmax(spatial).withFeatures(features("lbp"))),
                new Entry("softmax, HOG+LBP", Task.EMOTIONS, LinearTrainer.softmax(spatial).withFeatures(features("hog+lbp"))));
        System.out.printf(Locale.ROOT, "fer4j model comparison on %s, %d cores, Java %s%n%n", data.getFileName(),
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.println("| model | task | PublicTest acc | PublicTest ACA | PrivateTest acc | PrivateTest ACA | training s | model KB | faces/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        Path dir = Files.createTempDirectory("fer4j-models");
        for (Entry e : entries) {
            long start = System.nanoTime();
            Classifier model = e.trainer().fitAll(faces, e.task(), List.of());
            double seconds = (System.nanoTime() - start) / 1e9;
            Path file = dir.resolve("model.fer");
            ModelFile.save(model, file);
            Evaluation pub = evaluate(model, faces, Split.PUBLIC_TEST);
            Evaluation priv = evaluate(model, faces, Split.PRIVATE_TEST);
            System.out.printf(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f | %.4f | %.1f | %d | %.0f |%n", e.name(), e.task(),
                    pub.accuracy(), pub.aca(), priv.accuracy(), priv.aca(), seconds, Files.size(file) / 1024,
                    facesPerSecond(model, faces, faces.indices(Split.PUBLIC_TEST)));
            Files.delete(file);
        }
        Files.delete(dir);

        List<Classifier> cnns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (int a = 1; a < args.length; a++) {
            cnns.add(ModelFile.load(Path.of(args[a])));
            names.add(Path.of(args[a]).getFileName().toString());
            sizes.add(Files.size(Path.of(args[a])));
        }
        if (cnns.isEmpty()) {
            Classifier shipped = EmotionRecognizer.defaultModel();
            if (shipped instanceof CnnModel) {
                cnns.add(shipped);
                names.add("default model");
                try (var in = ModelComparison.class.getResourceAsStream(EmotionRecognizer.DEFAULT_MODEL)) {
                    sizes.add((long) in.readAllBytes().length);
                }
            }
        }
        for (int m = 0; m < cnns.size(); m++) {
            CnnModel cnn = (CnnModel) cnns.get(m);
            var training = cnn.info().training();
            double seconds = training != null && training.seconds() != null ? training.seconds() : Double.NaN;
            for (TestTimeAugmentation tta : TestTimeAugmentation.values()) {
                CnnModel model = cnn.withTestTimeAugmentation(tta);
                Evaluation pub = Evaluation.on(model, faces, faces.indices(Split.PUBLIC_TEST));
                Evaluation priv = Evaluation.on(model, faces, faces.indices(Split.PRIVATE_TEST));
                System.out.printf(Locale.ROOT, "| CNN %s%s (%s) | %s | %.4f | %.4f | %.4f | %.4f | %.0f | %d | %.0f |%n",
                        cnn.architecture().id(), tta == TestTimeAugmentation.NONE ? "" : " + TTA " + tta.id(), names.get(m),
                        cnn.task(), pub.accuracy(), pub.aca(), priv.accuracy(), priv.aca(), seconds, sizes.get(m) / 1024,
                        facesPerSecond(model, faces, Arrays.copyOf(faces.indices(Split.PUBLIC_TEST), 500)));
            }
        }
    }

    /** Faces per second one face at a time (the photo path), the best of three rounds. */
    private static double facesPerSecond(Classifier model, FaceSet faces, int[] idx) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t = System.nanoTime();
            for (int i : idx) {
                model.probabilities(faces.face(i));
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return idx.length / best;
    }

    private static FeatureExtractor features(String name) {
        return FeatureExtractor.named(name, new JsonObject());
    }

    private static Evaluation evaluate(Classifier model, FaceSet faces, Split split) {
        int[] idx = faces.indices(split);
        return Evaluation.on(model, faces, idx);
    }
}
