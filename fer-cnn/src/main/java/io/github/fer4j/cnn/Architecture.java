package io.github.fer4j.cnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The named network designs for 48x48 gray faces. Each is a plain VGG-style stack: 3x3 convolutions (no bias)
 * each followed by batch norm and ReLU, a 2x2 max pool (ceil mode) after every stage, then dropout and a
 * fully connected head. The network sees a {@link #inputSide} x {@link #inputSide} crop of the face: a random one
 * in training, the centre (or several, see {@link TestTimeAugmentation}) at test time.
 *
 * <p>This is the design only; the engines build it (fer-pytorch for training, fer-onnx for inference).
 * {@link #describe} prints the layers with their output shapes, parameter counts and multiply-adds; the
 * numbers are computed here from the definition, not written by hand.
 */
public enum Architecture {
    /**
     * FerNet-9: nine weight layers (seven 3x3 convolutions, two dense). Stages of 32 | 64, 64 | 128, 128 |
     * 256, 256 channels at 44, 22, 11 and 6 pixels, then 256 x 3 x 3 features, dropout 0.5, dense 256, dropout
     * 0.5, dense classes. About 1.76 M parameters, 86 M multiply-adds per face.
     */
    FERNET9("fernet9", 44, new int[][] {{32}, {64, 64}, {128, 128}, {256, 256}}, 256, 0.5f),
    /** A tiny net for tests and smoke runs: one 8, 16, 32 channel convolution per stage, no hidden dense layer. */
    TINY("tiny", 44, new int[][] {{8}, {16}, {32}}, 0, 0.25f);

    /** The epsilon of every batch norm: DJL's and PyTorch's default, which every engine and the ONNX graphs keep. */
    public static final float BATCH_NORM_EPSILON = 1e-5f;

    private final String id;
    private final int inputSide;
    private final int[][] stages;
    private final int hidden;
    private final float dropout;

    Architecture(String id, int inputSide, int[][] stages, int hidden, float dropout) {
        this.id = id;
        this.inputSide = inputSide;
        this.stages = stages;
        this.hidden = hidden;
        this.dropout = dropout;
    }

    /** The name used on the command line and in model files. */
    public String id() {
        return id;
    }

    /** The side of the square crop the network reads. */
    public int inputSide() {
        return inputSide;
    }

    /** The convolution channels of each stage (a 2x2 max pool follows every stage); a copy. */
    public int[][] stages() {
        int[][] copy = new int[stages.length][];
        for (int s = 0; s < stages.length; s++) {
            copy[s] = stages[s].clone();
        }
        return copy;
    }

    /** Units of the hidden dense layer; 0 when the head is one dense layer. */
    public int hidden() {
        return hidden;
    }

    public static Architecture named(String name) {
        for (Architecture a : values()) {
            if (a.id.equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "' (expected one of "
                + Arrays.stream(values()).map(Architecture::id).toList() + ")");
    }

    /** The dropout rate before each dense layer. */
    public float dropout() {
        return dropout;
    }

    /** One row of {@link #layers}: a layer, its output shape (channels, side), parameters, multiply-adds. */
    public record Layer(String name, int channels, int side, long parameters, long multiplyAdds) { }

    /** The layers with their sizes; batch-norm parameters (scale and shift) are counted, running statistics not. */
    public List<Layer> layers(int classes) {
        List<Layer> out = new ArrayList<>();
        int side = inputSide;
        int in = 1;
        for (int[] stage : stages) {
            for (int channels : stage) {
                long weights = 9L * in * channels;
                out.add(new Layer(String.format(Locale.ROOT, "conv3x3 %d->%d + BN + ReLU", in, channels), channels,
                        side, weights + 2L * channels, weights * side * side));
                in = channels;
            }
            side = (side + 1) / 2;
            out.add(new Layer("maxpool 2x2", in, side, 0, 0));
        }
        int features = in * side * side;
        if (hidden > 0) {
            out.add(new Layer(String.format(Locale.ROOT, "dropout %.2f, dense %d->%d + ReLU", dropout, features, hidden),
                    hidden, 1, (long) features * hidden + hidden, (long) features * hidden));
            features = hidden;
        }
        out.add(new Layer(String.format(Locale.ROOT, "dropout %.2f, dense %d->%d", dropout, features, classes), classes,
                1, (long) features * classes + classes, (long) features * classes));
        return out;
    }

    /**
     * The shape of every array the network learns, in the order DJL stores them ({@link CnnModel#parameterTensors}): per
     * convolution its weight (filters, in, 3, 3), then its batch norm's gamma, beta, running mean and running variance;
     * per dense layer its weight (units, in) and bias.
     */
    public List<long[]> parameterShapes(int classes) {
        List<long[]> out = new ArrayList<>();
        int side = inputSide;
        int in = 1;
        for (int[] stage : stages) {
            for (int channels : stage) {
                out.add(new long[] {channels, in, 3, 3});
                for (int statistic = 0; statistic < 4; statistic++) {
                    out.add(new long[] {channels});
                }
                in = channels;
            }
            side = (side + 1) / 2;
        }
        int features = in * side * side;
        if (hidden > 0) {
            out.add(new long[] {hidden, features});
            out.add(new long[] {hidden});
            features = hidden;
        }
        out.add(new long[] {classes, features});
        out.add(new long[] {classes});
        return out;
    }

    public long parameters(int classes) {
        return layers(classes).stream().mapToLong(Layer::parameters).sum();
    }

    /** Multiply-adds for one face in inference (one FLOP count = two of these). */
    public long multiplyAdds(int classes) {
        return layers(classes).stream().mapToLong(Layer::multiplyAdds).sum();
    }

    /** A table of the layers, for `fer train --model cnn --describe` and the README. */
    public String describe(int classes) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s: input 1x%dx%d%n", id, inputSide, inputSide));
        out.append(String.format(Locale.ROOT, "%-38s %14s %12s %14s%n", "layer", "output", "parameters", "mult-adds"));
        for (Layer l : layers(classes)) {
            out.append(String.format(Locale.ROOT, "%-38s %14s %,12d %,14d%n", l.name(),
                    l.side() > 1 ? l.channels() + "x" + l.side() + "x" + l.side() : String.valueOf(l.channels()),
                    l.parameters(), l.multiplyAdds()));
        }
        out.append(String.format(Locale.ROOT, "%-38s %14s %,12d %,14d%n", "total", "", parameters(classes),
                multiplyAdds(classes)));
        return out.toString();
    }
}
