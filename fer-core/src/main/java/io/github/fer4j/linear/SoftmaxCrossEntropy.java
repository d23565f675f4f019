package io.github.fer4j.linear;

/**
 * Softmax cross-entropy over k scores: p_c = e^{s_c} / sum_j e^{s_j}, loss = -log p_y computed as
 * logsumexp(s) - s_y with the max subtracted first, so nothing overflows; dLoss/ds_c = p_c - [c == y].
 */
public final class SoftmaxCrossEntropy implements Loss {
    static final String NAME = "softmax-cross-entropy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int outputs(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("softmax needs at least 2 classes, not " + classes);
        }
        return classes;
    }

    private static double logSumExp(float[] s, int o, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, s[o + c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += StrictMath.exp(s[o + c] - max);
        }
        return max + StrictMath.log(sum);
    }

    @Override
    public double loss(float[] s, int o, int k, int label) {
        return logSumExp(s, o, k) - s[o + label];
    }

    @Override
    public double lossAndGradient(float[] s, int o, int k, int label, float[] grad) {
        double lse = logSumExp(s, o, k);
        for (int c = 0; c < k; c++) {
            grad[o + c] = (float) (StrictMath.exp(s[o + c] - lse) - (c == label ? 1 : 0));
        }
        return lse - s[o + label];
    }

    @Override
    public void probabilities(float[] s, int o, int k, float[] probs, int p) {
        double lse = logSumExp(s, o, k);
        for (int c = 0; c < k; c++) {
            probs[p + c] = (float) StrictMath.exp(s[o + c] - lse);
        }
    }
}
