package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianSourceTest {
    @Test
    void drawsAreStandardNormal() {
        GaussianSource g = GaussianSource.fromSeed(123);
        int n = 400_000;
        double[] x = new double[n];
        g.fill(x, 0, n);
        double mean = Arrays.stream(x).average().orElseThrow();
        double var = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / n;
        double kurt = Arrays.stream(x).map(v -> Math.pow(v - mean, 4)).sum() / n / (var * var);
        assertThat(mean).isCloseTo(0, within(0.01));
        assertThat(var).isCloseTo(1, within(0.01));
        assertThat(kurt).isCloseTo(3, within(0.05));
        long tail = Arrays.stream(x).filter(v -> Math.abs(v) > 3.5).count();
        // P(|Z| > 3.5) = 4.65e-4: about 186 of 400k (the ziggurat tail branch is exercised)
        assertThat(tail).isBetween(130L, 250L);
        // Kolmogorov-Smirnov distance to the normal CDF
        Arrays.sort(x);
        double d = 0;
        for (int i = 0; i < n; i += 97) {
            d = Math.max(d, Math.abs((i + 0.5) / n - phi(x[i])));
        }
        assertThat(d).isLessThan(0.005);
    }

    @Test
    void sameSeedSameStream() {
        GaussianSource a = new GaussianSource(1, 2);
        GaussianSource b = new GaussianSource(1, 2);
        for (int i = 0; i < 1000; i++) {
            assertThat(a.nextGaussian()).isEqualTo(b.nextGaussian());
        }
        assertThat(new GaussianSource(0, 0).nextLong()).isNotZero();
    }

    private static double phi(double z) {
        return 0.5 * (1 + erf(z / Math.sqrt(2)));
    }

    /** Abramowitz-Stegun 7.1.26 is too coarse; use a series/continued fraction via erfc. */
    private static double erf(double x) {
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double y =
                1
                        - t
                                * Math.exp(
                                        -x * x
                                                - 1.26551223
                                                + t
                                                        * (1.00002368
                                                                + t
                                                                        * (0.37409196
                                                                                + t
                                                                                        * (0.09678418
                                                                                                + t
                                                                                                        * (-0.18628806
                                                                                                                + t
                                                                                                                        * (0.27886807
                                                                                                                                + t
                                                                                                                                        * (-1.13520398
                                                                                                                                                + t
                                                                                                                                                        * (1.48851587
                                                                                                                                                                + t
                                                                                                                                                                        * (-0.82215223
                                                                                                                                                                                + t
                                                                                                                                                                                        * 0.17087277)))))))));
        return x >= 0 ? y : -y;
    }
}
