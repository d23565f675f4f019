package io.github.fer4j.onnx;

import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ONNX form of a fer4j CNN: normalise {@code (gray / 255 - mean) / std}, cut the test-time views (the centre crop,
 * its mirror, or ten crops) with Slice, run the architecture's nodes (convolutions without bias, batch norm with the
 * running statistics, ReLU, 2x2 max pools in ceil mode, residual additions, global average pooling, the dense head),
 * softmax, and average over the views.
 */
final class CnnGraph {
    private CnnGraph() {
    }

    /** One view: the top-left corner of the crop in the 48x48 face, and whether it is mirrored left to right. */
    private record View(int x0, int y0, boolean mirror) { }

    /** The views of {@code tta}, placed as fer4j's crops place them (a whole-pixel shift of the centre crop). */
    private static List<View> views(TestTimeAugmentation tta, int side) {
        double centre = (FaceSet.SIDE - 1) / 2.0;
        double outCentre = (side - 1) / 2.0;
        int margin = (FaceSet.SIDE - side) / 2;
        List<int[]> shifts = switch (tta) {
            case NONE, FLIP -> List.of(new int[] {0, 0});
            case CROPS -> List.of(new int[] {0, 0}, new int[] {-margin, -margin}, new int[] {margin, -margin},
                    new int[] {-margin, margin}, new int[] {margin, margin});
        };
        List<View> views = new ArrayList<>();
        for (int[] shift : shifts) {
            int x0 = (int) Math.round(centre - outCentre + shift[0]);
            int y0 = (int) Math.round(centre - outCentre + shift[1]);
            if (x0 < 0 || y0 < 0 || x0 + side > FaceSet.SIDE || y0 + side > FaceSet.SIDE) {
                throw new OnnxExporter.NotExpressible("a " + side + "-pixel crop shifted by " + Arrays.toString(shift)
                        + " leaves the face, where fer4j repeats border pixels; ONNX's Slice cannot");
            }
            views.add(new View(x0, y0, false));
            if (tta != TestTimeAugmentation.NONE) {
                views.add(new View(x0, y0, true));
            }
        }
        return views;
    }

    static String probabilities(OnnxGraph g, String pixels, CnnModel cnn) {
        Architecture architecture = cnn.architecture();
        String x = normalizedViews(g, pixels, cnn);
        Iterator<CnnModel.Tensor> parameters = cnn.parameterTensors().iterator();
        String logits = write(g, x, architecture.nodes(cnn.task().classCount()), parameters);
        if (parameters.hasNext()) {
            throw new OnnxExporter.NotExpressible("the network has parameters beyond architecture "
                    + architecture.id() + " (" + parameters.next().name() + ")");
        }
        return averageOverViews(g, g.node("Softmax", Map.of("axis", 1L), logits), cnn);
    }

    /** Writes {@code nodes} on {@code x}, taking their parameters in order; returns the value after them. */
    private static String write(OnnxGraph g, String x, List<Architecture.Node> nodes, Iterator<CnnModel.Tensor> parameters) {
        for (Architecture.Node node : nodes) {
            if (node instanceof Architecture.Conv c) {
                CnnModel.Tensor w = next(parameters, "weight", c.out());
                x = g.node("Conv", convolution(c), x, constant(g, "conv_weight", w));
            } else if (node instanceof Architecture.BatchNorm b) {
                String gamma = constant(g, "bn_gamma", next(parameters, "gamma", b.channels()));
                String beta = constant(g, "bn_beta", next(parameters, "beta", b.channels()));
                String mean = constant(g, "bn_mean", next(parameters, "runningmean", b.channels()));
                String var = constant(g, "bn_var", next(parameters, "runningvar", b.channels()));
                x = g.node("BatchNormalization", Map.of("epsilon", Architecture.BATCH_NORM_EPSILON), x, gamma, beta, mean, var);
            } else if (node instanceof Architecture.Relu) {
                x = g.node("Relu", x);
            } else if (node instanceof Architecture.MaxPool) {
                x = g.node("MaxPool", FoldedCnn.POOL, x);
            } else if (node instanceof Architecture.Residual r) {
                String main = write(g, x, r.main(), parameters);
                String shortcut = r.shortcut().isEmpty() ? x : write(g, x, r.shortcut(), parameters);
                x = g.node("Add", main, shortcut);
            } else if (node instanceof Architecture.GlobalAveragePool) {
                x = g.node("GlobalAveragePool", x);
            } else if (node instanceof Architecture.Flatten) {
                x = g.node("Flatten", Map.of("axis", 1L), x);
            } else if (node instanceof Architecture.Dense d) {
                x = dense(g, x, parameters, d.out());
            }
            // Dropout: nothing at test time.
        }
        return x;
    }

    /** The attributes of a convolution: its kernel, its padding, and its stride when that is not 1. */
    static Map<String, Object> convolution(Architecture.Conv c) {
        long p = c.padding();
        Map<String, Object> attributes = new java.util.HashMap<>(Map.of("kernel_shape", new long[] {c.kernel(), c.kernel()},
                "pads", new long[] {p, p, p, p}));
        if (c.stride() != 1) {
            attributes.put("strides", new long[] {c.stride(), c.stride()});
        }
        return attributes;
    }

    /**
     * The network's input: {@code pixels} normalised and cut into the test-time views, view-major (every face's first
     * view, then every face's second, ...), as float32 {@code [views * N, 1, side, side]}.
     */
    static String normalizedViews(OnnxGraph g, String pixels, CnnModel cnn) {
        int side = cnn.architecture().inputSide();
        // The same float steps as fer4j's crops: gray * (1f / 255f), minus mean, divided by std.
        String scaled = g.node("Mul", pixels, g.scalar("inv255", 1f / 255f));
        String normalized = g.node("Div", g.node("Sub", scaled, g.scalar("mean", cnn.mean())), g.scalar("std", cnn.std()));
        List<View> views = views(cnn.testTimeAugmentation(), side);
        String[] crops = new String[views.size()];
        for (int v = 0; v < views.size(); v++) {
            View view = views.get(v);
            String crop = g.node("Slice", normalized, g.longs("starts", view.y0(), view.x0()),
                    g.longs("ends", view.y0() + side, view.x0() + side), g.longs("axes", 2, 3));
            if (view.mirror()) {
                // Columns from the last to the first: a step of -1 to the start of the axis.
                crop = g.node("Slice", crop, g.longs("starts", side - 1), g.longs("ends", Long.MIN_VALUE),
                        g.longs("axes", 3), g.longs("steps", -1));
            }
            crops[v] = crop;
        }
        return crops.length == 1 ? crops[0] : g.node("Concat", Map.of("axis", 0L), crops);
    }

    /** The mean of the view-major rows {@code p} ({@code [views * N, classes]}) over each face's views: {@code [N, classes]}. */
    static String averageOverViews(OnnxGraph g, String p, CnnModel cnn) {
        int views = views(cnn.testTimeAugmentation(), cnn.architecture().inputSide()).size();
        if (views == 1) {
            return p;
        }
        // Rows are view-major ([view 0 of every face], [view 1 ...]): [views, N, classes], then the mean over views.
        String byView = g.node("Reshape", p, g.longs("views_shape", views, -1, cnn.task().classCount()));
        return g.node("ReduceMean", Map.of("axes", new long[] {0}, "keepdims", 0L), byView);
    }

    /** A dense layer: x W^T + b, with W of shape (units, inputs) as DJL keeps it. */
    private static String dense(OnnxGraph g, String x, Iterator<CnnModel.Tensor> parameters, int units) {
        String w = constant(g, "dense_weight", next(parameters, "weight", units));
        String b = constant(g, "dense_bias", next(parameters, "bias", units));
        return g.node("Gemm", Map.of("transB", 1L), x, w, b);
    }

    private static String constant(OnnxGraph g, String hint, CnnModel.Tensor t) {
        return g.constant(hint, t.shape(), t.values());
    }

    /** The next parameter, which must be the {@code kind} of a layer of {@code size} outputs. */
    static CnnModel.Tensor next(Iterator<CnnModel.Tensor> parameters, String kind, int size) {
        if (!parameters.hasNext()) {
            throw new OnnxExporter.NotExpressible("the network has fewer parameters than its architecture needs (no " + kind + ")");
        }
        CnnModel.Tensor t = parameters.next();
        String name = t.name().toLowerCase(Locale.ROOT);
        if (!name.endsWith(kind) || t.shape().length == 0 || t.shape()[0] != size) {
            throw new OnnxExporter.NotExpressible("parameter " + t.name() + " " + Arrays.toString(t.shape())
                    + " is not the " + kind + " of a layer of " + size + " as the architecture says");
        }
        return t;
    }
}
