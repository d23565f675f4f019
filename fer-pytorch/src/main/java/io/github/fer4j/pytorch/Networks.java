package io.github.fer4j.pytorch;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.github.fer4j.cnn.Architecture;

/** Builds an {@link Architecture} as a DJL network, layer for layer as the design lists them. */
public final class Networks {
    private Networks() {
    }

    /** A fresh, uninitialized network for {@code classes} outputs (logits). */
    public static Block build(Architecture architecture, int classes) {
        SequentialBlock net = new SequentialBlock();
        for (int[] stage : architecture.stages()) {
            for (int channels : stage) {
                net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optBias(false)
                        .setFilters(channels).build());
                net.add(BatchNorm.builder().optEpsilon(Architecture.BATCH_NORM_EPSILON).build());
                net.add(Activation.reluBlock());
            }
            net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true));
        }
        net.add(Blocks.batchFlattenBlock());
        net.add(Dropout.builder().optRate(architecture.dropout()).build());
        if (architecture.hidden() > 0) {
            net.add(Linear.builder().setUnits(architecture.hidden()).build());
            net.add(Activation.reluBlock());
            net.add(Dropout.builder().optRate(architecture.dropout()).build());
        }
        net.add(Linear.builder().setUnits(classes).build());
        return net;
    }
}
