package io.github.fer4j.video;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.vision.Annotator;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.RecognizedFace;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A video in, emotions over time out: reads the video frame by frame, finds and classifies the faces of each analysed
 * frame the way {@link EmotionRecognizer} does for photos, gives each face an id that lasts across frames
 * ({@link FaceTracker}), and writes {@code frames.csv}, {@code summary.json}, {@code emotions.png}/{@code .svg} and,
 * when asked, {@code annotated.mp4} into a folder. Frames are streamed (one decoded ahead on a second thread) and the
 * CSV is written as it goes, so a long video does not grow memory. Every file is written under a temporary name and
 * moved into place when whole.
 */
public final class VideoAnalyzer {
    /**
     * How a video is analysed.
     *
     * @param every       analyse one frame in {@code every} (1: all)
     * @param maxSeconds  stop after this much of the video (infinite: all of it)
     * @param detectEvery run the face detector on one analysed frame in {@code detectEvery} and follow the faces near
     *                    their last box in between (1: detect on every analysed frame)
     * @param annotate    also write {@code annotated.mp4}: every frame with the latest boxes, ids, labels and bars
     * @param maxPlotted  the plot shows at most this many faces (those seen longest)
     */
    public record Settings(int every, double maxSeconds, int detectEvery, boolean annotate, int maxPlotted) {
        public Settings {
            if (every < 1 || detectEvery < 1 || maxPlotted < 1 || !(maxSeconds > 0)) {
                throw new InvalidInputException("--every, the detection interval and --max-seconds must be positive");
            }
        }

        public static Settings defaults() {
            return new Settings(1, Double.POSITIVE_INFINITY, 1, false, 8);
        }

        public Settings withEvery(int n) {
            return new Settings(n, maxSeconds, detectEvery, annotate, maxPlotted);
        }

        public Settings withMaxSeconds(double seconds) {
            return new Settings(every, seconds, detectEvery, annotate, maxPlotted);
        }

        public Settings withDetectEvery(int k) {
            return new Settings(every, maxSeconds, k, annotate, maxPlotted);
        }

        public Settings withAnnotate(boolean on) {
            return new Settings(every, maxSeconds, detectEvery, on, maxPlotted);
        }
    }

    /** Hears about each frame read, for progress bars; closed when the analysis ends, however it ends. */
    @FunctionalInterface
    public interface Listener extends AutoCloseable {
        /** @param declaredFrames frames the header promises (0 when unknown) */
        void onFrame(int framesRead, int declaredFrames, double seconds);

        @Override
        default void close() {
        }

        Listener NONE = (read, declared, seconds) -> { };
    }

    /**
     * What an analysis did: frames read and analysed, faces (ids) seen, where a truncated video stopped, the files
     * written, and the time spent decoding (on its own thread) and analysing.
     */
    public record Result(Path out, int framesRead, int framesAnalysed, int faces, double videoSeconds,
                         Optional<VideoReader.Truncation> truncation, List<Path> written, double wallSeconds,
                         double decodeSeconds, double analysisSeconds) {
        public double framesPerSecond() {
            return framesRead / wallSeconds;
        }
    }

    public static final String FRAMES_CSV = "frames.csv";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String ANNOTATED_MP4 = "annotated.mp4";

    private final EmotionRecognizer recognizer;
    private final Settings settings;

    public VideoAnalyzer(EmotionRecognizer recognizer, Settings settings) {
        this.recognizer = recognizer;
        this.settings = settings;
    }

    /** Analyses a video into {@code out} (created if needed). A file that is no readable video leaves {@code out} untouched. */
    public Result analyze(Path video, Path out, Listener listener) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw InvalidInputException.at(out, "is a file, not a folder to write into");
        }
        long started = System.nanoTime();
        try (VideoReader reader = VideoReader.open(video); listener) {
            Files.createDirectories(out);
            Run run = new Run(reader, out, listener);
            AtomicFiles.write(out.resolve(FRAMES_CSV), run::analyse);
            List<Path> written = new ArrayList<>();
            if (settings.annotate()) {
                written.add(out.resolve(ANNOTATED_MP4));
            }
            written.add(out.resolve(FRAMES_CSV));
            AtomicFiles.writeString(out.resolve(SUMMARY_JSON), run.summary(video));
            written.add(out.resolve(SUMMARY_JSON));
            if (run.timeline.save(out, settings.maxPlotted())) {
                written.add(out.resolve("emotions.png"));
                written.add(out.resolve("emotions.svg"));
            }
            return new Result(out, reader.framesRead(), run.analysed, run.histories.size(), run.secondsRead(),
                    reader.truncation(), List.copyOf(written), (System.nanoTime() - started) / 1e9, run.decodeNanos / 1e9,
                    run.analysisNanos / 1e9);
        }
    }

    /** The state of one analysis: the frame loop, the tracker, and what the summary and the plot accumulate. */
    private final class Run {
        private static final Object END = new Object();
        final VideoReader reader;
        final Path out;
        final Listener listener;
        final FaceTracker tracker = new FaceTracker();
        final List<String> classNames = recognizer.model().classNames();
        final EmotionTimeline timeline = new EmotionTimeline(classNames);
        final Map<Integer, FaceHistory> histories = new LinkedHashMap<>();
        int analysed;
        double lastSeconds;
        volatile long decodeNanos;
        long analysisNanos;
        volatile boolean stop;

        Run(VideoReader reader, Path out, Listener listener) {
            this.reader = reader;
            this.out = out;
            this.listener = listener;
        }

        /** The frame loop; writes the CSV to {@code csv} as it goes. */
        void analyse(java.io.OutputStream csv) throws IOException {
            Writer rows = new BufferedWriter(new OutputStreamWriter(csv, StandardCharsets.UTF_8), 1 << 16);
            rows.write("seconds,frame,face,x,y,width,height," + String.join(",", classNames) + ",dominant,detector\n");
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
            Thread decoder = new Thread(() -> decode(queue), "fer-video-decoder");
            decoder.setDaemon(true);
            decoder.start();
            VideoWriter annotated = settings.annotate()
                    ? VideoWriter.create(out.resolve(ANNOTATED_MP4), reader.width(), reader.height(), reader.frameRate()) : null;
            try {
                List<TrackedFace> current = List.of();
                while (true) {
                    Object item = queue.take();
                    if (item == END) {
                        break;
                    }
                    if (item instanceof RuntimeException e) {
                        throw e;
                    }
                    if (item instanceof Error e) {
                        throw e;
                    }
                    long t0 = System.nanoTime();
                    VideoFrame frame = (VideoFrame) item;
                    lastSeconds = frame.seconds();
                    if (frame.number() % settings.every() == 0) {
                        current = analyse(frame);
                        record(frame, current, rows);
                    }
                    if (annotated != null) {
                        annotated.write(Annotator.annotate(frame.image(), current.stream().map(TrackedFace::face).toList(),
                                current.stream().map(TrackedFace::id).toList()));
                    }
                    analysisNanos += System.nanoTime() - t0;
                    listener.onFrame(frame.number() + 1, reader.declaredFrames(), frame.seconds());
                }
                if (annotated != null) {
                    annotated.finish();
                }
                rows.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                stop = true;
                queue.clear();
                try {
                    decoder.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (annotated != null) {
                    annotated.close();
                }
            }
        }

        /** The decoding thread: frames into the queue until the end, --max-seconds, or a stop. */
        private void decode(BlockingQueue<Object> queue) {
            Object last = END;
            try {
                while (!stop) {
                    long t0 = System.nanoTime();
                    int number = reader.framesRead();
                    boolean needed = settings.annotate() || number % settings.every() == 0;
                    Optional<VideoFrame> frame = reader.next(needed);
                    decodeNanos += System.nanoTime() - t0;
                    if (frame.isEmpty() || frame.get().seconds() >= settings.maxSeconds()) {
                        break;
                    }
                    while (!stop && !queue.offer(frame.get(), 100, TimeUnit.MILLISECONDS)) {
                        // The analysis is behind: wait for room rather than hold more frames.
                    }
                }
            } catch (RuntimeException | Error e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                while (!stop && !queue.offer(last, 100, TimeUnit.MILLISECONDS)) {
                    // as above
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private List<TrackedFace> analyse(VideoFrame frame) {
            boolean detect = settings.detectEvery() <= 1 || analysed % settings.detectEvery() == 0;
            analysed++;
            List<RecognizedFace> faces;
            if (detect) {
                faces = recognizer.recognize(frame.image());
            } else if (tracker.expectedNext().isEmpty()) {
                faces = List.of();   // nothing to follow until the next full detection
            } else {
                // Near where each known face is expected; the whole frame when one is not found there (moved further,
                // turned, left).
                faces = recognizer.recognizeNear(frame.image(), tracker.expectedNext().values());
            }
            return tracker.update(faces);
        }

        private void record(VideoFrame frame, List<TrackedFace> faces, Writer rows) throws IOException {
            for (TrackedFace tracked : faces) {
                RecognizedFace face = tracked.face();
                double[] p = new double[classNames.size()];
                for (int c = 0; c < p.length; c++) {
                    p[c] = face.probability(classNames.get(c));
                }
                FaceBox b = face.box();
                StringBuilder row = new StringBuilder(128);
                row.append(String.format(Locale.ROOT, "%.3f,%d,%d,%d,%d,%d,%d", frame.seconds(), frame.number(), tracked.id(),
                        b.x(), b.y(), b.width(), b.height()));
                for (double v : p) {
                    row.append(String.format(Locale.ROOT, ",%.4f", v));
                }
                rows.append(row).append(',').append(face.dominant()).append(',').append(face.detector()).append('\n');
                histories.computeIfAbsent(tracked.id(), id -> new FaceHistory(id, classNames))
                        .add(frame.number(), frame.seconds(), p, classNames.indexOf(face.dominant()), settings.every());
                timeline.add(tracked.id(), frame.seconds(), p);
            }
        }

        /** The time the frames read cover: up to the end of the last one. */
        double secondsRead() {
            return reader.framesRead() == 0 ? 0 : lastSeconds + 1 / reader.frameRate();
        }

        String summary(Path video) {
            JsonObject o = new JsonObject();
            o.addProperty("file", video.toString());
            o.addProperty("codec", reader.codec());
            o.addProperty("width", reader.width());
            o.addProperty("height", reader.height());
            o.addProperty("frameRate", reader.frameRate());
            o.addProperty("framesRead", reader.framesRead());
            o.addProperty("framesAnalysed", analysed);
            o.addProperty("every", settings.every());
            o.addProperty("detectEvery", settings.detectEvery());
            o.addProperty("secondsRead", Math.round(secondsRead() * 1000) / 1000.0);
            o.addProperty("model", recognizer.modelName());
            o.addProperty("detector", recognizer.detector().kind().name().toLowerCase(Locale.ROOT));
            o.addProperty("priorCorrection", recognizer.priorCorrection());
            Gson gson = new GsonBuilder().setPrettyPrinting().create();
            // The truncation record's components are the JSON's fields (framesRead, stoppedAtSeconds, declaredFrames, ...).
            reader.truncation().ifPresent(t -> o.add("truncated", gson.toJsonTree(t)));
            JsonArray faces = new JsonArray();
            histories.values().forEach(h -> faces.add(h.toJson()));
            o.add("faces", faces);
            return gson.toJson(o) + "\n";
        }
    }
}
