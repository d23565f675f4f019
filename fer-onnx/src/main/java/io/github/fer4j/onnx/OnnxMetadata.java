package io.github.fer4j.onnx;

/**
 * The keys fer4j writes into an exported graph's {@code metadata_props}, so that the file describes itself: class names,
 * input layout, crop and test-time views. A graph that carries {@link #FORMAT} is read with no sidecar.
 */
public final class OnnxMetadata {
    /** Marks a graph written by fer4j; its value names the layout version. */
    public static final String FORMAT = "fer4j.format";
    public static final String FORMAT_VALUE = "fer4j-onnx-1";
    public static final String KIND = "fer4j.kind";
    public static final String TASK = "fer4j.task";
    /** A JSON array of the class names, in the order of the output's columns. */
    public static final String CLASS_NAMES = "fer4j.classNames";
    public static final String INPUT_LAYOUT = "fer4j.input";
    public static final String INPUT_LAYOUT_VALUE = "float32 [N, 1, 48, 48], NCHW: gray levels 0..255 of 48x48 faces "
            + "(row-major, as fer4j crops them from photos); dynamic batch N";
    public static final String OUTPUT_LAYOUT = "fer4j.output";
    public static final String CROP = "fer4j.crop";
    /** The test-time views averaged inside the graph (none, flip or crops), per member for an ensemble. */
    public static final String TTA = "fer4j.tta";
    public static final String NORMALIZATION = "fer4j.normalization";

    private OnnxMetadata() {
    }
}
