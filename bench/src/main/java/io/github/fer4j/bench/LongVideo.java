package io.github.fer4j.bench;

import io.github.fer4j.video.VideoWriter;
import io.github.fer4j.vision.EmotionRecognizer;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a long 640x480, 30 frames/s H.264 video for the video soak (bench/video-soak.sh): the drifting face of
 * {@link VideoBenchmark}, a new face each second, and for the last 2 seconds of every minute no face at all, so that
 * over an hour the tracker loses and finds a face 60 times, as people come and go in a real recording.
 * Usage: {@code LongVideo OUT.mp4 SECONDS [fer2013.csv.gz]}.
 */
public final class LongVideo {
    private LongVideo() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int seconds = Integer.parseInt(args[1]);
        Path data = Path.of(args.length > 2 ? args[2] : "../shared/data/fer2013.csv.gz");
        List<byte[]> faces = VideoBenchmark.faces(data, List.of(EmotionRecognizer.create()));
        int frames = seconds * 30;
        long start = System.nanoTime();
        BufferedImage empty = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = empty.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(150, 140, 130), 640, 480, new Color(90, 100, 110)));
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        try (VideoWriter writer = VideoWriter.create(out, 640, 480, 30)) {
            for (int f = 0; f < frames; f++) {
                boolean away = f % 1800 >= 1740;
                writer.write(away ? empty : VideoBenchmark.frame(faces.get(f / 30 % faces.size()), f));
            }
            writer.finish();
        }
        System.out.printf(Locale.ROOT, "%s: %d frames (%d s at 30 frames/s), 640x480, %.0f MB, written in %.0f s%n", out, frames,
                seconds, Files.size(out) / 1e6, (System.nanoTime() - start) / 1e9);
    }
}
