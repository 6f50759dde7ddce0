package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.SyntheticImages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The protector reuses one perturbation array per thread; reuse must never change a result. */
class ProtectorTest {
    private static final SeedingKey KEY = SeedingKey.of("protector-test");

    /**
     * Sizes that change shape, channels and back, so the per-thread array is replaced and reused.
     */
    private static final int[][] SHAPES = {
        {32, 32, 3}, {17, 45, 3}, {32, 32, 3}, {45, 17, 1}, {32, 32, 3}
    };

    @Test
    void reusedArraysGiveWhatAFreshPerturbationGives() throws Exception {
        try (ExecutorService fresh = Executors.newVirtualThreadPerTaskExecutor()) {
            reusedArraysGiveWhatAFreshThreadGives(fresh);
        }
    }

    private static void reusedArraysGiveWhatAFreshThreadGives(ExecutorService fresh)
            throws Exception {
        for (PerturbationMethod method :
                List.of(
                        new ArPerturbationMethod(
                                ProcessBank.paperDefault(), KEY, Budget.defaultL2()),
                        new ArPerturbationMethod(
                                ProcessBank.paperDefault(), KEY, Budget.defaultL2(), 16),
                        new ClassFreeGaussianNoise(KEY, Budget.defaultL2(), 10))) {
            Protector protector = new Protector(method);
            for (int i = 0; i < SHAPES.length; i++) {
                int[] s = SHAPES[i];
                Image8 image = SyntheticImages.natural(i, s[1], s[0], s[2]);
                // each task runs on a new virtual thread: no array to reuse
                int k = i;
                ProtectedResult expected =
                        fresh.submit(() -> new Protector(method).protect(image, k % 10, "img-" + k))
                                .get();
                ProtectedResult got = protector.protect(image, i % 10, "img-" + i);
                assertThat(got.image()).as("%s, image %d", method, i).isEqualTo(expected.image());
                assertThat(got.delivered()).isEqualTo(expected.delivered());
                assertThat(got.image()).isNotEqualTo(image);
            }
        }
    }

    @Test
    void threadsDoNotShareTheirArrays() throws Exception {
        Protector protector =
                new Protector(
                        new ArPerturbationMethod(
                                ProcessBank.paperDefault(), KEY, Budget.defaultL2()));
        List<Image8> images = new ArrayList<>();
        List<Image8> alone = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Image8 image = SyntheticImages.natural(100 + i, 64, 48, 3);
            images.add(image);
            alone.add(protector.protect(image, i % 10, "t-" + i).image());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Image8>> results = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < images.size(); i++) {
                    int k = i;
                    results.add(
                            pool.submit(
                                    () ->
                                            protector
                                                    .protect(images.get(k), k % 10, "t-" + k)
                                                    .image()));
                }
            }
            for (int j = 0; j < results.size(); j++) {
                assertThat(results.get(j).get()).isEqualTo(alone.get(j % images.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
