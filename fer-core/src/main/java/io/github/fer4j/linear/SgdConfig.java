package io.github.fer4j.linear;

/**
 * Hyper-parameters of mini-batch SGD, given before training (as scikit-learn estimators take them).
 *
 * @param epochs        passes over the training data
 * @param batchSize     examples per update
 * @param learningRate  the schedule, including the initial rate
 * @param l2            weight decay: adds l2 * w to the gradient (biases excluded)
 * @param momentum      heavy-ball momentum in [0, 1); 0 is plain SGD
 * @param classWeights  loss weight per class
 * @param patience      early stopping: stop after this many epochs without a better validation loss; 0 = off
 * @param seed          seeds the random initial weights and the shuffling
 */
public record SgdConfig(int epochs, int batchSize, LearningRate learningRate, double l2, double momentum,
                        ClassWeights classWeights, int patience, long seed) {
    public SgdConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate.at(0) > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate.at(0));
        }
        if (l2 < 0) {
            throw new IllegalArgumentException("L2 must not be negative, got " + l2);
        }
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must not be negative, got " + patience);
        }
    }
}
