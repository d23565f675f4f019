package io.github.fer4j.server;

import io.github.fer4j.vision.FaceBox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where each webcam stream's faces were in its last frame, so that the next frame is searched near them first
 * ({@link io.github.fer4j.vision.EmotionRecognizer#recognizeNear}). A stream is named by the client
 * ({@value #HEADER}: the page sends one id per page load with its webcam frames). Every {@value #FULL_SEARCH_EVERY}th
 * frame of a stream, a frame of another size, or a frame after one without faces is searched whole, so a face that
 * comes into view is found within that many frames. The most recently used {@value #MAX_STREAMS} streams are kept.
 */
final class StreamFaces {
    /** The request header that names a stream. */
    static final String HEADER = "X-Fer-Stream";
    static final int FULL_SEARCH_EVERY = 10;
    static final int MAX_STREAMS = 1024;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** A stream's last frame: its size, its faces, and how many frames since the last whole search. */
    private record State(int width, int height, List<FaceBox> boxes, int sinceFull) {
    }

    private final Map<String, State> streams = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
            return size() > MAX_STREAMS;
        }
    };

    /** Whether {@code id} is a stream id the server takes: 1 to 64 letters, digits, '-' or '_'. */
    static boolean valid(String id) {
        return ID.matcher(id).matches();
    }

    /** The boxes to search near in the next frame of {@code id}, of this size; empty: search the whole frame. */
    synchronized Optional<List<FaceBox>> expected(String id, int width, int height) {
        State s = streams.get(id);
        if (s == null || s.width() != width || s.height() != height || s.boxes().isEmpty()
                || s.sinceFull() + 1 >= FULL_SEARCH_EVERY) {
            return Optional.empty();
        }
        return Optional.of(s.boxes());
    }

    /** Records the faces found in a frame of {@code id}; {@code whole}: the frame was searched whole. */
    synchronized void found(String id, int width, int height, List<FaceBox> boxes, boolean whole) {
        State before = streams.get(id);
        int sinceFull = whole || before == null ? 0 : before.sinceFull() + 1;
        streams.put(id, new State(width, height, List.copyOf(boxes), sinceFull));
    }

    synchronized int size() {
        return streams.size();
    }
}
