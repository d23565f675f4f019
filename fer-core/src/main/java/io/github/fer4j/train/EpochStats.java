package io.github.fer4j.train;

/**
 * One row of training history. Validation values are NaN when there is no validation split.
 *
 * @param epoch              1-based epoch number
 * @param trainLoss          mean (class-weighted) training loss over the epoch's mini-batches
 * @param validationLoss     mean (class-weighted) loss on the validation split after the epoch
 * @param validationAccuracy accuracy on the validation split
 * @param validationAca      mean per-class recall on the validation split
 * @param learningRate       the rate used in this epoch
 * @param seconds            wall-clock seconds the epoch took
 */
public record EpochStats(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                         double validationAca, double learningRate, double seconds) { }
