package io.github.fer4j.bench;

import io.github.fer4j.data.Emotion;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.video.VideoAnalyzer;
import io.github.fer4j.video.VideoReader;
import io.github.fer4j.video.VideoWriter;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceDetector;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Video pipeline benchmark: makes a 640x480, 30 frames/s, one-face H.264 video from a FER2013 PublicTest face (a
 * synthetic face without the data) that drifts and changes over the video, then prints frames/s for decoding alone,
 * for every frame analysed, and for --track, with the share of the work spent decoding, for each detector named (the
 * same video for all, its faces ones that every detector finds). Usage:
 * {@code VideoBenchmark [fer2013.csv.gz] [seconds] [detectors, default haar,blazeface+align]}.
 */
public final class VideoBenchmark {
    private VideoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/fer2013.csv.gz");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        // Each detector as NAME or NAME+align (eye alignment on): haar is the photo path before issue 27, blazeface+align after.
        List<String> names = List.of((args.length > 2 ? args[2] : "haar,blazeface+align").split(","));
        EmotionRecognizer.Options defaults = EmotionRecognizer.Options.defaults();
        List<EmotionRecognizer> recognizers = new ArrayList<>();
        for (String name : names) {
            FaceDetector.Kind kind = FaceDetector.Kind.parse(name.replace("+align", ""));
            recognizers.add(EmotionRecognizer.create(EmotionRecognizer.defaultModel(), "default", new EmotionRecognizer.Options(kind,
                    defaults.minFaceSize(), defaults.maxPixels(), false, defaults.wholeFrame(), name.endsWith("+align"),
                    defaults.priorCorrection())));
        }
        List<byte[]> faces = faces(data, recognizers);
        Path dir = Files.createTempDirectory("fer-video-bench");
        Path video = dir.resolve("bench.mp4");
        int frames = seconds * 30;
        try (VideoWriter writer = VideoWriter.create(video, 640, 480, 30)) {
            for (int f = 0; f < frames; f++) {
                writer.write(frame(faces.get(f / 30 % faces.size()), f));
            }
            writer.finish();
        }
        System.out.printf(Locale.ROOT, "video: %d frames, 640x480, 30 frames/s, H.264 (OpenH264), %.0f KB, %s faces, one per frame%n%n",
                frames, Files.size(video) / 1024.0, Files.isRegularFile(data) ? "FER2013 PublicTest" : "synthetic");

        // Warm-up: native libraries, the model's first passes, the JIT.
        for (EmotionRecognizer recognizer : recognizers) {
            new VideoAnalyzer(recognizer, VideoAnalyzer.Settings.defaults().withMaxSeconds(2)).analyze(video, dir.resolve("warm"),
                    VideoAnalyzer.Listener.NONE);
        }

        long t0 = System.nanoTime();
        int decoded = 0;
        try (VideoReader reader = VideoReader.open(video)) {
            while (reader.next(true).isPresent()) {
                decoded++;
            }
        }
        double decodeOnly = decoded / ((System.nanoTime() - t0) / 1e9);

        System.out.printf(Locale.ROOT, "%-44s %10s %10s %12s %12s%n", "mode", "frames/s", "faces/frame", "decode share", "target");
        System.out.printf(Locale.ROOT, "%-44s %10.1f %10s %12s %12s%n", "decode only (FFmpeg + BGR copy)", decodeOnly, "", "", "");
        for (int k = 0; k < names.size(); k++) {
            EmotionRecognizer recognizer = recognizers.get(k);
            String d = names.get(k) + ": ";
            row(d + "every frame", recognizer, video, dir.resolve("every"), VideoAnalyzer.Settings.defaults(), ">= 80");
            row(d + "--track (detect 1 in 10)", recognizer, video, dir.resolve("track"),
                    VideoAnalyzer.Settings.defaults().withDetectEvery(10), "");
            row(d + "--every 5", recognizer, video, dir.resolve("every5"), VideoAnalyzer.Settings.defaults().withEvery(5), "");
            row(d + "every frame + --annotate", recognizer, video, dir.resolve("annotate"),
                    VideoAnalyzer.Settings.defaults().withAnnotate(true), "");
        }
        System.out.println();
        System.out.println("frames/s: frames read / wall time, outputs included; decode share: decoding thread's time / (decoding + analysis)");
    }

    private static void row(String name, EmotionRecognizer recognizer, Path video, Path out, VideoAnalyzer.Settings settings,
                            String target) throws Exception {
        VideoAnalyzer.Result r = new VideoAnalyzer(recognizer, settings).analyze(video, out, VideoAnalyzer.Listener.NONE);
        long rows = Files.lines(out.resolve(VideoAnalyzer.FRAMES_CSV)).count() - 1;
        System.out.printf(Locale.ROOT, "%-44s %10.1f %10.2f %11.0f%% %12s%n", name, r.framesPerSecond(),
                (double) rows / r.framesAnalysed(), 100 * r.decodeSeconds() / (r.decodeSeconds() + r.analysisSeconds()), target);
    }

    /** A face that drifts slowly (as a head does in a video call), on a lit background. */
    static BufferedImage frame(byte[] face, int f) {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(150, 140, 130), 640, 480, new Color(90, 100, 110)));
        g.fillRect(0, 0, 640, 480);
        BufferedImage f48 = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
        f48.getRaster().setDataElements(0, 0, 48, 48, face);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        int x = 210 + (int) Math.round(40 * Math.sin(f / 45.0));
        int y = 120 + (int) Math.round(20 * Math.sin(f / 70.0));
        g.drawImage(f48, x, y, 220, 220, null);
        g.dispose();
        return image;
    }

    /** A few faces the detector finds at this size: the video changes face (and emotion) every second. */
    static List<byte[]> faces(Path data, List<EmotionRecognizer> recognizers) throws Exception {
        List<byte[]> candidates = new ArrayList<>();
        if (Files.isRegularFile(data)) {
            FaceSet set = Fer2013Reader.read(data);
            int[] indices = set.indices(Split.PUBLIC_TEST);
            for (int i = 0; i < 40; i++) {
                candidates.add(set.face(indices[i]));
            }
        } else {
            SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < 40; i++) {
                candidates.add(SyntheticFaces.draw(Emotion.ofId(i % Emotion.COUNT), random));
            }
        }
        List<byte[]> found = new ArrayList<>();
        for (byte[] face : candidates) {
            if (recognizers.stream().allMatch(recognizer -> recognizer.recognize(frame(face, 0)).size() == 1)) {
                found.add(face);
            }
            if (found.size() == 5) {
                break;
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("the detector found none of the benchmark's faces");
        }
        return found;
    }
}
