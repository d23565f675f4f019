package io.github.fer4j.cli;

import static io.github.fer4j.cli.FerCommandTest.fer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.video.TestVideos;
import io.github.fer4j.vision.EmotionRecognizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fer video} on videos the test composes and encodes: the outputs, the exit codes, the one-line errors. */
class VideoCommandTest {
    static Path video;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeVideo() throws IOException {
        byte[] face = TestVideos.detectableFaces(EmotionRecognizer.create(), 1, 120).get(0);
        video = TestVideos.write(shared.resolve("walk.mp4"), 30, 15, 320, 240,
                TestVideos.frames(320, 240, List.of(new TestVideos.Path2D(face, 20, 50, 5, 0, 120))));
    }

    @Test
    void writesTheCsvTheSummaryThePlotAndTheAnnotatedCopy() throws IOException {
        Path out = dir.resolve("out");
        FerCommandTest.Run run = fer("video", video.toString(), "--out", out.toString(), "--every", "5", "--annotate");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("30 frames read (2.0 s of video), 6 analysed, 1 face"), run.out());
        for (String name : List.of("frames.csv", "summary.json", "emotions.png", "emotions.svg", "annotated.mp4")) {
            assertTrue(Files.size(out.resolve(name)) > 0, name);
        }
        assertEquals(1 + 6, Files.readAllLines(out.resolve("frames.csv")).size(), "a header and a row per analysed frame");
    }

    @Test
    void aTruncatedVideoExitsWith2UnlessAllowed() throws IOException {
        byte[] bytes = Files.readAllBytes(video);
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
        FerCommandTest.Run refused = fer("video", cut.toString(), "--out", dir.resolve("a").toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().matches("(?s)fer: " + java.util.regex.Pattern.quote(cut.toString())
                + ": truncated or damaged: read \\d+ of 30 frames, stopped at .*"), refused.err());
        assertTrue(Files.exists(dir.resolve("a/frames.csv")), "what decoded is analysed");
        FerCommandTest.Run allowed = fer("video", cut.toString(), "--out", dir.resolve("b").toString(), "--allow-truncated");
        assertEquals(0, allowed.code(), allowed.err());
        assertTrue(allowed.err().contains("warning: truncated"), allowed.err());
    }

    @Test
    void notAVideoIsOneLineAndNothingWritten() throws IOException {
        Path text = Files.writeString(dir.resolve("clip.mp4"), "not a video\n");
        Path out = dir.resolve("out");
        FerCommandTest.Run run = fer("video", text.toString(), "--out", out.toString());
        assertEquals(2, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("fer: " + text + ": not a video"), run.err());
        assertFalse(Files.exists(out));
    }
}
