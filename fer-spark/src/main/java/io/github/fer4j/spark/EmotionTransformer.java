package io.github.fer4j.spark;

import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceDetector;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that reads the emotions of the faces in a column of encoded photos (as Spark's
 * {@code binaryFile} source gives them: {@code path}, {@code content}) or of FER2013 {@code pixels} strings, and adds
 * a {@code faces} column (box, the probability of each class, the dominant class) and an {@code error} column (null,
 * or why the row could not be read). The model's bytes travel as a broadcast and each executor JVM loads it once;
 * rows are scored a partition at a time. A bad row is a row with an error, never a failed task.
 */
public final class EmotionTransformer extends Transformer {
    private static final long serialVersionUID = 1L;

    /** {@link #inputFormat()}: encoded image bytes (JPEG, PNG, BMP, GIF, WebP). */
    public static final String IMAGES = "images";
    /** {@link #inputFormat()}: FER2013 pixels strings, each a 48x48 face already cropped. */
    public static final String FER2013 = "fer2013";

    private final String uid;
    private final ScoringModel model;

    private final Param<String> inputFormat;
    private final Param<String> inputCol;
    private final Param<String> pathCol;
    private final Param<String> facesCol;
    private final Param<String> errorCol;
    private final Param<String> detector;
    private final IntParam minFaceSize;
    private final LongParam maxPixels;
    private final BooleanParam wholeFrame;
    private final BooleanParam align;
    private final DoubleParam priorCorrection;

    /** Reads photos with {@code model}; the options default to those of {@code fer predict}. */
    public EmotionTransformer(ScoringModel model) {
        this(Identifiable$.MODULE$.randomUID("emotions"), model);
    }

    private EmotionTransformer(String uid, ScoringModel model) {
        this.uid = uid;
        this.model = model;
        inputFormat = new Param<>(this, "inputFormat", "what the input column holds: images (encoded bytes) or fer2013 (pixels strings)",
                ParamValidators.inArray(new String[] {IMAGES, FER2013}));
        inputCol = new Param<>(this, "inputCol", "the column of encoded images (binary) or FER2013 pixels (string)");
        pathCol = new Param<>(this, "pathCol", "a column naming each row in error messages, used when present");
        facesCol = new Param<>(this, "facesCol", "the output column of faces");
        errorCol = new Param<>(this, "errorCol", "the output column of errors");
        detector = new Param<>(this, "detector", "face detector: " + FaceDetector.Kind.choices(), ParamValidators.inArray(
                java.util.Arrays.stream(FaceDetector.Kind.values()).map(FaceDetector.Kind::label).toArray(String[]::new)));
        minFaceSize = new IntParam(this, "minFaceSize", "smallest face side to report, in pixels", ParamValidators.gtEq(1));
        maxPixels = new LongParam(this, "maxPixels", "refuse images larger than this many pixels (read from the header)",
                ParamValidators.gtEq(1));
        wholeFrame = new BooleanParam(this, "wholeFrame",
                "read an about-square photo where no face is found as one face filling the frame");
        align = new BooleanParam(this, "align", "cut each face with its eyes level, sized from the distance between them, "
                + "as fer predict --align does");
        priorCorrection = new DoubleParam(this, "priorCorrection", "how much of the model's training class balance to undo for "
                + "photos, a power from 0 (none) to 1 (every emotion equally likely beforehand)", ParamValidators.inRange(0, 1));
        EmotionRecognizer.Options predict = EmotionRecognizer.Options.defaults();
        setDefault(inputFormat, IMAGES);
        setDefault(inputCol, "content");
        setDefault(pathCol, "path");
        setDefault(facesCol, "faces");
        setDefault(errorCol, "error");
        setDefault(detector, predict.detector().label());
        setDefault(minFaceSize, predict.minFaceSize());
        setDefault(maxPixels, predict.maxPixels());
        setDefault(wholeFrame, predict.wholeFrame());
        setDefault(align, predict.align());
        setDefault(priorCorrection, predict.priorCorrection());
    }

    @Override
    public String uid() {
        return uid;
    }

    public ScoringModel model() {
        return model;
    }

    public Param<String> inputFormat() {
        return inputFormat;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> pathCol() {
        return pathCol;
    }

    public Param<String> facesCol() {
        return facesCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public Param<String> detector() {
        return detector;
    }

    public IntParam minFaceSize() {
        return minFaceSize;
    }

    public LongParam maxPixels() {
        return maxPixels;
    }

    public BooleanParam wholeFrame() {
        return wholeFrame;
    }

    public BooleanParam align() {
        return align;
    }

    public DoubleParam priorCorrection() {
        return priorCorrection;
    }

    public EmotionTransformer setInputFormat(String value) {
        set(inputFormat, value);
        return this;
    }

    public EmotionTransformer setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    public EmotionTransformer setPathCol(String value) {
        set(pathCol, value);
        return this;
    }

    public EmotionTransformer setFacesCol(String value) {
        set(facesCol, value);
        return this;
    }

    public EmotionTransformer setErrorCol(String value) {
        set(errorCol, value);
        return this;
    }

    public EmotionTransformer setDetector(String value) {
        set(detector, value);
        return this;
    }

    public EmotionTransformer setMinFaceSize(int value) {
        set(minFaceSize, value);
        return this;
    }

    public EmotionTransformer setMaxPixels(long value) {
        set(maxPixels, value);
        return this;
    }

    public EmotionTransformer setWholeFrame(boolean value) {
        set(wholeFrame, value);
        return this;
    }

    public EmotionTransformer setAlign(boolean value) {
        set(align, value);
        return this;
    }

    public EmotionTransformer setPriorCorrection(double value) {
        set(priorCorrection, value);
        return this;
    }

    /** The recognizer options these params give ({@code fer predict}'s when none is set). */
    EmotionRecognizer.Options options() {
        return new EmotionRecognizer.Options(FaceDetector.Kind.parse(getOrDefault(detector)), (Integer) getOrDefault(minFaceSize),
                (Long) getOrDefault(maxPixels), false, (Boolean) getOrDefault(wholeFrame), (Boolean) getOrDefault(align),
                (Double) getOrDefault(priorCorrection));
    }

    /**
     * One face: {@code box {x, y, width, height}}, {@code probabilities {<class>: double, ...}}, {@code dominant}, {@code
     * detector} (what found the face: blazeface, haar, lbp, or whole-frame for a photo read as one face and for FER2013
     * rows) and {@code confidence} (the detector's, null where it gives none).
     */
    public static StructType faceType(java.util.List<String> classNames) {
        StructType box = new StructType()
                .add("x", DataTypes.IntegerType, false)
                .add("y", DataTypes.IntegerType, false)
                .add("width", DataTypes.IntegerType, false)
                .add("height", DataTypes.IntegerType, false);
        StructType probabilities = new StructType();
        for (String name : classNames) {
            probabilities = probabilities.add(name, DataTypes.DoubleType, false);
        }
        return new StructType()
                .add("box", box, false)
                .add("probabilities", probabilities, false)
                .add("dominant", DataTypes.StringType, false)
                .add("detector", DataTypes.StringType, false)
                .add("confidence", DataTypes.DoubleType, true);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String input = getOrDefault(inputCol);
        DataType expected = IMAGES.equals(getOrDefault(inputFormat)) ? DataTypes.BinaryType : DataTypes.StringType;
        StructField field = java.util.Arrays.stream(schema.fields()).filter(f -> f.name().equals(input)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no input column '" + input + "' (the columns are "
                        + String.join(", ", schema.fieldNames()) + ")"));
        if (!field.dataType().equals(expected)) {
            throw new IllegalArgumentException("input column '" + input + "' is " + field.dataType().simpleString() + "; "
                    + getOrDefault(inputFormat) + " input needs " + expected.simpleString());
        }
        for (String output : new String[] {getOrDefault(facesCol), getOrDefault(errorCol)}) {
            if (java.util.Arrays.asList(schema.fieldNames()).contains(output)) {
                throw new IllegalArgumentException("output column '" + output + "' is already in the input");
            }
        }
        return schema
                .add(getOrDefault(facesCol), new ArrayType(faceType(model.classNames()), false), true)
                .add(getOrDefault(errorCol), DataTypes.StringType, true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        Dataset<Row> rows = dataset.toDF();
        // The model goes to each executor once, as a broadcast, instead of inside every task's closure; the cluster
        // then needs no shared file system to find it.
        Broadcast<byte[]> modelBytes = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext()).broadcast(model.bytes());
        String path = getOrDefault(pathCol);
        int pathIndex = java.util.Arrays.asList(in.fieldNames()).contains(path) ? in.fieldIndex(path) : -1;
        PartitionScorer scorer = new PartitionScorer(modelBytes, model.sha256(), model.name(), options(),
                FER2013.equals(getOrDefault(inputFormat)), in.fieldIndex(getOrDefault(inputCol)), pathIndex, path, in.size());
        return rows.mapPartitions(scorer, Encoders.row(out));
    }

    @Override
    public EmotionTransformer copy(ParamMap extra) {
        return copyValues(new EmotionTransformer(uid, model), extra);
    }
}
