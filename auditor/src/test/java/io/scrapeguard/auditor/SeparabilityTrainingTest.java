package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The probe measures whether the perturbation is separable, not only how fast: one that learns
 * within its minimum steps stops there, one still descending (as after a scraper's JPEG 75 at
 * 32x32) trains on until it fits, within a cap.
 */
class SeparabilityTrainingTest {
    private static final int SIDE = 16;
    private static final int CLASSES = 10;
    private final AuditProfile profile = AuditProfile.cpuSmall();

    @Test
    void aPlainlySeparablePerturbationStopsAtTheMinimumSteps() throws Exception {
        AuditSample s = sample(20, 0, 1);
        Separability r = Separability.measure(s, profile, 3, m -> {});
        assertThat(r.probeSteps()).isEqualTo(minSteps(s));
        assertThat(r.probeAccuracy()).isGreaterThan(0.95);
    }

    @Test
    void aSlowButSeparablePerturbationTrainsOnAndIsReadAsSeparable() throws Exception {
        // a weak class pattern under per-image noise: still descending at the minimum
        AuditSample s = sample(5, 6, 2);
        Separability r = Separability.measure(s, profile, 3, m -> {});
        int min = minSteps(s);
        assertThat(r.probeStepsToLoss05()).isGreaterThan(min);
        assertThat(r.probeSteps())
                .isGreaterThan(min)
                .isLessThanOrEqualTo(Separability.MAX_EPOCHS_FACTOR * min);
        assertThat(r.probeAccuracy()).isGreaterThan(0.9);
        assertThat(r.controlAccuracy()).isLessThan(0.25);
    }

    private int minSteps(AuditSample s) {
        int perEpoch = (s.train().size() + 63) / 64;
        return ((profile.probeMinSteps() + perEpoch - 1) / perEpoch) * perEpoch;
    }

    /** Every class a fixed +-amp pattern, each image Gaussian noise of sigma on top (in levels). */
    private static AuditSample sample(int amp, int sigma, long seed) throws Exception {
        Random rng = new Random(seed);
        int n = SIDE * SIDE;
        List<ImagePair> pairs = new ArrayList<>();
        for (int k = 0; k < CLASSES; k++) {
            Random pattern = new Random(100 + k);
            int[] sign = new int[n];
            for (int i = 0; i < n; i++) {
                sign[i] = pattern.nextBoolean() ? 1 : -1;
            }
            for (int j = 0; j < 40; j++) {
                byte[] raw = new byte[n];
                byte[] pub = new byte[n];
                for (int i = 0; i < n; i++) {
                    raw[i] = (byte) 128;
                    long v = Math.round(128 + amp * sign[i] + sigma * rng.nextGaussian());
                    pub[i] = (byte) Math.max(0, Math.min(255, v));
                }
                pairs.add(
                        new ImagePair(
                                "c" + k + "-" + j,
                                "class-" + k,
                                new AuditImage(SIDE, SIDE, 1, raw),
                                new AuditImage(SIDE, SIDE, 1, pub)));
            }
        }
        return AuditSample.split(pairs, 0.2, 2, 10, seed, new SkipCounts());
    }
}
