package io.github.fer4j.vision;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Photo in, emotions out: decode, detect faces, crop each like FER2013, classify. Works offline with the model
 * that ships inside the jar. A photo without a face gives an empty list, never an exception; a file that is
 * not an image gives an {@link InvalidInputException} naming it. Safe to share between threads.
 */
public final class EmotionRecognizer {
    /** The whole-frame face is cut exactly at its square, with no margin added. */
    private static final FaceCropper WHOLE_FRAME = new FaceCropper(1, 0, 0);

    /** Whether faces are aligned by their eyes unless told otherwise ({@link Options#align}), as picocli's defaults want it. */
    public static final String DEFAULT_ALIGN = "true";

    /** Where the default model lives on the class path. */
    public static final String DEFAULT_MODEL = "/io/github/fer4j/models/default.fer";

    /**
     * How photos are read and faces found. {@code allowTruncated}: decode what a truncated file holds (the rest of
     * the image stays blank) instead of refusing it. {@code wholeFrame}: a photo in which the detector finds no face,
     * and which is about as wide as it is tall (0.8 to 1.25, as face crops are), is read as one face that fills the
     * frame; web photos cut to the face defeat the cascades, which look for a face inside a larger picture.
     * {@code align}: cut each face with its eyes level and its size taken from their distance
     * ({@link FaceDetector.Kind#aligner()}); BlazeFace gives the eyes with the face, for the cascades {@link EyeFinder}
     * looks for them; a face whose eyes are not found, or do not fit its box, is cut from the box as without it.
     * {@code priorCorrection} (0 to 1, default {@value #PRIOR_CORRECTION}): photos are not FER2013, whose training faces
     * are a quarter Happy and 1.5 % Disgust; each probability is divided by its class's share of the model's training
     * faces to this power and the row renormalised, so that 1 reads a face as if every emotion were equally likely
     * beforehand and 0 keeps the training data's balance. Models whose file records no class shares are read as they
     * are.
     */
    public record Options(FaceDetector.Kind detector, int minFaceSize, long maxPixels, boolean allowTruncated,
                          boolean wholeFrame, boolean align, double priorCorrection) {
        /**
         * The default power of the prior correction. On the development photos (865 faces found), 0 / 0.25 / 0.5 /
         * 0.75 / 1 read 0.664 / 0.672 / 0.676 / 0.672 / 0.654 of the faces right (ACA 0.644 / 0.657 / 0.665 / 0.668 /
         * 0.658); the lab photos gained most at 0.5 (CK+ 0.700 to 0.767, the posed portraits 0.833 to 0.880).
         */
        public static final double PRIOR_CORRECTION = 0.5;

        public Options {
            if (!(priorCorrection >= 0 && priorCorrection <= 1)) {
                throw new IllegalArgumentException("the prior correction is a power from 0 to 1, not " + priorCorrection);
            }
        }

        /** With the default prior correction. */
        public Options(FaceDetector.Kind detector, int minFaceSize, long maxPixels, boolean allowTruncated,
                       boolean wholeFrame, boolean align) {
            this(detector, minFaceSize, maxPixels, allowTruncated, wholeFrame, align, PRIOR_CORRECTION);
        }

        public Options(FaceDetector.Kind detector, int minFaceSize, long maxPixels) {
            this(detector, minFaceSize, maxPixels, false, false, false);
        }

        /** Without alignment. */
        public Options(FaceDetector.Kind detector, int minFaceSize, long maxPixels, boolean allowTruncated, boolean wholeFrame) {
            this(detector, minFaceSize, maxPixels, allowTruncated, wholeFrame, false);
        }

        /**
         * The default detector ({@link FaceDetector#DEFAULT_KIND}), faces from 48 px, 40 megapixels at most, truncated
         * files refused, square photos read whole, alignment as {@link #DEFAULT_ALIGN}.
         */
        public static Options defaults() {
            return new Options(FaceDetector.Kind.parse(FaceDetector.DEFAULT_KIND), 48, ImageDecoder.DEFAULT_MAX_PIXELS, false, true,
                    Boolean.parseBoolean(DEFAULT_ALIGN));
        }
    }

    private final Classifier model;
    private final FaceDetector detector;
    private final ImageDecoder decoder;
    private final String modelName;
    private final boolean wholeFrame;
    private final boolean align;
    /** Null when faces are cut from the box alone or the detector gives the eyes. */
    private final EyeFinder eyeFinder;
    /** What each class's probability is multiplied by before renormalising; null when nothing is corrected. */
    private final double[] priorFactors;
    private final double priorCorrection;

    private EmotionRecognizer(Classifier model, String modelName, Options options) {
        this.model = model;
        this.modelName = modelName;
        this.wholeFrame = options.wholeFrame();
        this.align = options.align();
        this.eyeFinder = options.align() && !options.detector().givesEyes() ? new EyeFinder() : null;
        this.detector = new FaceDetector(options.detector(), options.minFaceSize());
        this.decoder = new ImageDecoder(options.maxPixels(), options.allowTruncated());
        this.priorFactors = priorFactors(model, options.priorCorrection());
        this.priorCorrection = priorFactors == null ? 0 : options.priorCorrection();
    }

    /**
     * share_c^-power for each class of {@code model}, from the class shares its file records; null when the power is 0
     * or a class has no recorded share above zero.
     */
    static double[] priorFactors(Classifier model, double power) {
        ModelInfo.DataProvenance data = model.info().data();
        if (power == 0 || data == null) {
            return null;
        }
        double[] factors = new double[model.classNames().size()];
        for (int c = 0; c < factors.length; c++) {
            Double share = data.classShares().get(model.classNames().get(c));
            if (share == null || share <= 0) {
                return null;
            }
            factors[c] = Math.pow(share, -power);
        }
        return factors;
    }

    /**
     * The power of the correction for the training data's class shares that this recognizer applies (see
     * {@link Options}): 0 when it applies none, as for a model whose file records no class shares.
     */
    public double priorCorrection() {
        return priorCorrection;
    }

    /** The default model (inside the jar) and the default options ({@link Options#defaults()}). */
    public static EmotionRecognizer create() {
        return create(defaultModel(), "default", Options.defaults());
    }

    public static EmotionRecognizer create(Classifier model, String modelName, Options options) {
        return new EmotionRecognizer(model, modelName, options);
    }

    /** The model shipped inside the jar. */
    public static Classifier defaultModel() {
        try (InputStream in = EmotionRecognizer.class.getResourceAsStream(DEFAULT_MODEL)) {
            if (in == null) {
                throw new IllegalStateException("the default model " + DEFAULT_MODEL + " is missing from the jar");
            }
            return ModelFile.load(in, "default model");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Classifier model() {
        return model;
    }

    public String modelName() {
        return modelName;
    }

    /** What runs the model ({@link Classifier#engine()}): onnxruntime, onnxruntime-int8, pytorch, or java. */
    public String engine() {
        return model.engine();
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    /** Faces in a photo file, largest first. A JPEG is decoded to its luma channel alone ({@link ImageDecoder#decodeLuma}). */
    public List<RecognizedFace> recognize(Path photo) {
        return recognize(decoder.decodeLuma(photo));
    }

    /** Faces in encoded image bytes (for servers); {@code name} appears in errors. */
    public List<RecognizedFace> recognize(byte[] encoded, String name) {
        return recognize(decoder.decodeLuma(encoded, name));
    }

    /** Faces in an image, largest first. */
    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    public List<RecognizedFace> recognize(BufferedImage image) {
        // Native matrices are freed when the scope closes, not when the garbage collector gets round to them:
        // a server's memory then stays flat however many photos it sees.
        try (PointerScope scope = new PointerScope()) {
            return recognize(image, Images.gray(image));
        }
    }

    /**
     * Faces in a frame of a video or a webcam, searched first near where faces are expected (for instance where they
     * were in the previous frame): around each expected box ({@link FaceDetector#detectNear}), the face nearest to it.
     * Only when a box has no face near it (one has moved far, left, or two expected faces met), or none is expected,
     * is the whole frame searched, as {@link #recognize(BufferedImage)} does. Largest first.
     */
    @SuppressWarnings("try") // the scope frees what is allocated inside it; the body need not name it
    public List<RecognizedFace> recognizeNear(BufferedImage image, Collection<FaceBox> expected) {
        try (PointerScope scope = new PointerScope()) {
            Mat gray = Images.gray(image);
            List<RecognizedFace> found = new ArrayList<>();
            for (FaceBox near : expected) {
                DetectedFace best = null;
                for (DetectedFace face : detector.detectFacesNear(gray, near, FaceDetector.Neighbourhood.DEFAULT)) {
                    if (best == null || face.box().iou(near) > best.box().iou(near)) {
                        best = face;
                    }
                }
                DetectedFace chosen = best;
                if (chosen == null || found.stream().anyMatch(f -> f.box().iou(chosen.box()) > 0.5)) {
                    break;
                }
                found.add(classify(chosen, crop(gray, chosen)));
            }
            if (expected.isEmpty() || found.size() < expected.size()) {
                return recognize(image, gray);   // the gray frame is reused
            }
            found.sort(Comparator.comparing(RecognizedFace::box, FaceBox.LARGEST_FIRST));
            return found;
        }
    }

    private List<RecognizedFace> recognize(BufferedImage image, Mat gray) {
        List<RecognizedFace> faces = new ArrayList<>();
        for (DetectedFace face : detector.detectFaces(gray)) {
            faces.add(classify(face, crop(gray, face)));
        }
        double aspect = (double) image.getWidth() / image.getHeight();
        if (faces.isEmpty() && wholeFrame && aspect >= 0.8 && aspect <= 1.25) {
            // The photo is the face: the largest centred square, cut as it is.
            int side = Math.min(image.getWidth(), image.getHeight());
            FaceBox box = new FaceBox((image.getWidth() - side) / 2, (image.getHeight() - side) / 2, side, side);
            faces.add(classify(box, crop(gray, DetectedFace.boxOnly(box), WHOLE_FRAME), RecognizedFace.WHOLE_FRAME, Double.NaN));
        }
        return faces;
    }

    /**
     * The 48x48 crop of a face box in a gray photo, cut from the box like FER2013 ({@link FaceDetector.Kind#cropper()});
     * with alignment on, the eyes are searched with the eye cascades.
     */
    public byte[] crop(Mat gray, FaceBox box) {
        return crop(gray, DetectedFace.boxOnly(box));
    }

    /**
     * The 48x48 crop of a face the detector found in a gray photo: with the eyes level when alignment is on and both
     * eyes are known (BlazeFace's keypoints, or the eye cascades for the cascades' faces) and agree with the box,
     * otherwise cut from the box like FER2013 ({@link FaceDetector.Kind#cropper()}).
     */
    public byte[] crop(Mat gray, DetectedFace face) {
        return crop(gray, face, detector.kind().cropper());
    }

    private byte[] crop(Mat gray, DetectedFace face, FaceCropper cropper) {
        if (align) {
            // Eyes are searched in the FER-like square, which frames the face alike whichever detector found it.
            FaceBox region = cropper.region(face.box());
            Optional<EyePair> eyes = face.eyes();
            if (eyes.isEmpty() && eyeFinder != null) {
                eyes = eyeFinder.find(gray, region);
            }
            FaceAligner aligner = detector.kind().aligner();
            if (eyes.isPresent() && aligner.agreesWith(eyes.get(), region)) {
                return aligner.crop(gray, eyes.get());
            }
        }
        return cropper.crop(gray, face.box());
    }

    /** Classifies one 48x48 crop of a face this recognizer's detector found. */
    public RecognizedFace classify(FaceBox box, byte[] crop) {
        return classify(box, crop, detector.kind().label(), Double.NaN);
    }

    /** Classifies one 48x48 crop of a face the detector found, naming the detector and keeping its confidence. */
    public RecognizedFace classify(DetectedFace face, byte[] crop) {
        return classify(face.box(), crop, detector.kind().label(), face.confidence());
    }

    private RecognizedFace classify(FaceBox box, byte[] crop, String foundBy, double confidence) {
        float[] p = corrected(model.probabilities(crop));
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
            probabilities.put(model.classNames().get(c), (double) p[c]);
        }
        return new RecognizedFace(box, probabilities, model.classNames().get(Classifier.mostProbable(p)), crop, foundBy, confidence);
    }

    /** The model's probabilities with the prior correction applied (a copy), or as they are when none is. */
    private float[] corrected(float[] probabilities) {
        if (priorFactors == null) {
            return probabilities;
        }
        float[] p = probabilities.clone();
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            sum += p[c] * priorFactors[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] = (float) (p[c] * priorFactors[c] / sum);
        }
        return p;
    }

    /**
     * Why a face was read as it was ({@link OcclusionMap}): its crop classified 49 more times, each time with one patch
     * hidden, in one batch, with the same model and correction as the answer.
     */
    public OcclusionMap explain(RecognizedFace face) {
        int target = model.classNames().indexOf(face.dominant());
        return OcclusionMap.of(face.crop(), target, face.dominant(), face.probability(face.dominant()), crops -> {
            byte[] pixels = new byte[crops.length * FaceSet.PIXELS];
            int[] indices = new int[crops.length];
            for (int i = 0; i < crops.length; i++) {
                System.arraycopy(crops[i], 0, pixels, i * FaceSet.PIXELS, FaceSet.PIXELS);
                indices[i] = i;
            }
            FaceSet set = new FaceSet(pixels, new byte[crops.length], new byte[crops.length],
                    "occluded crops", "");
            float[][] p = model.probabilities(set, indices);
            for (int i = 0; i < p.length; i++) {
                p[i] = corrected(p[i]);
            }
            return p;
        });
    }

    /** Just the detector, for benchmarks and tools that time the stages apart. */
    public FaceDetector detector() {
        return detector;
    }
}
