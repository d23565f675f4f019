package io.github.fer4j.cli;

import static io.github.fer4j.cli.FerCommandTest.fer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cli.FerCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fer train --model cnn} as a user runs it: sittings, --resume, the checkpoint guard, --tta, --describe. */
class CnnCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainInTwoSittingsThenEvaluateWithTestTimeAugmentation() throws IOException {
        Path model = dir.resolve("tiny.fer");
        String[] train = {"train", "--model", "cnn", "--architecture", "tiny", "--epochs", "2", "--batch", "32",
                "--synthetic-faces", "800", "--out", model.toString()};
        Run first = fer(concat(train, "--sitting", "1"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("stopped after epoch 1 of 2"), first.out());
        assertTrue(first.err().contains("epoch 1/2"), "one progress line per epoch: " + first.err());
        assertFalse(Files.exists(model), "no model until the run is complete");
        assertTrue(Files.exists(dir.resolve("tiny.ckpt")));

        Run again = fer(train);
        assertEquals(2, again.code(), "a checkpoint is never overwritten by accident");
        assertTrue(again.err().contains("tiny.ckpt") && again.err().contains("--resume"), again.err());

        Run changed = fer(concat(train, "--resume", "--lr", "0.5"));
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("learningRate"), changed.err());

        Run resumed = fer(concat(train, "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("trained cnn (tiny"), resumed.out());
        assertTrue(Files.exists(model));
        List<String> history = Files.readAllLines(dir.resolve("tiny.history.csv"));
        assertEquals(3, history.size(), "header + both epochs: " + history);

        Run plain = fer("evaluate", "--model", model.toString(), "--synthetic-faces", "800", "--split", "PrivateTest");
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().contains("(cnn, test-time views: none"), plain.out());
        Run crops = fer("evaluate", "--model", model.toString(), "--synthetic-faces", "800", "--split", "PrivateTest",
                "--tta", "crops");
        assertEquals(0, crops.code(), crops.err());
        assertTrue(crops.out().contains("test-time views: crops"), crops.out());
        Run bad = fer("evaluate", "--model", model.toString(), "--synthetic-faces", "800", "--tta", "sideways");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("none, flip or crops"), bad.err());
    }

    @Test
    void optionsThatDoNotFitAreRefused() throws IOException {
        Path softmax = dir.resolve("softmax.fer");
        assertEquals(0, fer("train", "--epochs", "1", "--synthetic-faces", "600", "--out", softmax.toString()).code());
        Run tta = fer("evaluate", "--model", softmax.toString(), "--synthetic-faces", "600", "--tta", "flip");
        assertEquals(2, tta.code());
        assertTrue(tta.err().contains("for cnn models"), tta.err());

        Run resume = fer("train", "--resume", "--synthetic-faces", "600", "--out", dir.resolve("x.fer").toString());
        assertEquals(2, resume.code());
        assertTrue(resume.err().contains("for --model cnn"), resume.err());

        Run none = fer("train", "--model", "cnn", "--resume", "--synthetic-faces", "600", "--out", dir.resolve("y.fer").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("y.ckpt: no checkpoint to resume from"), none.err());

        Run augment = fer("train", "--model", "cnn", "--augment", "shift:3,wobble:2", "--synthetic-faces", "600", "--out",
                dir.resolve("z.fer").toString());
        assertEquals(2, augment.code());
        assertTrue(augment.err().contains("unknown 'wobble'"), augment.err());

        Run soft = fer("train", "--model", "cnn", "--architecture", "tiny", "--epochs", "1", "--soft-targets",
                "--synthetic-faces", "600", "--out", dir.resolve("s.fer").toString());
        assertEquals(2, soft.code());
        assertTrue(soft.err().contains("--labels ferplus"), soft.err());
        assertFalse(Files.exists(dir.resolve("s.fer")));
    }

    @Test
    void eachModelTakesItsOwnOptionsAndRefusesTheOthersByName() {
        Run augment = fer("train", "--model", "softmax", "--augment", "none", "--out", dir.resolve("a.fer").toString());
        assertEquals(2, augment.code());
        assertTrue(augment.err().contains("--augment does not apply to --model softmax: it is for --model cnn"), augment.err());
        Run features = fer("train", "--model", "cnn", "--features", "hog", "--early-stopping", "3", "--out",
                dir.resolve("b.fer").toString());
        assertEquals(2, features.code());
        assertTrue(features.err().contains("--early-stopping does not apply to --model cnn: it is for --model logistic or softmax"),
                features.err());
        assertTrue(features.err().contains("--features does not apply to --model cnn"), features.err());
        Run model = fer("train", "--model", "forest", "--out", dir.resolve("c.fer").toString());
        assertEquals(2, model.code());
        assertTrue(model.err().contains("unknown --model 'forest' (expected cnn, logistic, softmax)"), model.err());
        Run linear = fer("train", "--model", "softmax", "--features", "hog", "--describe", "--out", dir.resolve("d.fer").toString());
        assertEquals(0, linear.code(), linear.err());
        assertTrue(linear.out().contains("softmax regression on hog features: 1,764 inputs"), linear.out());
    }

    @Test
    void describePrintsTheLayers() {
        Run describe = fer("train", "--model", "cnn", "--describe", "--out", dir.resolve("unused.fer").toString());
        assertEquals(0, describe.code(), describe.err());
        assertTrue(describe.out().contains("fernet9: input 1x44x44"), describe.out());
        assertTrue(describe.out().contains("1,755,239"), describe.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
