package io.github.fer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.SyntheticFaces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fer-spark score's usage errors (exit 2, a message naming the problem) and its output: whole or absent. */
class ScoreCommandTest {
    @TempDir
    Path dir;

    /** Runs fer-spark with stderr captured; returns the exit code and what it printed there. */
    private static Result run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = FerSpark.execute(args);
            return new Result(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    private record Result(int code, String stderr) {
    }

    private Path photos() throws IOException {
        Path photos = dir.resolve("photos");
        ComposedPhotos.write(photos, SyntheticFaces.generate(20, 1), 6, 3);
        return photos;
    }

    @Test
    void helpReadsLikeAManPage() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = FerSpark.execute("score", "--help");
        } finally {
            System.setOut(out);
        }
        String help = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code);
        for (String part : List.of("Usage: fer-spark score", "--input=PATH", "--output=PATH", "--fer2013", "--model=NAME|FILE", "--master=URL",
                "spark-submit", "Exit codes:")) {
            assertTrue(help.contains(part), "the help names " + part + ":\n" + help);
        }
    }

    @Test
    void aMissingInputIsExit2AndNamesIt() {
        Path missing = dir.resolve("no-such-folder");
        Result r = run("score", "--input", missing.toString(), "--output", dir.resolve("out.parquet").toString());
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains(missing + ": no such folder or photo"), r.stderr());
        assertFalse(Files.exists(dir.resolve("out.parquet")));
    }

    @Test
    void anUnreadableModelIsExit2() throws IOException {
        Path model = Files.writeString(dir.resolve("broken.fer"), "not a model");
        Result r = run("score", "--input", photos().toString(), "--output", dir.resolve("out.parquet").toString(),
                "--model", model.toString());
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains("broken.fer: not a fer4j model file"), r.stderr());
        assertFalse(Files.exists(dir.resolve("out.parquet")));
    }

    @Test
    void badOptionsAreExit2() throws IOException {
        Path photos = photos();
        String out = dir.resolve("out.parquet").toString();
        assertEquals(2, run("score", "--input", photos.toString()).code(), "--output is required");
        assertEquals(2, run("score", "--input", photos.toString(), "--output", out, "--detector", "dnn").code());
        assertEquals(2, run("score", "--input", photos.toString(), "--output", out, "--min-face", "0").code());
        Result prior = run("score", "--input", photos.toString(), "--output", out, "--prior-correction", "1.5");
        assertEquals(2, prior.code());
        assertTrue(prior.stderr().contains("--prior-correction must be from 0 to 1, not 1.5"), prior.stderr());
        assertEquals(2, run("score", "--input", photos.toString(), "--output", out, "--no-such-option").code());
        assertEquals(2, run("nosuchcommand").code());
        Result csv = run("score", "--fer2013", "--input", photos.toString(), "--output", out);
        assertEquals(2, csv.code());
        assertTrue(csv.stderr().contains("is a folder; --fer2013 reads one csv file"), csv.stderr());
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void anExistingOutputIsLeftAloneAndIsExit2() throws IOException {
        LocalSpark.session();
        Path out = Files.createDirectories(dir.resolve("out.parquet"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Result r = run("score", "--input", photos().toString(), "--output", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains("already exists"), r.stderr());
        assertEquals(List.of(out.resolve("keep.txt")), list(out));
    }

    @Test
    void aJobThatFailsLeavesNoOutputAndNoTemporaryFolder() throws IOException {
        SparkSession spark = LocalSpark.session();
        Path photos = photos();
        // Brackets in the name: Spark would read them as a glob when the command counts what it wrote.
        Path out = dir.resolve("results").resolve("out[1].parquet");
        Files.createDirectories(out.getParent());
        // Spark refuses files longer than this (a task failure, then a failed job): the job dies half-way through.
        spark.conf().set("spark.sql.sources.binaryFile.maxLength", "1000");
        Result r;
        try {
            r = run("score", "--input", photos.toString(), "--output", out.toString());
        } finally {
            spark.conf().unset("spark.sql.sources.binaryFile.maxLength");
        }
        assertEquals(1, r.code(), r.stderr());
        assertTrue(r.stderr().contains("fer-spark: failed:"), r.stderr());
        assertEquals(List.of(), list(out.getParent()), "neither the output nor Spark's temporary folder is left");

        // The same command with Spark's limits as they are: the output appears whole.
        assertEquals(0, run("score", "--input", photos.toString(), "--output", out.toString()).code());
        assertTrue(Files.isRegularFile(out.resolve("_SUCCESS")));
        assertEquals(6, spark.read().parquet(out.toString().replace("[", "\\[").replace("]", "\\]")).count());
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }
}
