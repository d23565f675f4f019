package io.github.fer4j.cli;

import static io.github.fer4j.cli.FerCommandTest.fer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.cli.FerCommandTest.Run;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.Safetensors;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.task.Task;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch trainer (trainer/train.py) and fer4j run the same networks: members of every architecture are trained on
 * CPU for a few steps on synthetic faces, and {@code fer import-torch} must reproduce the trainer's own fp32
 * probabilities within 1e-4 on its probe faces (1,000 for fernet9 and tinyres; 64 for the wide vgg10 and resnet18, which
 * are slow on a CPU). Needs python3 with torch and numpy (Debian: apt-get install python3-torch python3-numpy); without
 * them it is skipped, saying so.
 */
class TorchTrainerParityTest {
    private static final Path TRAINER = Path.of("..", "trainer", "train.py").toAbsolutePath().normalize();
    /** FER2013's emotion order to FER+'s vote columns (neutral, happiness, surprise, sadness, anger, disgust, fear). */
    private static final int[] FERPLUS_COLUMN = {4, 5, 6, 1, 3, 2, 0};

    @TempDir
    static Path dir;

    static String python;

    @BeforeAll
    static void findPython() throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch, numpy").redirectErrorStream(true).start();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    break;
                }
            } catch (IOException notThere) {
                // the next candidate
            }
        }
        Assumptions.assumeTrue(python != null, "skipped: no python3 with torch and numpy (Debian: apt-get install "
                + "python3-torch python3-numpy); the trainer's parity with fer4j is not checked");
        Assumptions.assumeTrue(Files.isRegularFile(TRAINER), "skipped: " + TRAINER + " is missing");
    }

    /** Synthetic faces as fer2013.csv, and made-up FER+ votes row-aligned with them (some without a majority). */
    private static void writeData(Path csv, Path ferplus, int count) throws IOException {
        FaceSet faces = SyntheticFaces.generate(count, 2013);
        byte[] pixels = faces.pixelArray();
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
             BufferedWriter votes = Files.newBufferedWriter(ferplus, StandardCharsets.UTF_8)) {
            out.write("emotion,pixels,Usage\n");
            votes.write("Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n");
            for (int i = 0; i < count; i++) {
                StringBuilder row = new StringBuilder().append(faces.emotionId(i)).append(',');
                for (int p = 0; p < FaceSet.PIXELS; p++) {
                    row.append(p == 0 ? "" : " ").append(pixels[i * FaceSet.PIXELS + p] & 0xff);
                }
                String usage = faces.split(i).csvName();
                out.write(row.append(',').append(usage).append('\n').toString());
                int[] v = new int[10];
                if (i % 20 == 0) {
                    v[0] = 5;
                    v[1] = 5;          // no majority: FER+ drops the face
                } else {
                    v[FERPLUS_COLUMN[faces.emotionId(i)]] = 7;
                    v[i % 7 == 3 ? 7 : 0] += 2;
                    v[8] = 1;
                }
                StringBuilder line = new StringBuilder(usage).append(String.format(Locale.ROOT, ",fer%07d.png", i));
                for (int c : v) {
                    line.append(',').append(c);
                }
                votes.write(line.append('\n').toString());
            }
        }
    }

    private static String train(Path out, Path csv, Path ferplus, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(python, TRAINER.toString(), "--data", csv.toString(), "--ferplus",
                ferplus.toString(), "--out", out.toString(), "--device", "cpu", "--threads", "2", "--git-commit", "test"));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the trainer did not finish: " + log);
        assertEquals(0, p.exitValue(), log);
        return log;
    }

    /** Imports one member; returns the largest |fer4j - trainer| on its probe, as the import prints it. */
    private static double imported(Path run, Path model, int probeFaces) {
        Run r = fer("import-torch", run.toString(), "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("checked: (\\d+) probe faces, max \\|fer4j \\(onnxruntime\\) - trainer\\| ([0-9.e-]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(probeFaces, Integer.parseInt(m.group(1)));
        double max = Double.parseDouble(m.group(2));
        System.out.printf("%s: %d probe faces, max |fer4j - PyTorch| %.2e%n", run.getFileName(), probeFaces, max);
        return max;
    }

    @Test
    void importedNetworksGiveTheTrainersProbabilities() throws Exception {
        Path csv = dir.resolve("synthetic.csv");
        Path ferplus = dir.resolve("synthetic-new.csv");
        writeData(csv, ferplus, 1500);
        // One epoch on a few hundred faces: what matters here is that both sides run the same network, and a network
        // trained a little gives probabilities that differ from face to face.
        Path out = dir.resolve("runs");
        // A high rate from the first step (no warm-up), so that eight steps already move the network away from its
        // near-uniform start.
        String log = train(out, csv, ferplus, "--probe", "1000", "--epochs", "1", "--batch", "32", "--limit", "256",
                "--lr", "0.05", "--warmup", "0", "--score-views", "none",
                "--member", "name=fernet9 arch=fernet9 seed=3",
                // The small residual net moves slowly: four epochs at 0.2 give it probabilities that differ.
                "--member", "name=tinyres arch=tinyres seed=4 epochs=4 lr=0.2",
                // Every view and mixing option at once, for the code paths (its probabilities stay near uniform).
                "--member", "name=augmented arch=tinyres seed=6 augment=shift:3,rotate:10,scale:0.1,flip,gamma:0.3,contrast:0.3,"
                        + "brightness:0.1,blur:0.5,noise:0.03,erase:0.5,mixup:0.2,cutmix:1",
                "--member", "name=ferplus arch=tiny seed=5 task=ferplus soft_targets=true");
        Path wide = dir.resolve("wide");
        log += train(wide, csv, ferplus, "--probe", "32", "--epochs", "1", "--batch", "16", "--limit", "32", "--lr", "0.05",
                "--warmup", "0", "--score-views", "none",
                "--member", "name=vgg10 arch=vgg10", "--member", "name=resnet18 arch=resnet18");

        assertTrue(imported(out.resolve("fernet9"), dir.resolve("fernet9.fer"), 1000) < 1e-4);
        assertTrue(imported(out.resolve("tinyres"), dir.resolve("tinyres.fer"), 1000) < 1e-4);
        assertTrue(imported(out.resolve("ferplus"), dir.resolve("ferplus.fer"), 1000) < 1e-4);
        assertTrue(imported(out.resolve("augmented"), dir.resolve("augmented.fer"), 1000) < 1e-4);
        assertTrue(imported(wide.resolve("vgg10"), dir.resolve("vgg10.fer"), 32) < 1e-4);
        assertTrue(imported(wide.resolve("resnet18"), dir.resolve("resnet18.fer"), 32) < 1e-4);

        // The probes are not all alike: the trainer's top probability varies from face to face.
        for (Path member : List.of(out.resolve("fernet9"), out.resolve("tinyres"), out.resolve("ferplus"), wide.resolve("vgg10"),
                wide.resolve("resnet18"))) {
            Safetensors.Tensor p = Safetensors.read(member.resolve("probe.safetensors")).get("probabilities");
            int classes = (int) p.shape()[1];
            double low = 1;
            double high = 0;
            for (int k = 0; k < p.shape()[0]; k++) {
                double top = 0;
                for (int c = 0; c < classes; c++) {
                    top = Math.max(top, p.floats()[k * classes + c]);
                }
                low = Math.min(low, top);
                high = Math.max(high, top);
            }
            assertTrue(high - low > 0.02, member.getFileName() + ": top probabilities only span " + low + " .. " + high + "\n" + log);
        }
        CnnModel ferPlus = (CnnModel) ModelFile.load(dir.resolve("ferplus.fer"));
        assertEquals(Task.FERPLUS, ferPlus.task());
        JsonObject fp = JsonParser.parseString(Files.readString(out.resolve("ferplus").resolve("run.json"))).getAsJsonObject();
        assertTrue(fp.getAsJsonObject("settings").get("soft_targets").getAsBoolean());
        // FER+'s majority rule dropped the faces without one (every 20th) before --limit took 256 of the rest.
        JsonObject f9 = JsonParser.parseString(Files.readString(out.resolve("fernet9").resolve("run.json"))).getAsJsonObject();
        assertEquals(256, fp.getAsJsonObject("data").get("trainingFaces").getAsInt());
        assertEquals("test", f9.get("gitCommit").getAsString());
        assertTrue(f9.get("command").getAsString().contains("--member 'name=fernet9 arch=fernet9 seed=3'"), f9.get("command").getAsString());
    }
}
