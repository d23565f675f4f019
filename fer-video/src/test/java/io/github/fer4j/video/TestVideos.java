package io.github.fer4j.video;

import io.github.fer4j.TestData;
import io.github.fer4j.data.Emotion;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.PhotoComposer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Videos that tests make at run time (no video or face photo is committed): 48x48 faces (FER2013 PublicTest faces
 * when the data is there, synthetic ones otherwise) pasted at known places onto frames by fer-vision's
 * {@link PhotoComposer}, then encoded with the same FFmpeg that reads them back.
 */
public final class TestVideos {
    private static List<byte[]> faces;

    private TestVideos() {
    }

    /** A face moving in a straight line: at frame {@code f} its box is (x0 + dx f, y0 + dy f), {@code side} px square. */
    public record Path2D(byte[] face, int x0, int y0, int dx, int dy, int side) {
        PhotoComposer.Placement at(int frame) {
            return new PhotoComposer.Placement(face, x0 + dx * frame, y0 + dy * frame, side);
        }
    }

    /** The frames of a video whose faces follow these paths, on one background. */
    public static IntFunction<BufferedImage> frames(int width, int height, List<Path2D> paths) {
        return f -> {
            List<PhotoComposer.Placement> placements = new ArrayList<>();
            for (Path2D p : paths) {
                placements.add(p.at(f));
            }
            return PhotoComposer.compose(width, height, placements, 7);
        };
    }

    /** Encodes {@code count} frames into {@code target} (its extension picks the container and codec). */
    public static Path write(Path target, int count, double fps, int width, int height, IntFunction<BufferedImage> frames)
            throws IOException {
        try (VideoWriter writer = VideoWriter.create(target, width, height, fps)) {
            for (int f = 0; f < count; f++) {
                writer.write(frames.apply(f));
            }
            writer.finish();
        }
        return target;
    }

    /**
     * Faces the default detector finds when pasted at {@code side} px on a {@code width} x {@code height} frame, so
     * that a test is about the video, not about the detector's misses (it finds about three FER2013 faces in four).
     */
    public static synchronized List<byte[]> detectableFaces(EmotionRecognizer recognizer, int count, int side) throws IOException {
        if (faces == null) {
            faces = new ArrayList<>();
            var data = TestData.fer2013();
            if (data.isPresent()) {
                FaceSet set = Fer2013Reader.read(data.get());
                for (int i : PhotoComposer.usable(set, set.indices(Split.PUBLIC_TEST), 60)) {
                    faces.add(set.face(i));
                }
            } else {
                SplittableRandom random = new SplittableRandom(5);
                for (int i = 0; i < 60; i++) {
                    faces.add(SyntheticFaces.draw(Emotion.ofId(i % Emotion.COUNT), random));
                }
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[] face : faces) {
            BufferedImage photo = PhotoComposer.compose(side * 3, side * 2,
                    List.of(new PhotoComposer.Placement(face, side, side / 2, side)), 7);
            if (recognizer.recognize(photo).size() == 1) {
                out.add(face);
                if (out.size() == count) {
                    return out;
                }
            }
        }
        throw new IllegalStateException("only " + out.size() + " of the test faces were detected");
    }

    /** Whether the faces are FER2013's (else synthetic). */
    public static boolean realFaces() {
        return TestData.fer2013().isPresent();
    }
}
