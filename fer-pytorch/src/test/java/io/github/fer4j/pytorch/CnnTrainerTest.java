package io.github.fer4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.Augmentation;
import io.github.fer4j.cnn.CnnConfig;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.task.Task;
import io.github.fer4j.train.Checkpoints;
import io.github.fer4j.train.ClassWeights;
import io.github.fer4j.train.EpochStats;
import io.github.fer4j.train.Sitting;
import io.github.fer4j.train.TrainingHistory;
import io.github.fer4j.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CnnTrainerTest {
    @TempDir
    Path dir;

    private static CnnConfig config(Architecture a, int epochs, int batch) {
        return new CnnConfig(a, epochs, batch, 0.02, 0.25, 0.9, 5e-4, 0.1, ClassWeights.NONE,
                false, new Augmentation(3, 10, 0.1, true), 5);
    }

    /** The CI smoke test of the shipped architecture: a few hundred faces, one epoch; the loss falls; save/load agree. */
    @Test
    void shippedArchitectureLearnsInOneEpochAndSurvivesSaveAndLoad() throws Exception {
        FaceSet faces = SyntheticFaces.generate(600, 3);
        List<Double> batchLosses = new ArrayList<>();
        TrainingListener perBatch = new TrainingListener() {
            private double previousSum;

            @Override
            public void onEpoch(EpochStats stats) {
            }

            @Override
            public void onBatch(int epoch, int batch, int batches, double meanLoss) {
                double sum = meanLoss * batch;
                batchLosses.add(sum - previousSum);
                previousSum = sum;
            }
        };
        TrainingHistory history = new TrainingHistory();
        CnnClassifier model = (CnnClassifier) new CnnTrainer(config(Architecture.FERNET9, 1, 16))
                .fitAll(faces, Task.EMOTIONS, List.of(history, perBatch));
        int n = batchLosses.size();
        assertTrue(n >= 20, "batches: " + n);
        double first = batchLosses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = batchLosses.subList(n - 5, n).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < first - 0.1, "loss should fall within the epoch: first batches " + first + ", last " + last);
        assertEquals(1, history.epochs().size());
        assertTrue(Double.isFinite(history.epochs().get(0).validationLoss()));

        Path file = dir.resolve("cnn.fer");
        ModelFile.save(model, file);
        Classifier loaded = ModelFile.load(file);
        assertEquals(CnnClassifier.KIND, loaded.kind());
        int[] test = faces.indices(Split.PRIVATE_TEST);
        float[][] before = model.probabilities(faces, test);
        float[][] after = loaded.probabilities(faces, test);
        for (int k = 0; k < test.length; k++) {
            assertArrayEquals(before[k], after[k], 1e-6f);
        }
        // One face at a time gives what the batch path gives.
        assertArrayEquals(before[0], loaded.probabilities(faces.face(test[0])), 1e-5f);
        assertNotNull(loaded.info().metrics().get("PublicTest"));
        assertEquals("fernet9", loaded.info().training().settings().get("architecture").getAsString());
    }

    /** Stopping after two epochs and resuming gives what three epochs in one go give, to float noise. */
    @Test
    void resumeContinuesExactlyWhereItStopped() throws Exception {
        FaceSet faces = SyntheticFaces.generate(900, 4);
        CnnConfig config = config(Architecture.TINY, 3, 32);
        Path straight = dir.resolve("straight.ckpt");
        Classifier once = new CnnTrainer(config).fitAll(faces, Task.EMOTIONS, List.of(new Checkpoints(straight)));

        Path split = dir.resolve("split.ckpt");
        Optional<Classifier> stopped = new CnnTrainer(config).fit(faces, Task.EMOTIONS,
                List.of(new Checkpoints(split), new Sitting(2)));
        assertFalse(stopped.isPresent(), "two of three epochs: no model yet");
        assertEquals(2, Checkpoint.read(split).epoch());
        TrainingHistory history = new TrainingHistory();
        Classifier resumed = new CnnTrainer(config).resume(faces, Task.EMOTIONS, split,
                List.of(history, new Checkpoints(split))).orElseThrow();
        assertEquals(3, history.epochs().size(), "the history holds the earlier epochs too");

        List<EpochStats> a = Checkpoint.read(straight).history();
        List<EpochStats> b = Checkpoint.read(split).history();
        for (int e = 0; e < 3; e++) {
            assertEquals(a.get(e).trainLoss(), b.get(e).trainLoss(), 1e-5, "train loss of epoch " + (e + 1));
            assertEquals(a.get(e).validationAccuracy(), b.get(e).validationAccuracy(), 1e-9, "accuracy of epoch " + (e + 1));
        }
        int[] test = faces.indices(Split.PRIVATE_TEST);
        float[][] p = once.probabilities(faces, test);
        float[][] q = resumed.probabilities(faces, test);
        for (int k = 0; k < test.length; k++) {
            assertArrayEquals(p[k], q[k], 1e-4f);
        }
    }

    @Test
    void resumeRefusesOtherSettingsAndDamagedCheckpoints() throws Exception {
        FaceSet faces = SyntheticFaces.generate(400, 6);
        Path checkpoint = dir.resolve("run.ckpt");
        new CnnTrainer(config(Architecture.TINY, 3, 32)).fit(faces, Task.EMOTIONS,
                List.of(new Checkpoints(checkpoint), new Sitting(1)));

        CnnConfig other = new CnnConfig(Architecture.TINY, 3, 32, 0.05, 0.25, 0.9, 5e-4, 0.1, ClassWeights.NONE,
                false, new Augmentation(3, 10, 0.1, true), 5);
        InvalidInputException changed = assertThrows(InvalidInputException.class,
                () -> new CnnTrainer(other).resume(faces, Task.EMOTIONS, checkpoint, List.of(new Sitting(1))));
        assertTrue(changed.getMessage().contains("learningRate"), changed.getMessage());
        assertTrue(changed.getMessage().contains(checkpoint.toString()), changed.getMessage());

        InvalidInputException otherData = assertThrows(InvalidInputException.class, () -> new CnnTrainer(config(Architecture.TINY, 3, 32))
                .resume(SyntheticFaces.generate(400, 7), Task.EMOTIONS, checkpoint, List.of(new Sitting(1))));
        assertTrue(otherData.getMessage().contains("data"), otherData.getMessage());

        Path damaged = dir.resolve("damaged.ckpt");
        byte[] bytes = Files.readAllBytes(checkpoint);
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        InvalidInputException broken = assertThrows(InvalidInputException.class, () -> new CnnTrainer(config(Architecture.TINY, 3, 32))
                .resume(faces, Task.EMOTIONS, damaged, List.of(new Sitting(1))));
        assertTrue(broken.getMessage().contains("damaged.ckpt"), broken.getMessage());
    }

    @Test
    void flipAveragesTheFaceAndItsMirror() throws Exception {
        FaceSet faces = SyntheticFaces.generate(300, 8);
        CnnClassifier model = (CnnClassifier) new CnnTrainer(config(Architecture.TINY, 1, 32))
                .fitAll(faces, Task.EMOTIONS, List.of());
        byte[] face = faces.face(0);
        byte[] mirror = new byte[face.length];
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                mirror[y * 48 + x] = face[y * 48 + 47 - x];
            }
        }
        // The 44 crop of the mirrored face is the mirror of the 44 crop (48 - 44 is even).
        float[] a = model.probabilities(face);
        float[] b = model.probabilities(mirror);
        float[] both = model.withTestTimeAugmentation(TestTimeAugmentation.FLIP).probabilities(face);
        for (int c = 0; c < a.length; c++) {
            assertEquals((a[c] + b[c]) / 2, both[c], 1e-5);
        }
        float[] crops = model.withTestTimeAugmentation(TestTimeAugmentation.CROPS).probabilities(face);
        assertEquals(1, sum(crops), 1e-5);
    }

    /** FER+ faces whose label is {@code emotion mod 8}, with the given votes per face (N x 8). */
    private static FaceSet ferPlus(FaceSet faces, java.util.function.IntFunction<byte[]> votesOf) {
        byte[] labels = new byte[faces.size()];
        byte[] votes = new byte[faces.size() * 8];
        byte[] emotions = new byte[faces.size()];
        byte[] splits = new byte[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            labels[i] = (byte) faces.emotionId(i);
            emotions[i] = (byte) faces.emotionId(i);
            splits[i] = (byte) faces.split(i).ordinal();
            System.arraycopy(votesOf.apply(i), 0, votes, i * 8, 8);
        }
        return new FaceSet(faces.pixelArray(), emotions, splits, "synthetic FER+", "", labels, votes);
    }

    @Test
    void softTargetsLearnTheVoteDistribution() throws Exception {
        FaceSet synthetic = SyntheticFaces.generate(400, 9);
        CnnConfig hard = config(Architecture.TINY, 1, 32);
        CnnConfig soft = new CnnConfig(Architecture.TINY, 1, 32, 0.02, 0.25, 0.9, 5e-4, 0.1, ClassWeights.NONE,
                true, new Augmentation(3, 10, 0.1, true), 5);
        // Ten votes all for the label: the vote distribution is the one-hot label, so both runs are the same run.
        FaceSet unanimous = ferPlus(synthetic, i -> {
            byte[] v = new byte[8];
            v[synthetic.emotionId(i)] = 10;
            return v;
        });
        int[] test = unanimous.indices(Split.PRIVATE_TEST);
        float[][] a = new CnnTrainer(hard).fitAll(unanimous, Task.FERPLUS, List.of()).probabilities(unanimous, test);
        float[][] b = new CnnTrainer(soft).fitAll(unanimous, Task.FERPLUS, List.of()).probabilities(unanimous, test);
        for (int k = 0; k < test.length; k++) {
            assertArrayEquals(a[k], b[k], 1e-5f);
        }
        // Split votes give other targets, so another model.
        FaceSet split = ferPlus(synthetic, i -> {
            byte[] v = new byte[8];
            v[synthetic.emotionId(i)] = 6;
            v[(synthetic.emotionId(i) + 1) % 8] = 4;
            return v;
        });
        float[][] c = new CnnTrainer(soft).fitAll(split, Task.FERPLUS, List.of()).probabilities(split, test);
        assertTrue(Math.abs(c[0][0] - b[0][0]) + Math.abs(c[0][1] - b[0][1]) > 1e-4, "votes change what is learnt");
        // Without FER+ votes there is nothing to learn from.
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new CnnTrainer(soft).fit(synthetic, Task.EMOTIONS, List.of()));
        assertTrue(e.getMessage().contains("--labels ferplus"), e.getMessage());
    }

    @Test
    void scheduleWarmsUpThenFallsToZero() {
        CnnConfig config = new CnnConfig(Architecture.TINY, 10, 32, 0.1, 1, 0.9, 0, 0, ClassWeights.NONE,
                false, Augmentation.NONE, 1);
        // 100 batches an epoch: the rate of step s is the schedule's at epoch s / 100.
        java.util.function.IntToDoubleFunction schedule = step -> config.schedule().at(step / 100.0, config.epochs());
        assertEquals(0, schedule.applyAsDouble(0), 1e-6);
        assertEquals(0.05, schedule.applyAsDouble(50), 1e-3);
        assertEquals(0.1, schedule.applyAsDouble(100), 1e-6);
        double previous = schedule.applyAsDouble(100);
        for (int step = 110; step < 1000; step += 10) {
            double lr = schedule.applyAsDouble(step);
            assertTrue(lr <= previous, "falls after the warm-up");
            previous = lr;
        }
        assertTrue(schedule.applyAsDouble(999) < 1e-4, "ends near zero: " + schedule.applyAsDouble(999));
    }

    private static double sum(float[] p) {
        double s = 0;
        for (float v : p) {
            s += v;
        }
        return s;
    }
}
