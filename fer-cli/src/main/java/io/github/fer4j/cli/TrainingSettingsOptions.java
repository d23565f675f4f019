package io.github.fer4j.cli;

import picocli.CommandLine.Option;

/**
 * The training settings of {@code fer train}. None has a default here: an option that is given goes by its name to
 * the model's family ({@link io.github.fer4j.train.TrainerFamily}), which fills in its own defaults and refuses, by
 * name, any option that is not one of its settings. The defaults named in the help are the families'.
 */
final class TrainingSettingsOptions {
    @Option(names = "--epochs", paramLabel = "N", description = "Passes over Training. Default: 30.")
    String epochs;

    @Option(names = "--lr", paramLabel = "RATE", description = "Initial (cnn: peak) learning rate. Default: 0.001; cnn 0.01.")
    String learningRate;

    @Option(names = "--schedule", paramLabel = "SCHEDULE",
            description = "Linear models: constant, step:FACTOR:EVERY (seed 000: step:0.1:500) or cosine[:MIN]. Default: cosine. "
                    + "(The cnn warms up, then follows a cosine.)")
    String schedule;

    @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size. Default: 100; cnn 64.")
    String batch;

    @Option(names = "--l2", paramLabel = "DECAY", description = "L2 weight decay. Default: 0.0001; cnn 0.0005 (weights only).")
    String l2;

    @Option(names = "--momentum", paramLabel = "MU",
            description = "Momentum in [0, 1): heavy-ball for linear models, Nesterov for cnn. Default: 0; cnn 0.9.")
    String momentum;

    @Option(names = "--class-weights", paramLabel = "MODE",
            description = "none or balanced (each class weighs n / (classes x its count)). Default: none.")
    String classWeights;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE",
            description = "Linear models: stop after this many epochs without a better validation loss and keep the best "
                    + "epoch; 0 = off (the cnn keeps its best PublicTest epoch). Default: 0.")
    String patience;

    @Option(names = "--seed", paramLabel = "N", description = "Seeds the initial weights, the shuffling and synthetic data. Default: 1.")
    String seed;

    @Option(names = "--features", paramLabel = "SET",
            description = "Linear models: pixels, hog, lbp or hog+lbp (fitted on Training, stored in the model). Default: pixels.")
    String features;

    @Option(names = "--hog-cell", paramLabel = "PX", description = "HOG cell size (divides 48). Default: 6.")
    String hogCell;

    @Option(names = "--hog-block", paramLabel = "CELLS", description = "HOG block size in cells. Default: 2.")
    String hogBlock;

    @Option(names = "--hog-bins", paramLabel = "N", description = "HOG orientation bins. Default: 9.")
    String hogBins;

    @Option(names = "--lbp-grid", paramLabel = "N", description = "LBP regions a side. Default: 6.")
    String lbpGrid;

    @Option(names = "--architecture", paramLabel = "NAME",
            description = "cnn: fernet9 (9 weight layers, 1.76 M parameters) or tiny (for smoke tests). Default: fernet9.")
    String architecture;

    @Option(names = "--warmup", paramLabel = "EPOCHS",
            description = "cnn: epochs of linear learning-rate warm-up before the cosine decay. Default: 1 (0.25 for a "
                    + "one-epoch run).")
    String warmup;

    @Option(names = "--label-smoothing", paramLabel = "EPS",
            description = "cnn: share of each target spread evenly over the classes; 0 = off. Default: 0.1.")
    String labelSmoothing;

    @Option(names = "--soft-targets",
            description = "cnn with --labels ferplus: learn each face's FER+ vote distribution instead of its majority class.")
    boolean softTargets;

    @Option(names = "--augment", paramLabel = "SPEC",
            description = "cnn: random views in training, 'none' or any of shift:PX, rotate:DEGREES, scale:FRACTION, flip. "
                    + "Default: shift:3,rotate:10,scale:0.1,flip.")
    String augment;
}
