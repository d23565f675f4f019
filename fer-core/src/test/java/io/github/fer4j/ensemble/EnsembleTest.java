package io.github.fer4j.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleTest {
    @TempDir
    Path dir;

    /** A test model: no provenance to keep. */
    private interface Plain extends Classifier {
        @Override
        default ModelInfo info() {
            return ModelInfo.NONE;
        }

        @Override
        default Classifier withInfo(ModelInfo info) {
            return this;
        }
    }

    /** A model that says the same probabilities for every face. */
    private record Fixed(Task task, List<String> classNames, float[] p) implements Plain {
        @Override
        public String kind() {
            return "fixed";
        }

        @Override
        public float[] probabilities(byte[] face) {
            return p.clone();
        }
    }

    private static final byte[] FACE = new byte[FaceSet.PIXELS];

    @Test
    void theWeightedMeanIsWorkedByHand() {
        Classifier a = new Fixed(Task.HAPPY, Task.HAPPY.classNames(), new float[] {0.8f, 0.2f});
        Classifier b = new Fixed(Task.HAPPY, Task.HAPPY.classNames(), new float[] {0.2f, 0.8f});
        // Weights 3 and 1 are 0.75 and 0.25: Rest 0.75 * 0.8 + 0.25 * 0.2 = 0.65, Happy 0.35.
        EnsembleClassifier e = new EnsembleClassifier(Task.HAPPY, List.of(a, b), List.of("a", "b"), new double[] {3, 1}, 1,
                ModelInfo.NONE);
        assertArrayEquals(new float[] {0.65f, 0.35f}, e.probabilities(FACE), 1e-6f);
        // Temperature 2: p ∝ sqrt(q): sqrt(0.65) = 0.80623, sqrt(0.35) = 0.59161, so Rest 0.80623 / 1.39784 = 0.57677.
        assertArrayEquals(new float[] {0.57677f, 0.42323f}, e.withTemperature(2).probabilities(FACE), 1e-5f);
    }

    /** A member whose answer depends on the face (its first pixel) and that notes the threads it ran on. */
    private record Noting(int salt, Set<String> threads) implements Plain {
        @Override
        public String kind() {
            return "noting";
        }

        @Override
        public Task task() {
            return Task.HAPPY;
        }

        @Override
        public float[] probabilities(byte[] face) {
            threads.add(Thread.currentThread().getName());
            if (face[0] == -1) {
                throw new IllegalArgumentException("member " + salt + " refuses this face");
            }
            float happy = ((face[0] & 0xFF) * (salt + 1) % 97) / 97f;
            return new float[] {1 - happy, happy};
        }
    }

    /**
     * One face's members may be read on a helper thread: from eight threads at once, every answer is the weighted mean
     * worked from the members directly, the helper did take part (on a machine of two cores or more), and a member's
     * failure there reaches the caller as itself.
     */
    @Test
    void membersReadOnTheHelperThreadGiveWhatTheCallerWould() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Classifier> members = List.of(new Noting(0, threads), new Noting(1, threads), new Noting(2, threads));
        double[] w = {0.5, 0.3, 0.2};
        EnsembleClassifier e = new EnsembleClassifier(Task.HAPPY, members, List.of("a", "b", "c"), w, 1, ModelInfo.NONE);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(callers.submit(() -> {
                for (int f = 0; f < 250; f++) {
                    byte[] face = new byte[FaceSet.PIXELS];
                    face[0] = (byte) (f % 255);
                    double happy = 0;
                    for (int m = 0; m < 3; m++) {
                        happy += w[m] * ((f % 255) * (m + 1) % 97) / 97.0;
                    }
                    assertEquals(happy, e.probabilities(face)[1], 1e-6, "face " + f);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        callers.shutdown();
        if (Runtime.getRuntime().availableProcessors() > 1) {
            assertTrue(threads.contains("fer-ensemble-helper"), "threads that read members: " + threads);
        }
        byte[] refused = new byte[FaceSet.PIXELS];
        refused[0] = -1;
        IllegalArgumentException failed = assertThrows(IllegalArgumentException.class, () -> e.probabilities(refused));
        assertTrue(failed.getMessage().startsWith("member "), failed.getMessage());
        // The helper is free again after a failure: the next faces are read as before.
        assertEquals(0.5 * 0 + 0.3 * 0 + 0.2 * 0, e.probabilities(new byte[FaceSet.PIXELS])[1], 1e-6);
    }

    @Test
    void aMemberWithMoreClassesIsReadByNameAndRenormalised() {
        // FER+ order: Neutral, Happy, Surprise, Sad, Angry, Disgust, Fear, Contempt; 0.2 of its mass on contempt.
        List<String> ferPlus = Task.FERPLUS.classNames();
        float[] p = new float[8];
        p[ferPlus.indexOf("Happy")] = 0.4f;
        p[ferPlus.indexOf("Neutral")] = 0.4f;
        p[ferPlus.indexOf("Contempt")] = 0.2f;
        EnsembleClassifier e = new EnsembleClassifier(Task.EMOTIONS, List.of(new Fixed(Task.FERPLUS, ferPlus, p)), List.of("ferplus"),
                new double[] {1}, 1, ModelInfo.NONE);
        float[] out = e.probabilities(FACE);
        assertEquals(0.5f, out[Task.EMOTIONS.classNames().indexOf("Happy")], 1e-6f);
        assertEquals(0.5f, out[Task.EMOTIONS.classNames().indexOf("Neutral")], 1e-6f);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new EnsembleClassifier(Task.EMOTIONS,
                List.of(new Fixed(Task.HAPPY, Task.HAPPY.classNames(), new float[] {0.5f, 0.5f})), List.of("happy.fer"),
                new double[] {1}, 1, ModelInfo.NONE));
        assertTrue(missing.getMessage().startsWith("happy.fer: its classes [Rest, Happy] lack Angry"), missing.getMessage());
    }

    @Test
    void fittingTheTemperatureLowersTheLikelihoodOfAnOverconfidentModel() {
        // A model 80 % sure of Happy on every face, right on 60 of 100: a softer answer fits better.
        Classifier sure = new Fixed(Task.HAPPY, Task.HAPPY.classNames(), new float[] {0.2f, 0.8f});
        EnsembleClassifier e = new EnsembleClassifier(Task.HAPPY, List.of(sure), List.of("sure"), new double[] {1}, 1, ModelInfo.NONE);
        int[] truth = new int[100];
        for (int i = 0; i < 60; i++) {
            truth[i] = 1;
        }
        float[][][] each = {new float[100][]};
        for (int i = 0; i < 100; i++) {
            each[0][i] = sure.probabilities(FACE);
        }
        double before = EnsembleFit.negativeLogLikelihood(e, each, truth);
        double t = EnsembleFit.temperature(e, each, truth);
        double after = EnsembleFit.negativeLogLikelihood(e.withTemperature(t), each, truth);
        assertTrue(t > 1, "an overconfident model is softened: T = " + t);
        // Before: -(0.6 ln 0.8 + 0.4 ln 0.2) = 0.77769. The best any constant answer can do is p(Happy) = 0.6,
        // -(0.6 ln 0.6 + 0.4 ln 0.4) = 0.67301, reached at T = ln 4 / ln 1.5 = 3.419.
        assertEquals(0.77769, before, 1e-4);
        assertEquals(0.67301, after, 1e-4);
        assertEquals(3.419, t, 0.01);
        // And the weights: a useless member (always 50/50) beside a good one loses its weight.
        Classifier coin = new Fixed(Task.HAPPY, Task.HAPPY.classNames(), new float[] {0.4f, 0.6f});
        EnsembleClassifier two = new EnsembleClassifier(Task.HAPPY, List.of(sure, coin), List.of("sure", "coin"), new double[] {1, 1}, 1,
                ModelInfo.NONE);
        float[][][] both = {each[0], new float[100][]};
        for (int i = 0; i < 100; i++) {
            both[1][i] = coin.probabilities(FACE);
        }
        double[] w = EnsembleFit.weights(two, both, truth, 6);
        assertTrue(w[1] > w[0], "the calibrated member weighs more: " + w[0] + ", " + w[1]);
    }

    @Test
    void anEnsembleFileRoundTripsWithTheSameProbabilities() throws IOException {
        FaceSet faces = SyntheticFaces.generate(700, 5);
        Classifier a = LinearTrainer.softmax(SgdConfig.defaults().with(c -> { c.epochs = 2; c.seed = 1; })).fitAll(faces, Task.EMOTIONS, List.of());
        Classifier b = LinearTrainer.softmax(SgdConfig.defaults().with(c -> { c.epochs = 3; c.seed = 2; })).fitAll(faces, Task.EMOTIONS, List.of());
        EnsembleClassifier e = new EnsembleClassifier(Task.EMOTIONS, List.of(a, b), List.of("a.fer", "b.fer"), new double[] {1, 2}, 1.5,
                ModelInfo.NONE);
        Path file = dir.resolve("e.fer");
        ModelFile.save(e, file);
        EnsembleClassifier loaded = (EnsembleClassifier) ModelFile.load(file);
        assertEquals(List.of("a.fer", "b.fer"), loaded.memberNames());
        assertEquals(1.5, loaded.temperature(), 0);
        int[] idx = faces.indices(Split.PRIVATE_TEST);
        float[][] before = e.probabilities(faces, idx);
        float[][] after = loaded.probabilities(faces, idx);
        for (int k = 0; k < idx.length; k++) {
            assertArrayEquals(before[k], after[k], 0f);
            assertArrayEquals(before[k], e.probabilities(faces.face(idx[k])), 1e-6f, "the batch path agrees with one face at a time");
        }
    }
}
