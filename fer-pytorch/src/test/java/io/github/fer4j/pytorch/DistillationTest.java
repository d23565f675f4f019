package io.github.fer4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.Augmentation;
import io.github.fer4j.cnn.CnnConfig;
import io.github.fer4j.cnn.CnnFamily;
import io.github.fer4j.cnn.Distillation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Split;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.task.Task;
import io.github.fer4j.train.Checkpoints;
import io.github.fer4j.train.ClassWeights;
import io.github.fer4j.train.Settings;
import io.github.fer4j.train.Sitting;
import io.github.fer4j.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistillationTest {
    @TempDir
    static Path dir;

    private static FaceSet faces;
    /** A teacher trained on labels moved one class on (Angry read as Disgust, ..., Neutral as Angry). */
    private static Path teacher;
    private static Classifier teacherModel;

    private static CnnConfig config(int epochs) {
        return new CnnConfig(Architecture.TINY, epochs, 32, 0.05, 0.25, 0.9, 5e-4, 0.1, ClassWeights.NONE,
                false, new Augmentation(1, 0, 0, false), 3);
    }

    /**
     * Faces whose class is plain to see, so that a tiny network learns it in two epochs: noise, and a bright 12x12 block
     * at one of seven places, the place of the face's class. 80 % Training, 10 % PublicTest, 10 % PrivateTest.
     */
    private static FaceSet blocks(int n, long seed, java.util.function.IntUnaryOperator label) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        byte[] pixels = new byte[n * FaceSet.PIXELS];
        byte[] emotions = new byte[n];
        byte[] splits = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % 7;
            for (int p = 0; p < FaceSet.PIXELS; p++) {
                pixels[i * FaceSet.PIXELS + p] = (byte) random.nextInt(80);
            }
            int x0 = 6 + (c % 3) * 12;
            int y0 = 6 + (c / 3) * 12;
            for (int y = y0; y < y0 + 12; y++) {
                for (int x = x0; x < x0 + 12; x++) {
                    pixels[i * FaceSet.PIXELS + y * 48 + x] = (byte) 230;
                }
            }
            emotions[i] = (byte) label.applyAsInt(c);
            int r = random.nextInt(10);
            splits[i] = (byte) (r < 8 ? Split.TRAINING : r == 8 ? Split.PUBLIC_TEST : Split.PRIVATE_TEST).ordinal();
        }
        return new FaceSet(pixels, emotions, splits, "blocks", "");
    }

    @BeforeAll
    static void trainTeacher() throws Exception {
        faces = blocks(420, 12, c -> c);
        FaceSet movedFaces = blocks(420, 12, c -> (c + 1) % 7);
        teacherModel = new CnnTrainer(config(3)).fitAll(movedFaces, Task.EMOTIONS, List.of());
        teacher = dir.resolve("teacher.fer");
        ModelFile.save(teacherModel, teacher);
    }

    private static double agreement(Classifier a, Classifier b, int[] idx) {
        float[][] p = a.probabilities(faces, idx);
        float[][] q = b.probabilities(faces, idx);
        int same = 0;
        for (int k = 0; k < idx.length; k++) {
            same += Classifier.mostProbable(p[k]) == Classifier.mostProbable(q[k]) ? 1 : 0;
        }
        return (double) same / idx.length;
    }

    private static double accuracy(Classifier model, int[] idx) {
        float[][] p = model.probabilities(faces, idx);
        int right = 0;
        for (int k = 0; k < idx.length; k++) {
            right += Classifier.mostProbable(p[k]) == faces.emotionId(idx[k]) ? 1 : 0;
        }
        return (double) right / idx.length;
    }

    /**
     * The student learns what it is taught: from the labels alone it reads the true classes; from a teacher that moved
     * every class on, with all the weight on the teacher, it reads the teacher's classes instead, though its data carry
     * the true labels.
     */
    @Test
    void theStudentLearnsTheTeachersClassesOverItsLabels() throws Exception {
        int[] test = faces.indices(Split.PRIVATE_TEST);
        double teacherOnMoved = 0;
        float[][] t = teacherModel.probabilities(faces, test);
        for (int k = 0; k < test.length; k++) {
            teacherOnMoved += Classifier.mostProbable(t[k]) == (faces.emotionId(test[k]) + 1) % 7 ? 1 : 0;
        }
        teacherOnMoved /= test.length;
        assertTrue(teacherOnMoved > 0.9, "the teacher learnt its moved labels: " + teacherOnMoved);

        Classifier fromLabels = new CnnTrainer(config(3)).fitAll(faces, Task.EMOTIONS, List.of());
        List<String> notes = new ArrayList<>();
        TrainingListener noted = new TrainingListener() {
            @Override
            public void onNote(String message) {
                notes.add(message);
            }

            @Override
            public void onEpoch(io.github.fer4j.train.EpochStats stats) {
            }
        };
        Classifier taught = new CnnTrainer(config(3), new Distillation(teacher, 1.0))
                .fitAll(faces, Task.EMOTIONS, List.of(noted));

        assertTrue(accuracy(fromLabels, test) > 0.9, "from the labels: " + accuracy(fromLabels, test));
        assertTrue(agreement(fromLabels, teacherModel, test) < 0.3, "agrees with the teacher: " + agreement(fromLabels, teacherModel, test));
        assertTrue(agreement(taught, teacherModel, test) > 0.9, "taught, agrees with the teacher: " + agreement(taught, teacherModel, test));
        assertTrue(accuracy(taught, test) < 0.3, "taught, reads the true labels: " + accuracy(taught, test));
        assertEquals(2, notes.size(), "a note before and after reading the teacher: " + notes);
        assertTrue(notes.get(0).contains("teacher.fer"), notes.get(0));

        // Half the weight on each: somewhere between the two.
        Classifier half = new CnnTrainer(config(3), new Distillation(teacher, 0.5)).fitAll(faces, Task.EMOTIONS, List.of());
        double a = agreement(half, teacherModel, test);
        assertTrue(a > agreement(fromLabels, teacherModel, test) && a < agreement(taught, teacherModel, test) + 1e-9,
                "half taught agrees with the teacher on " + a);

        // The model file says what it was taught by.
        var recorded = taught.info().training().settings().getAsJsonObject("distillation");
        assertEquals("teacher.fer", recorded.get("teacher").getAsString());
        assertEquals(64, recorded.get("teacherSha256").getAsString().length());
        assertEquals(1.0, recorded.get("weight").getAsDouble());
    }

    @Test
    void sameSeedAndTeacherGiveTheSameStudent() throws Exception {
        int[] test = faces.indices(Split.PRIVATE_TEST);
        float[][] a = new CnnTrainer(config(1), new Distillation(teacher, 0.7)).fitAll(faces, Task.EMOTIONS, List.of())
                .probabilities(faces, test);
        float[][] b = new CnnTrainer(config(1), new Distillation(teacher, 0.7)).fitAll(faces, Task.EMOTIONS, List.of())
                .probabilities(faces, test);
        for (int k = 0; k < test.length; k++) {
            assertArrayEquals(a[k], b[k], 1e-6f);
        }
    }

    @Test
    void resumeRefusesAnotherTeacherAndAMissingTeacherIsNamed() throws Exception {
        Path checkpoint = dir.resolve("taught.ckpt");
        new CnnTrainer(config(2), new Distillation(teacher, 0.7)).fit(faces, Task.EMOTIONS,
                List.of(new Checkpoints(checkpoint), new Sitting(1)));
        Path other = dir.resolve("other.fer");
        ModelFile.save(new CnnTrainer(config(1)).fitAll(faces, Task.EMOTIONS, List.of()), other);
        InvalidInputException changed = assertThrows(InvalidInputException.class, () -> new CnnTrainer(config(2),
                new Distillation(other, 0.7)).resume(faces, Task.EMOTIONS, checkpoint, List.of()));
        assertTrue(changed.getMessage().contains("distillation"), changed.getMessage());
        InvalidInputException untaught = assertThrows(InvalidInputException.class, () -> new CnnTrainer(config(2))
                .resume(faces, Task.EMOTIONS, checkpoint, List.of()));
        assertTrue(untaught.getMessage().contains("distillation"), untaught.getMessage());
        // The same teacher goes on.
        Classifier resumed = new CnnTrainer(config(2), new Distillation(teacher, 0.7))
                .resume(faces, Task.EMOTIONS, checkpoint, List.of()).orElseThrow();
        // ... exactly where it stopped: the same network as the run that was never stopped.
        Classifier whole = new CnnTrainer(config(2), new Distillation(teacher, 0.7)).fit(faces, Task.EMOTIONS, List.of())
                .orElseThrow();
        assertEquals(whole.info().training().bestEpoch(), resumed.info().training().bestEpoch());
        int[] test = faces.indices(Split.PRIVATE_TEST);
        float[][] w = whole.probabilities(faces, test);
        float[][] r = resumed.probabilities(faces, test);
        for (int k = 0; k < test.length; k++) {
            assertArrayEquals(w[k], r[k], 1e-6f);
        }

        Path missing = dir.resolve("no-such-teacher.fer");
        InvalidInputException absent = assertThrows(InvalidInputException.class, () -> new CnnTrainer(config(1),
                new Distillation(missing, 0.7)).fitAll(faces, Task.EMOTIONS, List.of()));
        assertTrue(absent.getMessage().contains("no-such-teacher.fer"), absent.getMessage());
    }

    @Test
    void aTeacherWithoutOneOfTheTasksClassesIsRefusedByName() throws Exception {
        Path happy = dir.resolve("happy.fer");
        ModelFile.save(new CnnTrainer(config(1)).fitAll(faces, Task.HAPPY, List.of()), happy);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new CnnTrainer(config(1),
                new Distillation(happy, 0.7)).fitAll(faces, Task.EMOTIONS, List.of()));
        assertTrue(e.getMessage().contains("happy.fer") && e.getMessage().contains("Angry"), e.getMessage());

    }

    @Test
    void weightsAndOptionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Distillation(teacher, 0));
        assertThrows(IllegalArgumentException.class, () -> new Distillation(teacher, 1.5));
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> new CnnFamily().trainer("cnn", Settings.of("teacher-weight", "0.5")));
        assertTrue(alone.getMessage().contains("--teacher"), alone.getMessage());
        CnnTrainer trainer = (CnnTrainer) new CnnFamily().trainer("cnn", Settings.of("teacher", teacher.toString()));
        assertEquals(Distillation.DEFAULT_WEIGHT, trainer.distillation().orElseThrow().weight());
        assertTrue(Files.isRegularFile(trainer.distillation().orElseThrow().teacher()));
    }
}
