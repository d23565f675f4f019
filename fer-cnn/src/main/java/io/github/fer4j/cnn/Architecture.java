package io.github.fer4j.cnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The named network designs for 48x48 gray faces, as a list of {@link Node}s that every engine walks the same way:
 * fer-pytorch builds it with DJL, fer-onnx writes it as an ONNX graph, {@link DjlParameters} writes its parameters, and
 * the PyTorch trainer in {@code trainer/} builds the same layers in the same order. Two styles:
 * <ul>
 *   <li>plain (VGG-style) stacks: 3x3 convolutions (no bias) each followed by batch norm and ReLU, a 2x2 max pool (ceil
 *   mode) after every stage, then dropout and a fully connected head;</li>
 *   <li>residual (ResNet-style) networks: a 3x3 stem convolution, then basic blocks (two 3x3 convolutions with batch
 *   norm, added to the block's input, then ReLU); the first block of every stage after the first halves the side with
 *   stride 2 and adds a 1x1 convolution with batch norm on its shortcut; then global average pooling, dropout and one
 *   dense layer.</li>
 * </ul>
 * The network sees a {@link #inputSide} x {@link #inputSide} crop of the face: a random one in training, the centre (or
 * several, see {@link TestTimeAugmentation}) at test time.
 *
 * <p>This is the design only; the engines build it. {@link #describe} prints the layers with their output shapes,
 * parameter counts and multiply-adds; the numbers are computed here from the definition, not written by hand.
 */
public enum Architecture {
    /**
     * FerNet-9: nine weight layers (seven 3x3 convolutions, two dense). Stages of 32 | 64, 64 | 128, 128 |
     * 256, 256 channels at 44, 22, 11 and 6 pixels, then 256 x 3 x 3 features, dropout 0.5, dense 256, dropout
     * 0.5, dense classes. About 1.76 M parameters, 86 M multiply-adds per face.
     */
    FERNET9("fernet9", Style.PLAIN, new int[][] {{32}, {64, 64}, {128, 128}, {256, 256}}, 256, 0.5f),
    /**
     * A wider VGG-style net, after the VGG variant that reads FER2013 at 0.7328 (Khaireddin and Chen, 2021) cut to this
     * crop: two 3x3 convolutions per stage, 64 | 128 | 256 | 512 channels at 44, 22, 11 and 6 pixels, then dropout 0.5,
     * dense 512, dropout 0.5, dense classes. Ten weight layers, about 7.0 M parameters, 415 M multiply-adds per face.
     */
    VGG10("vgg10", Style.PLAIN, new int[][] {{64, 64}, {128, 128}, {256, 256}, {512, 512}}, 512, 0.5f),
    /**
     * ResNet-18 adapted to 44x44 crops: a 3x3 stem of 64 channels at full size (no stride, no max pool, since the face
     * is small already), two basic blocks in each of four stages of 64 | 128 | 256 | 512 channels at 44, 22, 11 and 6
     * pixels, global average pooling, dropout 0.2, dense classes. About 11.2 M parameters, 1.1 G multiply-adds per face.
     */
    RESNET18("resnet18", Style.RESIDUAL, new int[][] {{64, 64}, {128, 128}, {256, 256}, {512, 512}}, 0, 0.2f),
    /** A tiny net for tests and smoke runs: one 8, 16, 32 channel convolution per stage, no hidden dense layer. */
    TINY("tiny", Style.PLAIN, new int[][] {{8}, {16}, {32}}, 0, 0.25f),
    /** A tiny residual net for tests and smoke runs: a stem of 8, then blocks of 8 | 16, 16 | 32 channels. */
    TINY_RESIDUAL("tinyres", Style.RESIDUAL, new int[][] {{8}, {16, 16}, {32}}, 0, 0.25f);

    /** The epsilon of every batch norm: DJL's and PyTorch's default, which every engine and the ONNX graphs keep. */
    public static final float BATCH_NORM_EPSILON = 1e-5f;
    /** Every network reads a 44x44 crop of the 48x48 face. */
    private static final int INPUT_SIDE = 44;

    /** How the stages are built. */
    public enum Style {
        /** VGG-style: conv-BN-ReLU layers, a max pool after each stage, an optional hidden dense layer. */
        PLAIN,
        /** ResNet-style: a stem, basic blocks with shortcuts, stride-2 stage entries, global average pooling. */
        RESIDUAL
    }

    /** One step of a network, in the order the engines run it and DJL stores its parameters. */
    public sealed interface Node permits Conv, BatchNorm, Relu, MaxPool, Residual, GlobalAveragePool, Flatten, Dropout, Dense { }

    /** A square convolution without bias, padded to keep the side at stride 1 ({@code kernel / 2} on each side). */
    public record Conv(int in, int out, int kernel, int stride) implements Node {
        public int padding() {
            return kernel / 2;
        }

        /** The output side for an input side {@code side}: floor((side + 2 pad - kernel) / stride) + 1. */
        public int outputSide(int side) {
            return (side + 2 * padding() - kernel) / stride + 1;
        }
    }

    /** Batch norm over {@code channels}: gamma, beta, running mean and running variance. */
    public record BatchNorm(int channels) implements Node { }

    /** max(0, x). */
    public record Relu() implements Node { }

    /** A 2x2 max pool of stride 2 in ceil mode: the side becomes ceil(side / 2). */
    public record MaxPool() implements Node { }

    /** {@code main(x) + shortcut(x)}, where an empty shortcut is x itself. */
    public record Residual(List<Node> main, List<Node> shortcut) implements Node {
        public Residual {
            main = List.copyOf(main);
            shortcut = List.copyOf(shortcut);
        }
    }

    /** The mean over each channel's whole plane. */
    public record GlobalAveragePool() implements Node { }

    /** Channels x side x side into one feature vector. */
    public record Flatten() implements Node { }

    /** Dropout in training; nothing at test time. */
    public record Dropout(float rate) implements Node { }

    /** A fully connected layer: weight (out, in) and bias (out). */
    public record Dense(int in, int out) implements Node { }

    /** One learned array, as the trainer's output names it and DJL's parameter file orders it. */
    public record ParameterSpec(String name, long[] shape) {
        public long size() {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }
    }

    private final String id;
    private final Style style;
    private final int[][] stages;
    private final int hidden;
    private final float dropout;

    Architecture(String id, Style style, int[][] stages, int hidden, float dropout) {
        this.id = id;
        this.style = style;
        this.stages = stages;
        this.hidden = hidden;
        this.dropout = dropout;
    }

    /** The name used on the command line and in model files. */
    public String id() {
        return id;
    }

    public Style style() {
        return style;
    }

    /** The side of the square crop the network reads. */
    public int inputSide() {
        return INPUT_SIDE;
    }

    /**
     * The channels of each stage: of each convolution (plain) or each basic block (residual); a copy. A plain stage ends
     * with a 2x2 max pool; a residual stage after the first starts at stride 2.
     */
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

    /** The dropout rate before each dense layer. */
    public float dropout() {
        return dropout;
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

    /** The network for {@code classes} outputs (logits), step by step. */
    public List<Node> nodes(int classes) {
        List<Node> out = new ArrayList<>();
        int in = 1;
        if (style == Style.PLAIN) {
            for (int[] stage : stages) {
                for (int channels : stage) {
                    out.add(new Conv(in, channels, 3, 1));
                    out.add(new BatchNorm(channels));
                    out.add(new Relu());
                    in = channels;
                }
                out.add(new MaxPool());
            }
        } else {
            int stem = stages[0][0];
            out.add(new Conv(1, stem, 3, 1));
            out.add(new BatchNorm(stem));
            out.add(new Relu());
            in = stem;
            for (int s = 0; s < stages.length; s++) {
                for (int b = 0; b < stages[s].length; b++) {
                    int channels = stages[s][b];
                    int stride = s > 0 && b == 0 ? 2 : 1;
                    List<Node> main = List.of(new Conv(in, channels, 3, stride), new BatchNorm(channels), new Relu(),
                            new Conv(channels, channels, 3, 1), new BatchNorm(channels));
                    List<Node> shortcut = stride == 1 && in == channels ? List.of()
                            : List.of(new Conv(in, channels, 1, stride), new BatchNorm(channels));
                    out.add(new Residual(main, shortcut));
                    out.add(new Relu());
                    in = channels;
                }
            }
            out.add(new GlobalAveragePool());
        }
        out.add(new Flatten());
        int features = in * finalSide() * finalSide();
        if (hidden > 0) {
            out.add(new Dropout(dropout));
            out.add(new Dense(features, hidden));
            out.add(new Relu());
            features = hidden;
        }
        out.add(new Dropout(dropout));
        out.add(new Dense(features, classes));
        return out;
    }

    /** The side of the feature planes that are flattened: after the last pool (plain), or 1 after the global pool. */
    private int finalSide() {
        if (style == Style.RESIDUAL) {
            return 1;
        }
        int side = INPUT_SIDE;
        for (int s = 0; s < stages.length; s++) {
            side = (side + 1) / 2;
        }
        return side;
    }

    /** One row of {@link #layers}: a layer, its output shape (channels, side), parameters, multiply-adds. */
    public record Layer(String name, int channels, int side, long parameters, long multiplyAdds) { }

    /** The layers with their sizes; batch-norm parameters (scale and shift) are counted, running statistics not. */
    public List<Layer> layers(int classes) {
        List<Layer> out = new ArrayList<>();
        describe(nodes(classes), 1, INPUT_SIDE, "", out);
        return out;
    }

    /** Adds the rows of {@code nodes} run on {@code in} channels of {@code side}; returns {channels, side} after them. */
    private static int[] describe(List<Node> nodes, int in, int side, String indent, List<Layer> out) {
        float pendingDropout = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node instanceof Conv c) {
                int outSide = c.outputSide(side);
                long weights = (long) c.kernel() * c.kernel() * c.in() * c.out();
                boolean bn = i + 1 < nodes.size() && nodes.get(i + 1) instanceof BatchNorm;
                boolean relu = bn && i + 2 < nodes.size() && nodes.get(i + 2) instanceof Relu;
                out.add(new Layer(String.format(Locale.ROOT, "%sconv%dx%d %d->%d%s%s%s", indent, c.kernel(), c.kernel(), c.in(),
                        c.out(), c.stride() > 1 ? " /" + c.stride() : "", bn ? " + BN" : "", relu ? " + ReLU" : ""), c.out(),
                        outSide, weights + (bn ? 2L * c.out() : 0), weights * outSide * outSide));
                i += (bn ? 1 : 0) + (relu ? 1 : 0);
                in = c.out();
                side = outSide;
            } else if (node instanceof MaxPool) {
                side = (side + 1) / 2;
                out.add(new Layer(indent + "maxpool 2x2", in, side, 0, 0));
            } else if (node instanceof Residual r) {
                int[] after = describe(r.main(), in, side, indent + "  ", out);
                if (!r.shortcut().isEmpty()) {
                    describe(r.shortcut(), in, side, indent + "  shortcut: ", out);
                }
                boolean relu = i + 1 < nodes.size() && nodes.get(i + 1) instanceof Relu;
                in = after[0];
                side = after[1];
                out.add(new Layer(indent + "add shortcut" + (relu ? " + ReLU" : ""), in, side, 0, 0));
                i += relu ? 1 : 0;
            } else if (node instanceof GlobalAveragePool) {
                side = 1;
                out.add(new Layer(indent + "global average pool", in, 1, 0, 0));
            } else if (node instanceof Flatten) {
                in = in * side * side;
                side = 1;
            } else if (node instanceof Dropout d) {
                pendingDropout = d.rate();
            } else if (node instanceof Dense d) {
                boolean relu = i + 1 < nodes.size() && nodes.get(i + 1) instanceof Relu;
                out.add(new Layer(String.format(Locale.ROOT, "%s%sdense %d->%d%s", indent,
                        pendingDropout > 0 ? String.format(Locale.ROOT, "dropout %.2f, ", pendingDropout) : "", d.in(), d.out(),
                        relu ? " + ReLU" : ""), d.out(), 1, (long) d.in() * d.out() + d.out(), (long) d.in() * d.out()));
                pendingDropout = 0;
                i += relu ? 1 : 0;
                in = d.out();
            }
        }
        return new int[] {in, side};
    }

    /**
     * Every array the network learns, in the order DJL stores them ({@link CnnModel#parameterTensors}) and with the names
     * the trainer's output gives them: per convolution {@code convK.weight} (filters, in, k, k); per batch norm
     * {@code bnK.gamma}, {@code bnK.beta}, {@code bnK.running_mean}, {@code bnK.running_var}; per dense layer
     * {@code denseK.weight} (units, in) and {@code denseK.bias}. K counts each kind from 1 in that order; inside a
     * residual block the main path comes before the shortcut.
     */
    public List<ParameterSpec> parameterSpecs(int classes) {
        List<ParameterSpec> out = new ArrayList<>();
        specs(nodes(classes), new int[3], out);
        return out;
    }

    private static void specs(List<Node> nodes, int[] counters, List<ParameterSpec> out) {
        for (Node node : nodes) {
            if (node instanceof Conv c) {
                out.add(new ParameterSpec("conv" + ++counters[0] + ".weight", new long[] {c.out(), c.in(), c.kernel(), c.kernel()}));
            } else if (node instanceof BatchNorm b) {
                String name = "bn" + ++counters[1] + ".";
                for (String statistic : List.of("gamma", "beta", "running_mean", "running_var")) {
                    out.add(new ParameterSpec(name + statistic, new long[] {b.channels()}));
                }
            } else if (node instanceof Dense d) {
                String name = "dense" + ++counters[2] + ".";
                out.add(new ParameterSpec(name + "weight", new long[] {d.out(), d.in()}));
                out.add(new ParameterSpec(name + "bias", new long[] {d.out()}));
            } else if (node instanceof Residual r) {
                specs(r.main(), counters, out);
                specs(r.shortcut(), counters, out);
            }
        }
    }

    /**
     * The shape of every array the network learns, in the order DJL stores them ({@link CnnModel#parameterTensors}): per
     * convolution its weight (filters, in, k, k), then its batch norm's gamma, beta, running mean and running variance;
     * per dense layer its weight (units, in) and bias.
     */
    public List<long[]> parameterShapes(int classes) {
        return parameterSpecs(classes).stream().map(ParameterSpec::shape).toList();
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
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s: input 1x%dx%d%n", id, INPUT_SIDE, INPUT_SIDE));
        out.append(String.format(Locale.ROOT, "%-44s %14s %12s %14s%n", "layer", "output", "parameters", "mult-adds"));
        for (Layer l : layers(classes)) {
            out.append(String.format(Locale.ROOT, "%-44s %14s %,12d %,14d%n", l.name(),
                    l.side() > 1 ? l.channels() + "x" + l.side() + "x" + l.side() : String.valueOf(l.channels()),
                    l.parameters(), l.multiplyAdds()));
        }
        out.append(String.format(Locale.ROOT, "%-44s %14s %,12d %,14d%n", "total", "", parameters(classes),
                multiplyAdds(classes)));
        return out.toString();
    }
}
