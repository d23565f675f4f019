package io.github.fer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.video.TestVideos;
import io.github.fer4j.vision.EmotionRecognizer;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ./fer} line of the README that needs no data runs, as written, and exits 0: the front page cannot rot.
 * The lines run in order in one folder that holds what they name ({@code photo.jpg}, one drawn face, and
 * {@code video.mp4}), each in a new JVM started the way the launcher starts fer.jar, on this build's class path. A line
 * that names FER2013 ({@code --data}, {@code ../shared}) needs data and is left out, and so is {@code serve}, which
 * runs until stopped (its own tests start and stop it).
 */
class ReadmeCommandsTest {
    static final Path README = Path.of("..", "README.md");

    @TempDir
    Path dir;

    /** The {@code ./fer} lines of the README's code blocks, their comments cut off. */
    static List<String> ferLines(List<String> readme) {
        List<String> lines = new ArrayList<>();
        boolean code = false;
        for (String line : readme) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (code && line.startsWith("./fer ")) {
                int comment = line.indexOf(" #");
                lines.add((comment < 0 ? line : line.substring(0, comment)).trim());
            }
        }
        return lines;
    }

    static boolean needsData(String line) {
        return line.contains("--data") || line.contains("../shared");
    }

    @Test
    void theReadmeFindsItsCommands() {
        List<String> lines = ferLines(List.of("text", "```", "./fer predict photo.jpg   # a comment", "mvn -B test", "```",
                "./fer outside a block", "```", "./fer video video.mp4 --out v/", "```"));
        assertEquals(List.of("./fer predict photo.jpg", "./fer video video.mp4 --out v/"), lines);
    }

    @Test
    void everyReadmeCommandThatNeedsNoDataRuns() throws Exception {
        List<String> lines = ferLines(Files.readAllLines(README));
        assertTrue(lines.size() >= 5, "the README's tour: " + lines);
        assertEquals("./fer reproduce", lines.get(0), "the README starts with the main job");
        writePhotoAndVideo();
        int ran = 0;
        for (String line : lines) {
            if (needsData(line) || line.startsWith("./fer serve")) {
                continue;
            }
            Run run = run(words(line.substring("./fer ".length())));
            assertEquals(0, run.code, line + "\n" + run.output);
            assertFalse(run.output.contains("Exception"), line + "\n" + run.output);
            ran++;
        }
        assertTrue(ran >= 4, "ran " + ran + " of " + lines);
    }

    /** photo.jpg: one face the detector finds, on a plain 320x240 frame; video.mp4: the same face moving, 2 s. */
    private void writePhotoAndVideo() throws IOException {
        byte[] face = TestVideos.detectableFaces(EmotionRecognizer.create(), 1, 120).get(0);
        List<TestVideos.Path2D> paths = List.of(new TestVideos.Path2D(face, 60, 50, 3, 0, 120));
        BufferedImage frame = TestVideos.frames(320, 240, paths).apply(0);
        BufferedImage rgb = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(frame, 0, 0, null);
        assertTrue(ImageIO.write(rgb, "jpg", dir.resolve("photo.jpg").toFile()));
        TestVideos.write(dir.resolve("video.mp4"), 30, 15, 320, 240, TestVideos.frames(320, 240, paths));
    }

    /** Splits a command line into words at spaces, keeping what single or double quotes hold together. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == ' ') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private record Run(int code, String output) { }

    /** fer with {@code args} in a new JVM in the test's folder, with the flags the launcher gives (fer). */
    private Run run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-Dfer.progress=false",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Fer.class.getName()));
        command.addAll(args);
        File log = dir.resolve("fer.log").toFile();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Run(-1, "timed out: " + Files.readString(log.toPath(), StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
    }
}
