package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The class waves stay apart under what scrapers do to their training images: a horizontal flip
 * (the usual augmentation) mirrors a wave, and a mirrored wave must not be another class's.
 */
class ClassWaveTest {

    @Test
    void aFlippedWaveIsNoOtherClasssWave() {
        for (int[] shape : new int[][] {{32, 32}, {24, 40}}) {
            int h = shape[0], w = shape[1];
            for (int k = 0; k < ClassWave.DISTINCT; k++) {
                for (double phase : new double[] {0, 0.3, 0.71}) {
                    double[] wave = new double[h * w * 3];
                    ClassWave.unitRmsInto(wave, k, phase, h, w, 3);
                    double[] flipped = mirrored(wave, h, w, 3);
                    double[] e = ClassWave.energies(flipped, h, w, 3);
                    double energy = Norms.l2(flipped) * Norms.l2(flipped);
                    for (int j = 0; j < ClassWave.DISTINCT; j++) {
                        if (j != k) {
                            assertThat(e[j] / energy)
                                    .as("class %d flipped, on class %d's wave, %dx%d", k, j, h, w)
                                    .isLessThan(0.25);
                        }
                    }
                }
            }
        }
    }

    @Test
    void eachClasssWaveIsReadAsItsOwnAtAnyPhase() {
        for (int k = 0; k < ClassWave.DISTINCT; k++) {
            for (double phase : new double[] {0, 0.3, 0.71}) {
                double[] wave = new double[32 * 32 * 3];
                ClassWave.unitRmsInto(wave, k, phase, 32, 32, 3);
                double[] e = ClassWave.energies(wave, 32, 32, 3);
                assertThat(ClassWave.dominant(e, wave.length)).as("class %d", k).isEqualTo(k);
            }
        }
    }

    /** The HWC field mirrored left to right. */
    private static double[] mirrored(double[] v, int h, int w, int c) {
        double[] out = new double[v.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    out[(y * w + x) * c + ch] = v[(y * w + (w - 1 - x)) * c + ch];
                }
            }
        }
        return out;
    }
}
