package io.github.fer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.video.TestVideos;
import io.github.fer4j.vision.EmotionRecognizer;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command runs from the packaged jars, in new JVMs with an empty home folder, so that each native library is
 * unpacked from fer.jar as a user's first run unpacks it: what the shade filters leave out (OpenCV's unused modules,
 * other platforms, PyTorch) must be nothing any command loads. Training a CNN runs from fer-pytorch.jar beside fer.jar,
 * and from fer.jar alone it is refused in one line. Runs in {@code mvn verify}/{@code install} (failsafe), after the
 * jars are built.
 */
class FerJarIT {
    static final Path JAR = Path.of("target", "fer.jar").toAbsolutePath();

    @TempDir
    static Path dir;
    static Path home;

    @BeforeAll
    static void photoAndVideo() throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built in package");
        home = Files.createDirectories(dir.resolve("home"));
        byte[] face = TestVideos.detectableFaces(EmotionRecognizer.create(), 1, 120).get(0);
        List<TestVideos.Path2D> paths = List.of(new TestVideos.Path2D(face, 60, 50, 3, 0, 120));
        BufferedImage frame = TestVideos.frames(320, 240, paths).apply(0);
        BufferedImage rgb = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(frame, 0, 0, null);
        Files.createDirectories(dir.resolve("photos"));
        assertTrue(ImageIO.write(rgb, "jpg", dir.resolve("photos/photo.jpg").toFile()));
        Files.writeString(dir.resolve("labels.csv"), "path,emotion\nphoto.jpg,Happy\n");
        TestVideos.write(dir.resolve("video.mp4"), 20, 10, 320, 240, TestVideos.frames(320, 240, paths));
    }

    record Run(int code, String output) { }

    static Run fer(Path jar, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-Dfer.progress=false",
                "-Duser.home=" + home, "-jar", jar.toString()));
        command.addAll(List.of(args));
        File log = Files.createTempFile(dir, "fer", ".log").toFile();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Run(-1, "timed out");
        }
        return new Run(process.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
    }

    static void ok(String... args) throws Exception {
        Run run = fer(JAR, args);
        assertEquals(0, run.code(), String.join(" ", args) + "\n" + run.output());
    }

    @Test
    void everyCommandRunsFromTheJars() throws Exception {
        ok("--help");
        ok("generate-completion");
        ok("predict", "photos/photo.jpg", "--json", "faces.json");
        assertTrue(Files.readString(dir.resolve("faces.json")).contains("\"dominant\""));
        ok("evaluate-photos", "photos", "--labels", "labels.csv", "--out", "photo-results");
        ok("video", "video.mp4", "--out", "video", "--every", "5", "--annotate");
        assertTrue(Files.size(dir.resolve("video/annotated.mp4")) > 0);
        ok("train", "--model", "softmax", "--epochs", "1", "--synthetic-faces", "600", "--out", "softmax.fer");
        ok("evaluate", "--model", "softmax.fer", "--synthetic-faces", "600");
        ok("evaluate", "--synthetic-faces", "300");
        ok("ensemble", "softmax.fer", "softmax.fer", "--out", "two.fer");
        ok("export", "softmax.fer", "softmax.onnx");
        ok("predict", "--model", "softmax.onnx", "photos/photo.jpg");
        ok("sweep", "--synthetic-faces", "600", "--lr", "0.01", "--batch", "32", "--epochs", "1", "--out", "sweep");
        ok("reproduce", "--synthetic-faces", "600", "--epochs", "1", "--tuned-epochs", "1", "--out", "study");
        ok("report", "study");
        ok("train", "--model", "cnn", "--architecture", "tiny", "--epochs", "1", "--synthetic-faces", "300", "--out", "tiny.fer");
        ok("predict", "--model", "tiny.fer", "--engine", "pytorch", "photos/photo.jpg");
        serveAnswersHealth();
    }

    @Test
    void fromFerJarAloneTrainingSaysWhatToBuild() throws Exception {
        Path alone = Files.createDirectories(dir.resolve("alone")).resolve("fer.jar");
        Files.copy(JAR, alone);
        Run run = fer(alone, "train", "--model", "cnn", "--epochs", "1", "--synthetic-faces", "300", "--out", "x.fer");
        assertEquals(2, run.code(), run.output());
        // The JVM's own note on the Vector API module (the launcher asks for it when training) is not fer's to remove.
        String said = run.output().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList().stream()
                .reduce("", (a, b) -> a + b + "\n").trim();
        assertTrue(said.startsWith("fer: --model cnn trains on PyTorch, which is not on the class path"), run.output());
        assertEquals(1, said.lines().count(), run.output());
        assertTrue(Files.notExists(dir.resolve("x.fer")));
        Run engine = fer(alone, "predict", "--engine", "pytorch", "photos/photo.jpg");
        assertEquals(2, engine.code(), engine.output());
        assertTrue(engine.output().contains("\nfer: --engine pytorch needs PyTorch")
                || engine.output().startsWith("fer: --engine pytorch needs PyTorch"), engine.output());
    }

    /** fer serve on a free port answers /health, then stops when its process is ended (as by Ctrl-C). */
    private static void serveAnswersHealth() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Duser.home=" + home, "-jar", JAR.toString(), "serve", "--port", "0");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            Pattern serving = Pattern.compile("serving (http://[0-9.:]+/)");
            var reader = process.inputReader(StandardCharsets.UTF_8);
            String url = null;
            StringBuilder seen = new StringBuilder();
            for (String line; url == null && (line = reader.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = serving.matcher(line);
                url = m.find() ? m.group(1) : null;
            }
            assertTrue(url != null, "fer serve printed no address:\n" + seen);
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "health"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "fer serve stops when its process is ended");
        }
    }
}
