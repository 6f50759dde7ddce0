package io.scrapeguard.auditor;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.scrapeguard.core.gpu.Accelerators;

/**
 * One DJL model with its trainer: a step on a batch of NCHW floats, predictions on arrays. The
 * initial weights depend only on the seed, so two classifiers built with the same block type and
 * seed start identical (the paired canaries).
 */
final class Classifier implements AutoCloseable {
    private static final Object INIT_LOCK = new Object();

    private final Model model;
    private final Trainer trainer;
    private final int c;
    private final int h;
    private final int w;

    Classifier(String name, Block block, Optimizer optimizer, int seed, int c, int h, int w) {
        this.c = c;
        this.h = h;
        this.w = w;
        Device device = device();
        Model m = Model.newInstance(name, device);
        try {
            m.setBlock(block);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(optimizer)
                            .optDevices(new Device[] {device});
            Trainer t = m.newTrainer(config);
            synchronized (INIT_LOCK) { // the engine's seed is global: seed and init as one
                Engine.getInstance().setRandomSeed(seed);
                t.initialize(new Shape(1, c, h, w));
            }
            this.trainer = t;
            this.model = m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The device canaries train on: the first GPU, else the CPU ({@link Accelerators}). */
    static Device device() {
        return Accelerators.preferredDevice();
    }

    static Optimizer adam(float lr) {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build();
    }

    static Optimizer sgd(float lr, float momentum, float wd, int dropAtUpdate) {
        // One step down (x0.1) at the drop: DJL's MultiFactorTracker wants two or more steps.
        Tracker tracker =
                dropAtUpdate > 0
                        ? numUpdate -> numUpdate >= dropAtUpdate ? lr * 0.1f : lr
                        : Tracker.fixed(lr);
        return Optimizer.sgd()
                .setLearningRateTracker(tracker)
                .optMomentum(momentum)
                .optWeightDecays(wd)
                .build();
    }

    /** One optimiser step on {@code n} images; returns the batch's mean loss. */
    float step(float[] x, long[] y, int n) {
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray xs = batch.create(x, new Shape(n, c, h, w));
            NDArray ys = batch.create(y, new Shape(n));
            float loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray pred = trainer.forward(new NDList(xs)).singletonOrThrow();
                NDArray l = trainer.getLoss().evaluate(new NDList(ys), new NDList(pred));
                gc.backward(l);
                loss = l.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    /** Predicted class of each of the {@code x.length / (c*h*w)} images, in batches. */
    int[] predict(float[] x) {
        int per = c * h * w, n = x.length / per, batchSize = 256;
        int[] out = new int[n];
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            float[] chunk = new float[b * per];
            System.arraycopy(x, start * per, chunk, 0, b * per);
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDArray xs = batch.create(chunk, new Shape(b, c, h, w));
                NDArray logits = trainer.evaluate(new NDList(xs)).singletonOrThrow();
                int[] p = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
                System.arraycopy(p, 0, out, start, b);
            }
        }
        return out;
    }

    /** Share of predictions equal to {@code target}. */
    double accuracy(float[] x, int[] target) {
        int[] p = predict(x);
        int right = 0;
        for (int i = 0; i < p.length; i++) {
            right += p[i] == target[i] ? 1 : 0;
        }
        return p.length == 0 ? Double.NaN : (double) right / p.length;
    }

    @Override
    public void close() {
        try {
            trainer.close();
        } finally {
            model.close();
        }
    }
}
