package io.github.fer4j.cli;

import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.video.VideoAnalyzer;
import io.github.fer4j.video.VideoReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fer video}: a video file in, each face's emotions over time out. */
@Command(name = "video", header = "Read the emotions of faces in a video, frame by frame", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Read the emotions of the faces in a video file (MP4, WebM, AVI, MOV, ...), frame by frame. Each face "
                + "keeps an id from frame to frame. Writes into --out: frames.csv (time, frame, face id, box, the "
                + "probability of each emotion and the dominant one, a row per face per analysed frame), summary.json "
                + "(for each face: the frames it was seen in, its mean probabilities and the share of time in each dominant "
                + "emotion), emotions.png and emotions.svg (each face's emotions over time, smoothed, raw points faint "
                + "behind) and, with --annotate, annotated.mp4 (H.264).",
            "",
            "A file that is not a video gets one line on stderr and exit 2, and nothing is written. A truncated video is "
                + "analysed as far as it goes; fer then says where it stopped and exits with 2, unless --allow-truncated."})
final class VideoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VIDEO", description = "The video file.")
    Path video;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Write the results into this folder.")
    Path out;

    @Option(names = "--every", defaultValue = "1", paramLabel = "N", description = "Analyse one frame in N. Default: ${DEFAULT-VALUE} (every frame).")
    int every;

    @Option(names = "--max-seconds", paramLabel = "S", description = "Stop after the first S seconds of the video.")
    Double maxSeconds;

    @Option(names = "--track",
            description = "Run the face detector on one analysed frame in --detect-every only, and follow the faces near their "
                    + "last box in between (faster; a face that enters the picture is found at the next detection).")
    boolean track;

    @Option(names = "--detect-every", defaultValue = "10", paramLabel = "K",
            description = "With --track: detect on one analysed frame in K. Default: ${DEFAULT-VALUE}.")
    int detectEvery;

    @Option(names = "--annotate", description = "Also write annotated.mp4: every frame with each face's box, id, label and bars.")
    boolean annotate;

    @Mixin
    RecognizerOptions recognizerOptions;

    @Override
    public Integer call() throws Exception {
        if (every < 1 || detectEvery < 1 || (maxSeconds != null && !(maxSeconds > 0))) {
            throw new InvalidInputException("--every, --detect-every and --max-seconds must be positive");
        }
        VideoAnalyzer.Settings settings = VideoAnalyzer.Settings.defaults().withEvery(every)
                .withMaxSeconds(maxSeconds != null ? maxSeconds : Double.POSITIVE_INFINITY)
                .withDetectEvery(track ? detectEvery : 1).withAnnotate(annotate);
        VideoAnalyzer analyzer = new VideoAnalyzer(recognizerOptions.recognizer(), settings);
        VideoAnalyzer.Result result = analyzer.analyze(video, out, Progress.video(video.getFileName().toString()));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%s: %d frames read (%.1f s of video), %d analysed, %d face%s, %.1f frames/s%n", video,
                result.framesRead(), result.videoSeconds(), result.framesAnalysed(), result.faces(), result.faces() == 1 ? "" : "s",
                result.framesPerSecond());
        for (Path file : result.written()) {
            stdout.println("  " + file);
        }
        stdout.flush();
        if (result.truncation().isPresent()) {
            VideoReader.Truncation t = result.truncation().get();
            if (recognizerOptions.allowTruncated) {
                System.err.println("fer: " + video + ": warning: " + t.describe());
                return 0;
            }
            System.err.println("fer: " + video + ": " + t.describe() + "; the results cover what was read "
                    + "(--allow-truncated accepts such a file)");
            return 2;
        }
        return 0;
    }
}
