package io.github.fer4j.pytorch;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.github.fer4j.cnn.Architecture;
import java.util.Arrays;
import java.util.List;

/**
 * Builds an {@link Architecture} as a DJL network, node for node as {@link Architecture#nodes} lists them (fer-cnn's
 * {@code DjlParameters.write} writes the same blocks' bytes without DJL).
 */
public final class Networks {
    private Networks() {
    }

    /** A fresh, uninitialized network for {@code classes} outputs (logits). */
    public static Block build(Architecture architecture, int classes) {
        return sequence(architecture.nodes(classes));
    }

    private static SequentialBlock sequence(List<Architecture.Node> nodes) {
        SequentialBlock net = new SequentialBlock();
        for (Architecture.Node node : nodes) {
            net.add(block(node));
        }
        return net;
    }

    private static Block block(Architecture.Node node) {
        if (node instanceof Architecture.Conv c) {
            return Conv2d.builder().setKernelShape(new Shape(c.kernel(), c.kernel()))
                    .optStride(new Shape(c.stride(), c.stride())).optPadding(new Shape(c.padding(), c.padding()))
                    .optBias(false).setFilters(c.out()).build();
        }
        if (node instanceof Architecture.BatchNorm) {
            return BatchNorm.builder().optEpsilon(Architecture.BATCH_NORM_EPSILON).build();
        }
        if (node instanceof Architecture.Relu) {
            return Activation.reluBlock();
        }
        if (node instanceof Architecture.MaxPool) {
            return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true);
        }
        if (node instanceof Architecture.Residual r) {
            Block shortcut = r.shortcut().isEmpty() ? Blocks.identityBlock() : sequence(r.shortcut());
            return new ParallelBlock(branches -> new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow())),
                    Arrays.asList(sequence(r.main()), shortcut));
        }
        if (node instanceof Architecture.GlobalAveragePool) {
            return Pool.globalAvgPool2dBlock();
        }
        if (node instanceof Architecture.Flatten) {
            return Blocks.batchFlattenBlock();
        }
        if (node instanceof Architecture.Dropout d) {
            return Dropout.builder().optRate(d.rate()).build();
        }
        if (node instanceof Architecture.Dense d) {
            return Linear.builder().setUnits(d.out()).build();
        }
        throw new IllegalArgumentException("no DJL block for " + node);
    }
}
