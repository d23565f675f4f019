package io.github.fer4j.video;

import io.github.fer4j.data.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Encodes frames into a video file with the encoders of FFmpeg's LGPL build, chosen by the file's extension: MP4 and
 * MOV get H.264 from OpenH264 (libx264 is GPL and absent), WebM gets VP8 (libvpx), AVI gets MPEG-4 Part 2. The file
 * is written beside its target under a temporary name and moved into place by {@link #finish()}; closed without
 * finishing, it is deleted, so a failure never leaves half a video.
 */
public final class VideoWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FFmpegFrameRecorder recorder;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final int width;
    private final int height;
    private boolean finished;

    private VideoWriter(Path target, Path temp, FFmpegFrameRecorder recorder, int width, int height) {
        this.target = target;
        this.temp = temp;
        this.recorder = recorder;
        this.width = width;
        this.height = height;
    }

    /**
     * Starts a video of frames {@code width} x {@code height} (rounded down to even sides, which 4:2:0 encoders need)
     * at {@code frameRate} frames a second.
     */
    public static VideoWriter create(Path target, int width, int height, double frameRate) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        String name = absolute.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        Path temp = absolute.resolveSibling("." + name + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(System.nanoTime()) + ".tmp." + extension);
        VideoReader.quietFfmpeg();
        int w = width & ~1;
        int h = height & ~1;
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(temp.toFile(), w, h, 0);
        recorder.setFrameRate(frameRate);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        // About 4 bits a pixel a second: the labels and bars stay legible at 640x480.
        recorder.setVideoBitrate(Math.max(500_000, w * h * 4));
        switch (extension) {
            case "mp4", "mov" -> {
                recorder.setFormat(extension);
                recorder.setVideoCodecName("libopenh264");
                // The index goes at the front, so a player (or fer video) can start before the whole file is there.
                recorder.setOption("movflags", "+faststart");
            }
            case "webm" -> {
                recorder.setFormat("webm");
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_VP8);
            }
            case "avi" -> {
                recorder.setFormat("avi");
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            }
            default -> throw InvalidInputException.at(target, "write videos as .mp4, .mov, .webm or .avi");
        }
        recorder.setGopSize((int) Math.max(1, Math.round(frameRate * 2)));
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot start encoding " + target + ": " + e.getMessage(), e);
        }
        return new VideoWriter(target, temp, recorder, w, h);
    }

    /** Adds a frame; one larger than the video is cut to it (the frame's top left is kept). */
    public void write(BufferedImage frame) {
        BufferedImage image = frame;
        if (frame.getWidth() != width || frame.getHeight() != height || frame.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            var g = image.createGraphics();
            g.drawImage(frame, 0, 0, null);
            g.dispose();
        }
        try {
            recorder.record(converter.convert(image), avutil.AV_PIX_FMT_BGR24);
        } catch (FrameRecorder.Exception e) {
            throw new UncheckedIOException(new IOException("cannot encode a frame of " + target + ": " + e.getMessage(), e));
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Ends the video and moves it into place. */
    public void finish() throws IOException {
        try {
            recorder.stop();
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot finish " + target + ": " + e.getMessage(), e);
        }
        try {
            Files.move(temp, target.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING);
        }
        finished = true;
    }

    /** Deletes the unfinished video, if {@link #finish()} was not reached. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            try {
                recorder.release();
            } catch (FrameRecorder.Exception ignored) {
                // The video is being thrown away; the error that ended it is the one that matters.
            }
            Files.deleteIfExists(temp);
        }
    }
}
