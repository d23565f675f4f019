package io.github.fer4j.linear;

/**
 * A loss on the scores of one example: its value, its gradient with respect to the scores, and the class
 * probabilities the scores stand for. The trainer does not know which loss it runs.
 */
public interface Loss {
    /** Short name stored in model files. */
    String name();

    /** How many scores a model needs for {@code classes} classes (1 for a sigmoid on two classes). */
    int outputs(int classes);

    /**
     * Loss of the {@code k} scores {@code s[o .. o+k)} for true class {@code label}; writes dLoss/dScores to
     * {@code grad[o .. o+k)}.
     */
    double lossAndGradient(float[] s, int o, int k, int label, float[] grad);

    /** Loss value only. */
    double loss(float[] s, int o, int k, int label);

    /** Class probabilities for the {@code k} scores {@code s[o ..]} into {@code probs[p ..]}. */
    void probabilities(float[] s, int o, int k, float[] probs, int p);

    /** The loss for a name stored in a model file. */
    static Loss named(String name) {
        return switch (name) {
            case SigmoidCrossEntropy.NAME -> new SigmoidCrossEntropy();
            case SoftmaxCrossEntropy.NAME -> new SoftmaxCrossEntropy();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'");
        };
    }
}
