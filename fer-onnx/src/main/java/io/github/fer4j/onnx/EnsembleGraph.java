package io.github.fer4j.onnx;

import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.model.Classifier;
import java.util.List;
import java.util.Map;

/**
 * The ONNX form of an ensemble: each member's graph on the same pixels, its columns picked in the ensemble's class
 * order and renormalised over the kept classes, the weighted sum, then p_c ∝ mean_c^(1/T) as a softmax of
 * log(max(mean, 1e-30)) / T, as {@link EnsembleClassifier} computes it.
 */
final class EnsembleGraph {
    private EnsembleGraph() {
    }

    static String probabilities(OnnxGraph g, String pixels, EnsembleClassifier ensemble) {
        List<String> classes = ensemble.task().classNames();
        double[] weights = ensemble.weights();
        String sum = null;
        for (int m = 0; m < ensemble.members().size(); m++) {
            Classifier member = ensemble.members().get(m);
            String p;
            try {
                p = OnnxExporter.probabilities(g, pixels, member);
            } catch (OnnxExporter.NotExpressible e) {
                throw new OnnxExporter.NotExpressible("member " + ensemble.memberNames().get(m) + ": " + e.getMessage());
            }
            long[] index = new long[classes.size()];
            boolean identity = member.classNames().size() == classes.size();
            for (int c = 0; c < index.length; c++) {
                index[c] = member.classNames().indexOf(classes.get(c));
                identity &= index[c] == c;
            }
            if (!identity) {
                // The member's columns in the ensemble's class order, renormalised over the classes kept.
                String picked = g.node("Gather", Map.of("axis", 1L), p, g.longs("class_index", index));
                String kept = g.node("ReduceSum", Map.of("keepdims", 1L), picked, g.longs("axes", 1));
                p = g.node("Div", picked, kept);
            }
            String weighted = g.node("Mul", p, g.scalar("weight", (float) weights[m]));
            sum = sum == null ? weighted : g.node("Add", sum, weighted);
        }
        String log = g.node("Log", g.node("Max", sum, g.scalar("floor", 1e-30f)));
        String logits = g.node("Div", log, g.scalar("temperature", (float) ensemble.temperature()));
        return g.node("Softmax", Map.of("axis", 1L), logits);
    }
}
