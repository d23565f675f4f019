package io.github.fer4j.cli;

import io.github.fer4j.model.Classifier;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceDetector;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Option;

/** How photos are read: model, detector, smallest face, pixel limit, alignment. Shared by predict, evaluate-photos, serve and video. */
final class RecognizerOptions {
    @Option(names = "--model", paramLabel = "NAME|FILE", description = "A built-in model by name, fast (the default) or accurate (see "
            + "fer models), a model written by fer train or fer import-torch, or an ONNX graph (.onnx: fer4j's export, or a "
            + "foreign one described by MODEL.onnx.json or the --onnx-* options). Default: fast.")
    Path model;

    @picocli.CommandLine.ArgGroup(exclusive = false, heading = "Foreign ONNX models (instead of a sidecar MODEL.onnx.json):%n")
    OnnxLayoutOptions onnxLayout = new OnnxLayoutOptions();

    @Option(names = "--detector", defaultValue = FaceDetector.DEFAULT_KIND, paramLabel = "blazeface|haar|lbp",
            description = "Face detector: blazeface (MediaPipe's BlazeFace network: fastest, finds the most faces, and gives "
                    + "each face's eyes for --align) or haar or lbp (OpenCV's cascades). Default: ${DEFAULT-VALUE}.")
    String detector;

    @Option(names = "--min-face", paramLabel = "PX",
            description = "Smallest face side to report. Default: 48 for photos, 80 for fer serve (webcam frames; 3x faster).")
    Integer minFace;

    @Option(names = "--max-pixels", defaultValue = "40000000", paramLabel = "N",
            description = "Refuse photos larger than this many pixels (checked from the header). Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = "--allow-truncated",
            description = "Decode what a truncated photo holds (the rest stays blank), or analyse what a truncated video holds, and warn, "
                    + "instead of refusing the file (exit 2).")
    boolean allowTruncated;

    @Option(names = "--whole-frame", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "A photo where no face is found and that is about square (0.8 to 1.25: a face crop) is read as one "
                    + "face filling the frame, instead of 'no face found'. On by default (--no-whole-frame turns it off).")
    boolean wholeFrame;

    @Option(names = "--align", negatable = true, defaultValue = EmotionRecognizer.DEFAULT_ALIGN, fallbackValue = "true",
            description = "Cut each face with its eyes level, sized from the distance between them, like FER2013's faces. "
                    + "BlazeFace gives the eyes with the face; with haar or lbp OpenCV's eye cascades look for them (about "
                    + "19 ms a face). A face whose eyes are not found, or do not fit its box, is cut from the box as without "
                    + "it. Default: ${DEFAULT-VALUE} (--align / --no-align).")
    boolean align;

    @Option(names = "--prior-correction", defaultValue = "0.5", paramLabel = "P",
            description = "Undo this much of the model's training class balance (FER2013's faces are a quarter Happy, 1.5%% "
                    + "Disgust): each probability is divided by its class's share of the training faces to the power P, "
                    + "0 to 1; 0 keeps the model's own probabilities, 1 reads faces as if every emotion were equally likely. "
                    + "Models that record no class shares are read as they are. Default: ${DEFAULT-VALUE}.")
    double priorCorrection;

    @picocli.CommandLine.Mixin
    TtaOption ttaOption = new TtaOption();

    /** Smallest face for photos. */
    static final int PHOTO_MIN_FACE = 48;

    EmotionRecognizer recognizer() {
        return recognizer(PHOTO_MIN_FACE);
    }

    int minFace(int fallback) {
        return minFace != null ? minFace : fallback;
    }

    /**
     * Loads the model on a second thread while this one loads OpenCV and parses the detector's cascade: the two are
     * independent native libraries, and side by side they take about the longer one's time, which is most of a
     * one-photo {@code fer predict}'s start. BlazeFace's network is loaded after the model (see below), OpenCV beside it.
     */
    private Classifier loadBesideOpenCv(FaceDetector.Kind kind, int smallest) {
        FutureTask<Classifier> loading = new FutureTask<>(() -> ttaOption.apply(model == null ? EmotionRecognizer.defaultModel()
                : onnxLayout.load(model)));
        Thread loader = new Thread(loading, "fer4j-model-loader");
        loader.setDaemon(true);
        loader.start();
        FaceDetector detector = new FaceDetector(kind, smallest);
        if (kind != FaceDetector.Kind.BLAZEFACE) {
            detector.prepare();
        } else {
            // BlazeFace needs OpenCV too (to scale and letterbox the photo): loaded here, beside the model.
            FaceDetector.loadNatives();
        }
        try {
            Classifier classifier = loading.get();
            // BlazeFace runs on ONNX Runtime too: loaded after the model, it finds the natives the model's engine unpacked
            // into fer4j's cache instead of unpacking them again into a temporary folder.
            if (kind == FaceDetector.Kind.BLAZEFACE) {
                detector.prepare();
            }
            return classifier;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("loading the model failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the model loaded", e);
        }
    }

    EmotionRecognizer recognizer(int defaultMinFace) {
        FaceDetector.Kind kind;
        try {
            kind = FaceDetector.Kind.parse(detector);
        } catch (IllegalArgumentException e) {
            throw new io.github.fer4j.data.InvalidInputException("--detector must be " + FaceDetector.Kind.choices() + ", not '"
                    + detector + "'");
        }
        int smallest = minFace(defaultMinFace);
        if (smallest < 1 || maxPixels < 1) {
            throw new io.github.fer4j.data.InvalidInputException("--min-face and --max-pixels must be positive");
        }
        if (!(priorCorrection >= 0 && priorCorrection <= 1)) {
            throw new io.github.fer4j.data.InvalidInputException("--prior-correction must be from 0 to 1, not " + priorCorrection);
        }
        Classifier classifier = loadBesideOpenCv(kind, smallest);
        return EmotionRecognizer.create(classifier, model == null ? "default" : model.getFileName().toString(),
                new EmotionRecognizer.Options(kind, smallest, maxPixels, allowTruncated, wholeFrame, align, priorCorrection));
    }
}
