package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The probe measures whether the perturbation is separable, not only how fast: it trains until it
 * fits, within a cap. A plainly separable one fits soon after the minimum steps; one still
 * descending there (as after a scraper's JPEG 75 at 32x32) trains on; so does one that learns most
 * deltas at once and a minority slowly (the default's class wave on photos, Algorithm 2 on the flat
 * ones), which a loss below 0.5 within the minimum used to stop.
 */
class SeparabilityTrainingTest {
    private static final int SIDE = 16;
    private static final int CLASSES = 10;
    private final AuditProfile profile = AuditProfile.cpuSmall();

    @Test
    void aPlainlySeparablePerturbationStopsSoonAfterTheMinimumSteps() throws Exception {
        AuditSample s = sample(20, 0, 1);
        Separability r = Separability.measure(s, profile, 3, m -> {});
        assertThat(r.probeSteps()).isLessThanOrEqualTo(2 * minSteps(s));
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

    @Test
    void aProbeThatLearnsTheMajorityAtOnceTrainsOnUntilItReadsTheMinorityToo() throws Exception {
        // a tenth of each class carries another, fainter pattern: the loss drops below
        // 0.5 within the minimum on the rest, and stopping there read 89% (the tenth unread)
        AuditSample s = sample(30, 0, 2, 15, 0);
        Separability r = Separability.measure(s, profile, 3, m -> {});
        int min = minSteps(s);
        assertThat(r.probeStepsToLoss05()).isLessThanOrEqualTo(min);
        assertThat(r.probeSteps()).isGreaterThan(min);
        assertThat(r.probeAccuracy()).isGreaterThan(0.95);
        assertThat(r.controlAccuracy()).isLessThan(0.25);
    }

    private int minSteps(AuditSample s) {
        int perEpoch = (s.train().size() + 63) / 64;
        return ((profile.probeMinSteps() + perEpoch - 1) / perEpoch) * perEpoch;
    }

    /** Every class a fixed +-amp pattern, each image Gaussian noise of sigma on top (in levels). */
    private static AuditSample sample(int amp, int sigma, long seed) throws Exception {
        return sample(amp, sigma, seed, 0, 0);
    }

    /**
     * As above, but every tenth image of a class carries a second pattern of the class at {@code
     * minorityAmp} under noise of {@code minoritySigma} instead (none where minorityAmp is 0), and
     * then a class has 80 images, not 40.
     */
    private static AuditSample sample(
            int amp, int sigma, long seed, int minorityAmp, int minoritySigma) throws Exception {
        Random rng = new Random(seed);
        int n = SIDE * SIDE;
        List<ImagePair> pairs = new ArrayList<>();
        for (int k = 0; k < CLASSES; k++) {
            Random pattern = new Random(100 + k);
            Random second = new Random(200 + k);
            int[] sign = new int[n];
            int[] minoritySign = new int[n];
            for (int i = 0; i < n; i++) {
                sign[i] = pattern.nextBoolean() ? 1 : -1;
                minoritySign[i] = second.nextBoolean() ? 1 : -1;
            }
            for (int j = 0; j < (minorityAmp > 0 ? 80 : 40); j++) {
                byte[] raw = new byte[n];
                byte[] pub = new byte[n];
                boolean minority = minorityAmp > 0 && j % 10 == 0;
                for (int i = 0; i < n; i++) {
                    raw[i] = (byte) 128;
                    long v =
                            minority
                                    ? Math.round(
                                            128
                                                    + minorityAmp * minoritySign[i]
                                                    + minoritySigma * rng.nextGaussian())
                                    : Math.round(128 + amp * sign[i] + sigma * rng.nextGaussian());
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
