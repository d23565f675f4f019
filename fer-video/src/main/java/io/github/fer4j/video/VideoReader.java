package io.github.fer4j.video;

import io.github.fer4j.data.InvalidInputException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Reads a video file frame by frame through FFmpeg (MP4, WebM, AVI, MOV and whatever else FFmpeg's LGPL build
 * decodes), one frame in memory at a time. A file it cannot use is refused at {@link #open} with an
 * {@link InvalidInputException} naming it; a file that ends before its header says it should is read as far as it
 * goes, and {@link #truncation()} then says where it stopped.
 */
public final class VideoReader implements AutoCloseable {
    /** Where a damaged or truncated video stopped: frames read, the time reached, and what its header promised. */
    public record Truncation(int framesRead, double stoppedAtSeconds, int declaredFrames, double declaredSeconds,
                             String reason) {
        /** "read 57 of 90 frames, stopped at 1.90 s of 3.00 s (...)". */
        public String describe() {
            return String.format(Locale.ROOT, "truncated or damaged: read %d of %d frames, stopped at %.2f s of %.2f s (%s)",
                    framesRead, declaredFrames, stoppedAtSeconds, declaredSeconds, reason);
        }
    }

    private final Path file;
    private final FFmpegFrameGrabber grabber;
    private int framesRead;
    private double lastSeconds;
    private Truncation truncation;
    private boolean ended;

    private VideoReader(Path file, FFmpegFrameGrabber grabber) {
        this.file = file;
        this.grabber = grabber;
    }

    /** Opens a video, or says in one line why it is not one FFmpeg can read. */
    public static VideoReader open(Path file) {
        if (!Files.exists(file)) {
            throw InvalidInputException.at(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.at(file, "is not a file");
        }
        try {
            if (Files.size(file) == 0) {
                throw InvalidInputException.at(file, "is empty");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        quietFfmpeg();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(grabber);
            throw InvalidInputException.at(file, openFailure(e));
        }
        String format = String.valueOf(grabber.getFormat());
        String refusal = null;
        if (format.equals("image2") || format.endsWith("_pipe")) {
            refusal = "is a still image (" + format + "), not a video";
        } else if (format.equals("tty")) {
            refusal = "is text, not a video";
        } else if (!grabber.hasVideo() || grabber.getImageWidth() <= 0) {
            refusal = grabber.hasAudio() ? "holds audio only, no video stream" : "holds no video stream";
        }
        if (refusal != null) {
            release(grabber);
            throw InvalidInputException.at(file, refusal);
        }
        return new VideoReader(file, grabber);
    }

    /**
     * FFmpeg logs every damaged packet and every file it writes on stderr; fer reports the outcome in one line instead.
     * The system property {@code fer.ffmpeg.log=true} ({@code fer --verbose}) shows FFmpeg's warnings.
     */
    static void quietFfmpeg() {
        avutil.av_log_set_level(Boolean.getBoolean("fer.ffmpeg.log") ? avutil.AV_LOG_WARNING : avutil.AV_LOG_QUIET);
    }

    private static final Pattern ERROR_CODE = Pattern.compile("error (-?\\d+)");

    private static String openFailure(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("avcodec_find_decoder") || message.contains("Unsupported")) {
            return "its video codec is unknown to FFmpeg's LGPL build";
        }
        if (message.contains("Did not find a video or audio stream")) {
            return "holds no video stream (no frames)";
        }
        // JavaCV's messages carry FFmpeg's error number; FFmpeg's own text for it is the reason.
        Matcher code = ERROR_CODE.matcher(message);
        String reason = message;
        if (code.find()) {
            byte[] text = new byte[256];
            avutil.av_strerror(Integer.parseInt(code.group(1)), text, text.length);
            reason = new String(text, StandardCharsets.US_ASCII);
            int nul = reason.indexOf('\0');
            reason = (nul >= 0 ? reason.substring(0, nul) : reason).trim().toLowerCase(Locale.ROOT);
        }
        if (message.contains("avformat_open_input")) {
            return "not a video FFmpeg can read (" + reason + "), or a video truncated before its index";
        }
        return "cannot be read as a video (" + reason + ")";
    }

    private static void release(FFmpegFrameGrabber grabber) {
        try {
            grabber.release();
        } catch (FrameGrabber.Exception ignored) {
            // Nothing was read from it; the error that matters is the one being reported.
        }
    }

    public Path file() {
        return file;
    }

    public int width() {
        return grabber.getImageWidth();
    }

    public int height() {
        return grabber.getImageHeight();
    }

    /** Frames per second as the file declares them (30 when it declares none). */
    public double frameRate() {
        double rate = grabber.getFrameRate();
        return rate > 0 && rate < 1000 ? rate : 30;
    }

    /** The number of frames the header promises (0 when it does not say). */
    public int declaredFrames() {
        return Math.max(0, grabber.getLengthInFrames());
    }

    /** The length the header promises, in seconds (0 when it does not say). */
    public double declaredSeconds() {
        return Math.max(0, grabber.getLengthInTime() / 1e6);
    }

    /** FFmpeg's name of the video codec, e.g. {@code h264}. */
    public String codec() {
        return grabber.getVideoCodecName() != null ? grabber.getVideoCodecName() : String.valueOf(grabber.getVideoCodec());
    }

    public int framesRead() {
        return framesRead;
    }

    /**
     * The next frame, or empty at the end of the video (or where a damaged file stops: then {@link #truncation()}
     * says so).
     *
     * @param withImage false to skip copying the pixels (the frame is still decoded, as later frames need it)
     */
    public Optional<VideoFrame> next(boolean withImage) {
        if (ended) {
            return Optional.empty();
        }
        Frame frame;
        try {
            frame = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            return end("FFmpeg could not decode further: " + e.getMessage());
        }
        if (frame == null || frame.image == null) {
            return end("the file ends early");
        }
        double seconds = Math.max(0, frame.timestamp / 1e6);
        lastSeconds = seconds;
        VideoFrame out = new VideoFrame(framesRead, seconds, withImage ? copy(frame) : null);
        framesRead++;
        return Optional.of(out);
    }

    /** Marks the end; it is a truncation when the header promised clearly more than was read. */
    private Optional<VideoFrame> end(String reason) {
        ended = true;
        if (framesRead == 0) {
            throw InvalidInputException.at(file, "holds no video frames that FFmpeg can decode");
        }
        int declared = declaredFrames();
        // Container durations are rounded (and some count a frame more): allow two frames and 3 % of slack.
        boolean early = declared > 0 && framesRead + 2 < declared * 0.97;
        if (early || reason.startsWith("FFmpeg")) {
            truncation = new Truncation(framesRead, lastSeconds + 1 / frameRate(), declared, declaredSeconds(), reason);
        }
        return Optional.empty();
    }

    /** Where the file stopped short of what its header promised; empty for a whole file (or before the end). */
    public Optional<Truncation> truncation() {
        return Optional.ofNullable(truncation);
    }

    /** FFmpeg reuses its frame buffer for the next frame, so the pixels are copied out into a BGR image. */
    private static BufferedImage copy(Frame frame) {
        int width = frame.imageWidth;
        int height = frame.imageHeight;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        ByteBuffer source = ((ByteBuffer) frame.image[0]).duplicate();
        int row = width * 3;
        for (int y = 0; y < height; y++) {
            source.position(y * frame.imageStride);
            source.get(target, y * row, row);
        }
        return image;
    }

    @Override
    public void close() {
        release(grabber);
    }
}
