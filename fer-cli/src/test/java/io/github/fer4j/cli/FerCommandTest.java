package io.github.fer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fer command as a user runs it: exit codes, files written, messages. */
class FerCommandTest {
    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one command line. */
    record Run(int code, String out, String err) { }

    static Run fer(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Fer.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void theHelpSaysWhatFerDoesAndListsEachCommandOnOneShortLine() {
        Run help = fer("--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("Reads seven emotions"), help.out());
        List<String> lines = help.out().lines().toList();
        int from = lines.indexOf("Commands:");
        assertTrue(from > 0, help.out());
        for (String line : lines.subList(from + 1, lines.size())) {
            if (line.isEmpty()) {
                break;
            }
            assertTrue(line.length() <= 80, "longer than 80: " + line);
            assertTrue(line.matches("  [a-z-]+ +\\S.*"), "not one line per command (a wrapped summary?): '" + line + "'");
        }
        for (String name : List.of("reproduce", "train", "ensemble", "export", "evaluate", "predict", "video",
                "evaluate-photos", "serve", "report", "sweep", "generate-completion")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("  " + name + " ")), name + " is listed: " + help.out());
        }
    }

    @Test
    void generateCompletionPrintsABashScriptThatKnowsEveryCommandAndItsOptions() {
        Run completion = fer("generate-completion");
        assertEquals(0, completion.code(), completion.err());
        assertTrue(completion.out().startsWith("#!/usr/bin/env bash"), completion.out().substring(0, 80));
        for (String word : List.of("evaluate-photos", "--synthetic-faces", "--detector", "--annotate")) {
            assertTrue(completion.out().contains(word), word);
        }
    }

    @Test
    void trainThenEvaluateOnSyntheticFaces() throws IOException {
        Path model = dir.resolve("happy.fer");
        Run train = fer("train", "--task", "happy", "--model", "logistic", "--epochs", "3", "--synthetic-faces", "1500",
                "--class-weights", "balanced", "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.err().contains("no --data given: using 1500 synthetic faces"), train.err());
        assertTrue(train.out().contains("PublicTest: accuracy"), train.out());
        List<String> history = Files.readAllLines(dir.resolve("happy.history.csv"));
        assertEquals(4, history.size(), "header + 3 epochs");

        Path json = dir.resolve("metrics.json");
        Run evaluate = fer("evaluate", "--model", model.toString(), "--synthetic-faces", "1500", "--split", "PrivateTest",
                "--json", json.toString());
        assertEquals(0, evaluate.code(), evaluate.err());
        assertTrue(evaluate.out().contains("threshold sweep"), evaluate.out());
        assertTrue(evaluate.out().contains("0.50*"), "the seeds' thresholds are marked");
        JsonObject metrics = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        for (String key : List.of("accuracy", "aca", "macroF1", "confusionMatrix", "perClass", "f1", "averagePrecision",
                "rocAuc", "thresholdSweep")) {
            assertTrue(metrics.has(key), key);
        }
        assertEquals("PrivateTest", metrics.get("split").getAsString());
    }

    @Test
    void badDataFileGivesOneLineAndExitTwoAndNoModel() throws IOException {
        StringBuilder pixels = new StringBuilder("0");
        for (int p = 1; p < 2303; p++) {
            pixels.append(' ').append(p % 256);
        }
        Path csv = dir.resolve("broken.csv");
        Files.writeString(csv, "emotion,pixels,Usage\n3," + pixels + ",Training\n");
        Path model = dir.resolve("never.fer");
        Run run = fer("train", "--data", csv.toString(), "--out", model.toString());
        assertEquals(2, run.code());
        assertEquals("fer: " + csv + ":2: expected 2304 pixels, found 2303", run.err().strip());
        assertFalse(Files.exists(model));
        assertFalse(Files.exists(dir.resolve("never.history.csv")));
    }

    @Test
    void anUnknownCommandExitsTwoWithSuggestionsWhateverFlagsFollow() {
        Run help = fer("nosuchcommand", "--help");
        assertEquals(2, help.code());
        assertTrue(help.err().contains("unknown command 'nosuchcommand'"), help.err());
        Run typo = fer("tarin", "--model", "cnn");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("did you mean train?"), typo.err());
        Run escaped = fer("bad\u001b[31mname");
        assertTrue(escaped.err().contains("'bad\\x1b[31mname'"), "terminal escapes are shown, not sent: " + escaped.err());
        assertEquals(0, fer("--help").code());
    }

    @Test
    void badOptionsExitTwoWithTheReason() {
        Run task = fer("train", "--task", "angry", "--out", dir.resolve("x.fer").toString());
        assertEquals(2, task.code());
        assertTrue(task.err().contains("unknown --task 'angry'"), task.err());
        Run logistic = fer("train", "--task", "emotions", "--model", "logistic", "--out", dir.resolve("x.fer").toString());
        assertEquals(2, logistic.code());
        assertTrue(logistic.err().contains("logistic regression separates two classes"), logistic.err());
        Run schedule = fer("train", "--schedule", "step:0.1", "--out", dir.resolve("x.fer").toString());
        assertEquals(2, schedule.code());
        assertTrue(schedule.err().contains("wrong number of ':' parts"), schedule.err());
        Run missing = fer("train");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("Missing required option: '--out=FILE'"), missing.err());
    }

    @Test
    void outputsThatCannotBeWrittenExitTwoWithTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Run reproduce = fer("reproduce", "--synthetic-faces", "300", "--epochs", "1", "--tuned-epochs", "1", "--sweep-epochs", "0",
                "--out", file.toString());
        assertEquals(2, reproduce.code());
        assertEquals("fer: " + file + ": is a file, not an output folder", reproduce.err().lines().reduce((a, b) -> b).orElse(""));
        Run train = fer("train", "--synthetic-faces", "300", "--epochs", "1", "--out", dir.toString());
        assertEquals(2, train.code());
        assertTrue(train.err().contains(dir + ": is a folder; give a file name to write"), train.err());
    }

    @Test
    void ferPlusLabelsNeedTheRealData() {
        Run run = fer("train", "--labels", "ferplus", "--out", dir.resolve("f.fer").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("FER+ labels need --data"), run.err());
        Run happy = fer("train", "--labels", "ferplus", "--task", "happy", "--out", dir.resolve("f.fer").toString());
        assertEquals(2, happy.code());
    }

    @Test
    void evaluateWithoutAModelUsesTheOneInTheJar() {
        Run run = fer("evaluate", "--synthetic-faces", "700");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("model default model (ensemble, engine: onnxruntime, task emotions)"), run.out());
        assertTrue(run.out().contains("accuracy"), run.out());
    }

    @Test
    void evaluateRejectsWhatIsNotAModel() throws IOException {
        Path notModel = dir.resolve("notes.fer");
        Files.writeString(notModel, "not a model");
        Run run = fer("evaluate", "--model", notModel.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("fer: " + notModel + ": not a fer4j model file"), run.err());
    }

    @Test
    void reproduceWritesTheStudy() throws IOException {
        Path out = dir.resolve("results");
        Run run = fer("reproduce", "--synthetic-faces", "1200", "--epochs", "2", "--tuned-epochs", "2", "--sweep-epochs", "1",
                "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.exists(out.resolve("index.html")));
        assertTrue(Files.exists(out.resolve("figures/sweep-aca.svg")));
        Files.delete(out.resolve("index.html"));
        Run report = fer("report", out.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.exists(out.resolve("index.html")), "fer report draws the page again");
        assertTrue(run.out().contains("SYNTHETIC"), run.out());
        assertTrue(run.out().contains("| multiclass ACA | 0.1368 |"), run.out());
        assertTrue(Files.exists(out.resolve("summary.json")));
        assertTrue(Files.exists(out.resolve("binary-step-decay/history.csv")));
    }

    @Test
    void reportOfAFolderWithoutAStudyExitsTwo() {
        Run run = fer("report", dir.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("no summary.json here"), run.err());
    }

    @Test
    void sweepResumesWhereItStopped() throws IOException {
        Path out = dir.resolve("sweep");
        String[] args = {"sweep", "--synthetic-faces", "900", "--lr", "0.001,0.01", "--batch", "50,100", "--epochs", "1",
            "--out", out.toString()};
        Run first = fer(args);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("best by ACA"), first.out());
        assertTrue(Files.exists(out.resolve("sweep.html")));
        try (var cells = Files.list(out.resolve("cells"))) {
            assertEquals(4, cells.count());
        }
        Files.delete(out.resolve("cells").resolve(Files.list(out.resolve("cells")).sorted().findFirst().orElseThrow().getFileName()));
        Run second = fer(args);
        assertEquals(0, second.code(), second.err());
        assertEquals(3, second.err().lines().filter(l -> l.contains("already done")).count(), second.err());
        Run bad = fer("sweep", "--lr", "0.1,-1", "--out", out.toString());
        assertEquals(2, bad.code());
    }
}
