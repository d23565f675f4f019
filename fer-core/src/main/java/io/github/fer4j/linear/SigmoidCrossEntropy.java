package io.github.fer4j.linear;

/**
 * Binary cross-entropy on one score s with p = sigmoid(s) = 1 / (1 + e^-s):
 * loss = -[y log p + (1 - y) log(1 - p)], dLoss/ds = p - y. Class 1 is the positive class.
 */
public final class SigmoidCrossEntropy implements Loss {
    static final String NAME = "sigmoid-cross-entropy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int outputs(int classes) {
        if (classes != 2) {
            throw new IllegalArgumentException("a sigmoid separates exactly 2 classes, not " + classes);
        }
        return 1;
    }

    /** sigmoid(s), written so that neither branch overflows. */
    static double sigmoid(double s) {
        if (s >= 0) {
            return 1 / (1 + StrictMath.exp(-s));
        }
        double e = StrictMath.exp(s);
        return e / (1 + e);
    }

    @Override
    public double loss(float[] s, int o, int k, int label) {
        double z = s[o];
        // -log sigmoid(z) = softplus(-z) and -log(1 - sigmoid(z)) = softplus(z),
        // with softplus(t) = max(t, 0) + log(1 + e^-|t|), exact for any t.
        double t = label == 1 ? -z : z;
        return Math.max(t, 0) + StrictMath.log1p(StrictMath.exp(-Math.abs(t)));
    }

    @Override
    public double lossAndGradient(float[] s, int o, int k, int label, float[] grad) {
        grad[o] = (float) (sigmoid(s[o]) - label);
        return loss(s, o, k, label);
    }

    @Override
    public void probabilities(float[] s, int o, int k, float[] probs, int p) {
        double positive = sigmoid(s[o]);
        probs[p] = (float) (1 - positive);
        probs[p + 1] = (float) positive;
    }
}
