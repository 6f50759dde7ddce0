package io.scrapeguard.auditor;

import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Canary models trained in lockstep: every arm (clean, protected, a defence) has the same
 * architecture and initial weights, and each step feeds every arm the same images in the same order
 * with the same crops and flips; only the pixels differ. After each epoch each arm is scored on the
 * clean test images (accuracy) and on clean test images carrying the perturbation of the next class
 * (follow rate: how often the canary predicts the perturbation's class).
 */
final class Canaries {

    /** One arm's inputs: NCHW normalised training images, test images and follow images. */
    record Arm(String name, float[] train, float[] test, float[] follow) {}

    private Canaries() {}

    static List<CanaryCurve> trainLockstep(
            AuditProfile profile,
            AuditSample s,
            List<Arm> arms,
            int seed,
            String what,
            Consumer<String> progress) {
        int c = s.channels(), h = s.height(), w = s.width(), k = s.classes();
        int[] trainY = s.trainLabels(), testY = s.testLabels();
        int[] followY = new int[testY.length];
        for (int i = 0; i < testY.length; i++) {
            followY[i] = (testY[i] + 1) % k;
        }
        Batches batches =
                new Batches(
                        trainY.length,
                        c,
                        h,
                        w,
                        profile.batchSize(),
                        profile.cropPadding(),
                        profile.flip());
        int epochs = profile.epochs();
        int dropAt = profile.lrDropEpoch() > 0 ? profile.lrDropEpoch() * batches.perEpoch() : -1;
        List<Classifier> models = new ArrayList<>();
        double[][] loss = new double[arms.size()][epochs];
        double[][] acc = new double[arms.size()][epochs];
        double[][] fol = new double[arms.size()][epochs];
        try {
            for (Arm arm : arms) {
                Optimizer opt =
                        profile.sgd()
                                ? Classifier.sgd(
                                        profile.learningRate(),
                                        profile.momentum(),
                                        profile.weightDecay(),
                                        dropAt)
                                : Classifier.adam(profile.learningRate());
                models.add(
                        new Classifier(
                                arm.name(), Nets.canary(profile, k, c, h, w), opt, seed, c, h, w));
            }
            for (int e = 0; e < epochs; e++) {
                long start = System.nanoTime();
                Batches.Epoch plan = batches.epoch(seed, e);
                double[] sum = new double[arms.size()];
                for (int b = 0; b < plan.batches(); b++) {
                    Cancel.check();
                    long[] y = plan.labels(b, trainY);
                    for (int a = 0; a < arms.size(); a++) {
                        sum[a] +=
                                models.get(a).step(plan.gather(b, arms.get(a).train()), y, y.length)
                                        * y.length;
                    }
                }
                StringBuilder line =
                        new StringBuilder(
                                String.format(
                                        Locale.ROOT,
                                        "audit: %s seed %d epoch %d/%d:",
                                        what,
                                        seed,
                                        e + 1,
                                        epochs));
                for (int a = 0; a < arms.size(); a++) {
                    loss[a][e] = sum[a] / trainY.length;
                    acc[a][e] = models.get(a).accuracy(arms.get(a).test(), testY);
                    fol[a][e] = models.get(a).accuracy(arms.get(a).follow(), followY);
                    line.append(
                            String.format(
                                    Locale.ROOT,
                                    " %s loss %.3f acc %.3f follow %.3f%s",
                                    arms.get(a).name(),
                                    loss[a][e],
                                    acc[a][e],
                                    fol[a][e],
                                    a + 1 < arms.size() ? " |" : ""));
                }
                line.append(
                        String.format(Locale.ROOT, " (%.1f s)", (System.nanoTime() - start) / 1e9));
                progress.accept(line.toString());
            }
        } finally {
            for (Classifier m : models) {
                m.close();
            }
        }
        List<CanaryCurve> curves = new ArrayList<>();
        for (int a = 0; a < arms.size(); a++) {
            curves.add(new CanaryCurve(arms.get(a).name(), seed, loss[a], acc[a], fol[a]));
        }
        return curves;
    }
}
