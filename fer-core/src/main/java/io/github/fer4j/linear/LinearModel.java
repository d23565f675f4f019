package io.github.fer4j.linear;

/** The learned state of a linear model: k score rows of d weights (row-major) and k biases. */
public record LinearModel(float[] weights, float[] bias, int outputs, int dimension) {
    public LinearModel {
        if (weights.length != outputs * dimension || bias.length != outputs) {
            throw new IllegalArgumentException("weights must be " + outputs + " x " + dimension + " and bias " + outputs);
        }
    }

    /** The scores W x + b for one standardized feature row {@code x[xo .. xo+d)} into {@code out[o ..]}. */
    public void scores(float[] x, int xo, float[] out, int o) {
        LinearKernels.scores(weights, bias, outputs, dimension, x, xo, out, o);
    }

    public LinearModel copy() {
        return new LinearModel(weights.clone(), bias.clone(), outputs, dimension);
    }
}
