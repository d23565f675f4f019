package io.github.fer4j.cli;

import static io.github.fer4j.cli.FerCommandTest.fer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cli.FerCommandTest.Run;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.model.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fer ensemble} as a user runs it, and the ensemble wherever a model goes; {@code fer evaluate --out}. */
class EnsembleCommandTest {
    @TempDir
    Path dir;

    private Path train(String name, String... extra) {
        Path model = dir.resolve(name);
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("train", "--synthetic-faces", "800", "--epochs", "2",
                "--out", model.toString()), java.util.Arrays.stream(extra)).toArray(String[]::new);
        Run run = fer(args);
        assertEquals(0, run.code(), run.err());
        return model;
    }

    @Test
    void membersBecomeOneModelThatEvaluatesWithItsCalibrationFigures() throws IOException {
        Path a = train("a.fer", "--seed", "1");
        Path b = train("b.fer", "--seed", "2", "--features", "hog");
        Path e = dir.resolve("e.fer");
        Run ensemble = fer("ensemble", a.toString(), b.toString(), "--weights", "fit", "--temperature", "fit", "--synthetic-faces", "800",
                "--out", e.toString());
        assertEquals(2, ensemble.code(), "fitting needs real --data");
        assertTrue(ensemble.err().contains("give --data"), ensemble.err());
        ensemble = fer("ensemble", a.toString(), b.toString(), "--weights", "1,3", "--out", e.toString());
        assertEquals(0, ensemble.code(), ensemble.err());
        EnsembleClassifier loaded = (EnsembleClassifier) ModelFile.load(e);
        assertEquals(0.25, loaded.weights()[0], 1e-12);
        // The class shares of the members' training faces, weighted as the members are: what photo commands correct for.
        var sharesA = ModelFile.load(a).info().data().classShares();
        var sharesB = ModelFile.load(b).info().data().classShares();
        var shares = loaded.info().data().classShares();
        assertEquals(7, shares.size());
        for (String c : loaded.classNames()) {
            assertEquals(0.25 * sharesA.get(c) + 0.75 * sharesB.get(c), shares.get(c), 1e-12, c);
        }

        Path out = dir.resolve("evaluation");
        Run evaluate = fer("evaluate", "--model", e.toString(), "--synthetic-faces", "800", "--out", out.toString());
        assertEquals(0, evaluate.code(), evaluate.err());
        assertTrue(evaluate.out().contains("(ensemble, task emotions)"), evaluate.out());
        assertTrue(evaluate.out().contains("expected calibration error"), evaluate.out());
        for (String figure : new String[] {"reliability", "class-distribution", "confusion-normalized", "per-class"}) {
            assertTrue(Files.size(out.resolve(figure + ".png")) > 1000, figure);
            assertTrue(Files.size(out.resolve(figure + ".svg")) > 1000, figure);
        }
        assertTrue(Files.readString(out.resolve("metrics.json")).contains("\"expectedCalibrationError\""));
        Run tta = fer("evaluate", "--model", e.toString(), "--synthetic-faces", "800", "--tta", "flip");
        assertEquals(2, tta.code(), "no CNN member: no views to average");
    }

    @Test
    void membersThatDoNotGoTogetherOrDoNotExistAreRefusedByName() {
        Path a = train("a.fer");
        Path happy = train("happy.fer", "--task", "happy", "--model", "logistic");
        Path e = dir.resolve("e.fer");
        Run mixed = fer("ensemble", a.toString(), happy.toString(), "--out", e.toString());
        assertEquals(2, mixed.code());
        assertTrue(mixed.err().contains(happy.toString()) && mixed.err().contains("does not go with"), mixed.err());
        Run missing = fer("ensemble", a.toString(), dir.resolve("nope.fer").toString(), "--out", e.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.fer: no such model file"), missing.err());
        assertFalse(Files.exists(e), "nothing written");
    }

    /**
     * A small FER2013 file of synthetic faces with FER+ votes beside it (ferplus/fer2013new.csv): ten votes each for the
     * face's own emotion.
     */
    private Path dataWithFerPlus() throws IOException {
        io.github.fer4j.data.FaceSet faces = io.github.fer4j.data.SyntheticFaces.generate(420, 4);
        // FER+ columns: neutral, happiness, surprise, sadness, anger, disgust, fear, contempt; FER2013 ids: Angry 0,
        // Disgust 1, Fear 2, Happy 3, Sad 4, Surprise 5, Neutral 6.
        int[] column = {4, 5, 6, 1, 3, 2, 0};
        StringBuilder csv = new StringBuilder("emotion,pixels,Usage\n");
        StringBuilder votes = new StringBuilder("Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n");
        for (int i = 0; i < faces.size(); i++) {
            String usage = i % 10 < 7 ? "Training" : i % 10 < 9 ? "PublicTest" : "PrivateTest";
            byte[] face = faces.face(i);
            StringBuilder pixels = new StringBuilder();
            for (int p = 0; p < face.length; p++) {
                pixels.append(p == 0 ? "" : " ").append(face[p] & 0xFF);
            }
            csv.append(faces.emotionId(i)).append(',').append(pixels).append(',').append(usage).append('\n');
            int[] v = new int[10];
            v[column[faces.emotionId(i)]] = 10;
            votes.append(usage).append(",fer").append(String.format("%07d", i)).append(".png");
            for (int x : v) {
                votes.append(',').append(x);
            }
            votes.append('\n');
        }
        Path data = dir.resolve("fer2013.csv");
        Files.writeString(data, csv);
        Files.createDirectories(dir.resolve("ferplus"));
        Files.writeString(dir.resolve("ferplus/fer2013new.csv"), votes);
        return data;
    }

    /** A FER+ network joins a 7-emotion ensemble, fitted on PublicTest; alone, --task emotions makes it a 7-emotion model. */
    @Test
    void aFerPlusMemberJoinsASevenEmotionEnsemble() throws IOException {
        Path data = dataWithFerPlus();
        Path a = train("a.fer", "--data", data.toString());
        Path fp = train("fp.fer", "--data", data.toString(), "--labels", "ferplus");
        Path e = dir.resolve("e.fer");
        Run ensemble = fer("ensemble", a.toString(), fp.toString(), "--weights", "fit", "--temperature", "fit", "--data", data.toString(),
                "--out", e.toString());
        assertEquals(0, ensemble.code(), ensemble.err());
        assertTrue(ensemble.out().contains("member fp.fer"), ensemble.out());
        EnsembleClassifier loaded = (EnsembleClassifier) ModelFile.load(e);
        assertEquals(7, loaded.classNames().size());
        // The FER+ member's class shares are read without contempt, renormalised, as its probabilities are.
        var shares = loaded.info().data().classShares();
        assertEquals(1, shares.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);

        Path seven = dir.resolve("seven.fer");
        Run alone = fer("ensemble", fp.toString(), "--task", "emotions", "--temperature", "fit", "--data", data.toString(),
                "--out", seven.toString());
        assertEquals(0, alone.code(), alone.err());
        assertEquals(loaded.classNames(), ModelFile.load(seven).classNames());
        Run unknown = fer("ensemble", fp.toString(), "--task", "moods", "--out", dir.resolve("x.fer").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--task: unknown 'moods'"), unknown.err());
        Run happy = fer("ensemble", a.toString(), "--task", "happy", "--out", dir.resolve("x.fer").toString());
        assertEquals(2, happy.code());
        assertTrue(happy.err().contains("does not go with --task happy"), happy.err());
    }
}
