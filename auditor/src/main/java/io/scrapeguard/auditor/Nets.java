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
     * average pooling: any input size, trains in seconds per epoch on CPU. The first layer has
     * stride {@code stemStride}: a strided stem, as the ImageNet-style models scrapers train above
     * 32 pixels have (ResNet's 7x7 stride-2 stem, a ViT's patches), keeps an epoch at 64 pixels
     * near the cost of one at 32 where a full-resolution first layer made it ten to twenty times
     * dearer (docs/benchmarks.md).
     */
    static Block smallCnn(int classes, int width, int stemStride) {
        SequentialBlock net = new SequentialBlock();
        for (int i = 0; i < 3; i++) {
            int stride = i == 0 ? stemStride : 1;
            net.add(
                    Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optStride(new Shape(stride, stride))
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

    /**
     * ResNet-18. Above 32 pixels DJL's ResNetV1 (7x7 stem, max-pool); up to 32 pixels, where DJL's
     * builder only offers the 6n+2 CIFAR ResNets, the paper's CIFAR ResNet-18: a 3x3 stem without
     * max-pool, then four stages of two basic blocks (64, 128, 256, 512 filters).
     */
    static Block resnet18(int classes, int channels, int height, int width) {
        if (Math.max(height, width) > 32) {
            return ResNetV1.builder()
                    .setImageShape(new Shape(channels, height, width))
                    .setNumLayers(18)
                    .setOutSize(classes)
                    .build();
        }
        SequentialBlock net =
                new SequentialBlock()
                        .add(
                                Conv2d.builder()
                                        .setKernelShape(new Shape(3, 3))
                                        .optPadding(new Shape(1, 1))
                                        .setFilters(64)
                                        .optBias(false)
                                        .build())
                        .add(BatchNorm.builder().optMomentum(0.9f).build())
                        .add(Activation.reluBlock());
        int[] filters = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            int stride = stage == 0 ? 1 : 2;
            net.add(
                    ResNetV1.residualUnit(
                            filters[stage], new Shape(stride, stride), false, false, 0.9f));
            net.add(ResNetV1.residualUnit(filters[stage], new Shape(1, 1), true, false, 0.9f));
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(classes).build());
    }

    /** Softmax regression on the flattened input. */
    static Block linear(int classes) {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    /** The canary for images of c x h x w; above 32 pixels with a stride-2 stem (see above). */
    static Block canary(AuditProfile profile, int classes, int c, int h, int w) {
        return profile.model() == AuditProfile.Model.RESNET18
                ? resnet18(classes, c, h, w)
                : smallCnn(classes, 32, stemStride(h, w));
    }

    /**
     * The perturbation-only probe and its control: above 32 pixels with the canary's stride-2 stem,
     * which still reads every pixel (3x3 kernels) at a quarter of the cost; at full resolution the
     * probe was the audit's slowest stage for large images (docs/benchmarks.md).
     */
    static Block probe(int classes, int h, int w) {
        return smallCnn(classes, 16, stemStride(h, w));
    }

    private static int stemStride(int h, int w) {
        return Math.max(h, w) > 32 ? 2 : 1;
    }
}
