package io.scrapeguard.auditor;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/** The networks the auditor trains. */
final class Nets {
    private Nets() {}

    /**
     * Three conv layers (width, 2x, 4x filters) with batch norm, two 2x2 max-pools and global
     * average pooling: any input size, trains in seconds per epoch on CPU.
     */
    static Block smallCnn(int classes, int width) {
        SequentialBlock net = new SequentialBlock();
        for (int i = 0; i < 3; i++) {
            net.add(Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .setFilters(width << i)
                    .build());
            net.add(BatchNorm.builder().build());
            net.add(Activation.reluBlock());
            if (i < 2) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        net.add(Pool.globalAvgPool2dBlock());
        net.add(Linear.builder().setUnits(classes).build());
        return net;
    }

    /** ResNet-18 (DJL's ResNetV1; a 3x3 stem without max-pool for images up to 32 pixels). */
    static Block resnet18(int classes, int channels, int height, int width) {
        return ResNetV1.builder()
                .setImageShape(new Shape(channels, height, width))
                .setNumLayers(18)
                .setOutSize(classes)
                .build();
    }

    /** Softmax regression on the flattened input. */
    static Block linear(int classes) {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    static Block canary(AuditProfile profile, int classes, int c, int h, int w) {
        return profile.model() == AuditProfile.Model.RESNET18
                ? resnet18(classes, c, h, w)
                : smallCnn(classes, 32);
    }
}
