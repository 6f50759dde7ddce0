package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.SyntheticImages;
import io.scrapeguard.imaging.scraper.ScraperPipeline;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every variant by its published name: coverage, energy split, determinism, integrity. */
class ArVariantsTest {
    private final SeedingKey key = SeedingKey.of("variants");
    private final ProcessBank bank = ProcessBank.paperDefault();

    private PerturbationMethod method(String name) {
        return ArVariants.create(name, bank, key, Budget.defaultL2());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar-tiled", "ar-multiscale"})
    void coversEveryRegionOfImagesOfAnySizeAndShape(String name) {
        PerturbationMethod m = method(name);
        for (int[] hw : new int[][] {{128, 128}, {512, 512}, {768, 1024}, {100, 333}}) {
            for (int k : new int[] {0, 2, 9}) {
                RegionCoverage c = RegionCoverage.of(m.perturbation(k, "c" + k, hw[0], hw[1], 3));
                assertThat(c.covered())
                        .as("%s %dx%d class %d", name, hw[0], hw[1], k)
                        .isGreaterThanOrEqualTo(0.95);
                assertThat(c.peak())
                        .as("%s %dx%d class %d", name, hw[0], hw[1], k)
                        .isLessThanOrEqualTo(4.0);
            }
        }
    }

    @Test
    void thePapersAlgorithmLeavesMostOfALargeImageUntouched() {
        RegionCoverage c = RegionCoverage.of(method("ar-paper").perturbation(2, "p", 512, 512, 3));
        assertThat(c.covered()).isLessThan(0.5);
        assertThat(c.peak()).isGreaterThan(4.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar-paper", "ar-tiled", "ar-multiscale"})
    void isDeterministicScaledToTheBudgetAndPublishedUnderItsName(String name) {
        PerturbationMethod m = method(name);
        Perturbation a = m.perturbation(3, "same", 96, 160, 3);
        Perturbation b = method(name).perturbation(3, "same", 96, 160, 3);
        assertThat(a.values()).containsExactly(b.values());
        assertThat(m.perturbation(3, "other", 96, 160, 3).values()).isNotEqualTo(a.values());
        assertThat(a.l2()).isCloseTo(Budget.defaultL2().epsilonFor(96, 160, 3), within(1e-9));
        double[] into = new double[96 * 160 * 3];
        m.perturbationInto(into, 3, "same", 96, 160, 3);
        assertThat(into).containsExactly(a.values());
        assertThat(m.publishedName()).isEqualTo(name + "-l2");
    }

    @Test
    void smallImagesGetThePapersAlgorithmFromEveryVariant() {
        double[] paper = method("ar-paper").perturbation(4, "s", 32, 32, 3).values();
        assertThat(method("ar-tiled").perturbation(4, "s", 32, 32, 3).values())
                .containsExactly(paper);
        assertThat(method("ar-multiscale").perturbation(4, "s", 32, 32, 3).values())
                .containsExactly(paper);
    }

    @Test
    void multiscaleSplitsTheEnergyByItsShares() {
        MultiscaleArMethod m =
                new MultiscaleArMethod(
                        bank,
                        key,
                        Budget.defaultL2(),
                        Map.of(32, 0.6, 64, 0.3, MultiscaleArMethod.NATIVE, 0.1, 256, 0.5));
        // 256 is not below the short side 200: its share goes to the others
        assertThat(m.sharesFor(200, 300)).containsOnlyKeys(32, 64, MultiscaleArMethod.NATIVE);
        Perturbation p = m.perturbation(5, "split", 200, 300, 3);
        double total = p.l2() * p.l2();
        double scale = Budget.defaultL2().epsilonFor(200, 300, 3) / Math.sqrt(p.size());
        for (MultiscaleArMethod.Component c : m.components(5, "split", 200, 300, 3)) {
            double[] v = c.values();
            double e = 0;
            for (double x : v) {
                e += x * x;
            }
            double part = e * c.share() * scale * scale / total;
            assertThat(part).as("grid %d", c.grid()).isCloseTo(c.share(), within(0.03));
        }
        assertThat(m.sharesFor(200, 300).get(32)).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void aScraperDownscaleKeepsTheCoarseComponentWhereTheTiledOneFades() {
        Image8 photo = Image8.wrap(128, 128, 3, grey(128, 128), null);
        ScraperPipeline resize = ScraperPipeline.parse("resize:32");
        double multi = leftAfter(method("ar-multiscale"), photo, resize);
        double tiled = leftAfter(method("ar-tiled"), photo, resize);
        assertThat(multi).isGreaterThan(0.75 * Budget.DEFAULT_L2);
        assertThat(tiled).isLessThan(0.5 * Budget.DEFAULT_L2);
    }

    private double leftAfter(PerturbationMethod m, Image8 photo, ScraperPipeline pipeline) {
        Image8 prot = new Protector(m).protect(photo, 1, "left").image();
        return Perturbation.delta(pipeline.apply(photo, 7), pipeline.apply(prot, 7)).l2();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar-paper", "ar-tiled", "ar-multiscale"})
    void theFiltersNameTheLabelInTheRoundedDeltaAlsoAfterADownscale(String name) {
        PerturbationMethod m = method(name);
        MultiscaleArFilter filter = MultiscaleArFilter.of(m, bank);
        List<ScraperPipeline> downscales =
                List.of(ScraperPipeline.parse("resize:64"), ScraperPipeline.parse("resize:32"));
        Image8 photo = Image8.wrap(128, 128, 3, grey(128, 128), null);
        int named = 0;
        int namedDown = 0;
        for (int k = 0; k < 10; k++) {
            Image8 prot = new Protector(m).protect(photo, k, "i" + k).image();
            named += filter.classify(Perturbation.delta(photo, prot)) == k ? 1 : 0;
            if (name.equals("ar-multiscale")) {
                for (ScraperPipeline s : downscales) {
                    Perturbation d = Perturbation.delta(s.apply(photo, k), s.apply(prot, k));
                    namedDown += filter.classify(d) == k ? 1 : 0;
                }
            }
        }
        assertThat(named).isEqualTo(10);
        if (name.equals("ar-multiscale")) {
            assertThat(namedDown).as("named after resize:64 and resize:32").isEqualTo(20);
        }
    }

    @Test
    void aLumaShareMovesEnergyIntoAGrayFieldThatJpegKeeps() {
        Perturbation gray = method("ar-multiscale:luma=1").perturbation(6, "g", 32, 32, 3);
        Perturbation half = method("ar-multiscale:luma=0.5").perturbation(6, "g", 32, 32, 3);
        double[] v = gray.values();
        for (int i = 0; i < v.length; i += 3) {
            assertThat(v[i + 1]).isEqualTo(v[i]);
            assertThat(v[i + 2]).isEqualTo(v[i]);
        }
        assertThat(channelCorrelation(half.values())).isBetween(0.3, 0.7);
        assertThat(
                        channelCorrelation(
                                method("ar-multiscale").perturbation(6, "g", 32, 32, 3).values()))
                .isBetween(-0.3, 0.3);
        for (Perturbation p : List.of(gray, half)) {
            assertThat(p.l2()).isCloseTo(Budget.defaultL2().epsilonFor(32, 32, 3), within(1e-9));
        }
        assertThat(method("ar-multiscale:luma=1").perturbation(6, "g", 32, 32, 3).values())
                .containsExactly(v);
        // JPEG's 4:2:0 subsampling takes half of the paper's independent channels, not a gray field
        ScraperPipeline jpeg = ScraperPipeline.parse("jpeg:95");
        assertThat(keptAfter(method("ar-multiscale:luma=1"), jpeg)).isGreaterThan(0.9);
        assertThat(keptAfter(method("ar-paper"), jpeg)).isLessThan(0.7);
    }

    @Test
    void chromaOnTwoPixelCellsIsWhatJpegsSubsamplingKeeps() {
        PerturbationMethod m = method("ar-multiscale:chroma=2");
        for (int[] hw : new int[][] {{32, 32}, {128, 96}}) {
            Perturbation p = m.perturbation(8, "c", hw[0], hw[1], 3);
            assertThat(p.l2())
                    .isCloseTo(Budget.defaultL2().epsilonFor(hw[0], hw[1], 3), within(1e-9));
            double[] v = p.values();
            int w = hw[1];
            for (int y = 0; y < hw[0]; y += 2) {
                for (int x = 0; x < w; x += 2) {
                    double[] c = chroma(v, y * w + x);
                    for (int j : new int[] {y * w + x + 1, (y + 1) * w + x, (y + 1) * w + x + 1}) {
                        assertThat(chroma(v, j)).containsExactly(c, within(1e-12));
                    }
                }
            }
        }
        assertThat(keptAfter(m, ScraperPipeline.parse("jpeg:95")))
                .isGreaterThan(
                        keptAfter(method("ar-paper"), ScraperPipeline.parse("jpeg:95")) + 0.2);
        assertThatThrownBy(() -> method("ar-multiscale:chroma=3")).hasMessageContaining("1 or 2");
        assertThatThrownBy(() -> method("ar-multiscale:luma=1.5")).hasMessageContaining("[0, 1]");
    }

    @Test
    void aSharedDrawTiesAClasssImagesTogetherAndStaysTheLabelsProcess() {
        PerturbationMethod m = method("ar-multiscale:shared=0.5");
        ArFilterClassifier filter = new ArFilterClassifier(bank);
        for (int[] hw : new int[][] {{32, 32}, {128, 96}}) {
            Perturbation a = m.perturbation(7, "one", hw[0], hw[1], 3);
            Perturbation b = m.perturbation(7, "two", hw[0], hw[1], 3);
            Perturbation other = m.perturbation(2, "one", hw[0], hw[1], 3);
            assertThat(a.l2())
                    .isCloseTo(Budget.defaultL2().epsilonFor(hw[0], hw[1], 3), within(1e-9));
            // half the energy is the class's own draw: two images of it correlate by about 0.5
            assertThat(correlation(a.values(), b.values())).as("%s", hw[0]).isBetween(0.35, 0.65);
            assertThat(correlation(a.values(), other.values())).isBetween(-0.2, 0.2);
            assertThat(m.perturbation(7, "one", hw[0], hw[1], 3).values())
                    .containsExactly(a.values());
        }
        // a sum of two samples of one recurrence is one: the filter still names the label
        Image8 photo = Image8.wrap(32, 32, 3, grey(32, 32), null);
        for (int k = 0; k < 10; k++) {
            Image8 prot = new Protector(m).protect(photo, k, "s" + k).image();
            assertThat(filter.classify(Perturbation.delta(photo, prot))).isEqualTo(k);
        }
        // shared=0 is the per-image draw itself, byte for byte
        assertThat(method("ar-multiscale:shared=0").perturbation(4, "s", 32, 32, 3).values())
                .containsExactly(method("ar-paper").perturbation(4, "s", 32, 32, 3).values());
        assertThatThrownBy(() -> method("ar-multiscale:shared=2")).hasMessageContaining("[0, 1]");
    }

    @Test
    void aClassWaveIsTheClasssFrequencyAndColourAndJpegKeepsIt() {
        PerturbationMethod m = method("ar-multiscale:wave=1");
        for (int k = 0; k < 10; k++) {
            Perturbation p = m.perturbation(k, "w" + k, 32, 32, 3);
            assertThat(p.l2()).isCloseTo(Budget.defaultL2().epsilonFor(32, 32, 3), within(1e-9));
            // nearly all of its energy on its own class's wave, little on any other's
            for (int j = 0; j < 10; j++) {
                double on = waveShare(p.values(), j, 32, 32);
                if (j == k) {
                    assertThat(on).as("class %d on its wave", k).isGreaterThan(0.95);
                } else {
                    assertThat(on).as("class %d on the wave of %d", k, j).isLessThan(0.2);
                }
            }
            assertThat(m.perturbation(k, "w" + k, 32, 32, 3).values()).containsExactly(p.values());
        }
        // a phase per image: the class's mean over its images fades (a scraper cannot
        // subtract it), where a shared pattern would stay whole
        double[] mean = new double[32 * 32 * 3];
        for (int i = 0; i < 20; i++) {
            double[] v = m.perturbation(3, "img" + i, 32, 32, 3).values();
            for (int j = 0; j < v.length; j++) {
                mean[j] += v[j] / 20;
            }
        }
        assertThat(Math.sqrt(dot(mean, mean)))
                .isLessThan(0.5 * Budget.defaultL2().epsilonFor(32, 32, 3));
        // narrowband and of low frequency: JPEG keeps it where it takes most of Algorithm 2
        ScraperPipeline jpeg75 = ScraperPipeline.parse("jpeg:75");
        double wave = keptAfter(m, jpeg75);
        double paper = keptAfter(method("ar-paper"), jpeg75);
        // (measured: 0.73 against 0.34)
        assertThat(wave).isGreaterThan(0.6).isGreaterThan(paper + 0.3);
        // mixed: the energy split by the share, still at the budget; 1 channel gets a gray wave
        Perturbation mix = method("ar-multiscale:wave=0.5").perturbation(2, "x", 64, 48, 3);
        assertThat(mix.l2()).isCloseTo(Budget.defaultL2().epsilonFor(64, 48, 3), within(1e-9));
        assertThat(waveShare(mix.values(), 2, 64, 48)).isBetween(0.35, 0.65);
        assertThat(m.perturbation(1, "g", 28, 28, 1).l2())
                .isCloseTo(Budget.defaultL2().epsilonFor(28, 28, 1), within(1e-9));
        assertThat(method("ar-multiscale:wave=0").perturbation(4, "s", 32, 32, 3).values())
                .containsExactly(method("ar-paper").perturbation(4, "s", 32, 32, 3).values());
        assertThatThrownBy(() -> method("ar-multiscale:wave=1.5")).hasMessageContaining("[0, 1]");
    }

    @Test
    void theFilterReadsAWaveDeltaAndItsMarginAfterRoundingAlsoOnADarkImage() {
        PerturbationMethod m = method("ar-multiscale:wave=1");
        MultiscaleArFilter filter = MultiscaleArFilter.of(m, bank);
        ArFilterClassifier filters = new ArFilterClassifier(bank);
        int byFilters = 0;
        for (int k = 0; k < 10; k++) {
            Image8 photo = SyntheticImages.natural(k, 32, 32, 3);
            Perturbation d =
                    Perturbation.delta(photo, new Protector(m).protect(photo, k, "r" + k).image());
            assertThat(filter.classify(d)).as("class %d", k).isEqualTo(k);
            assertThat(filter.margin(d, k)).isGreaterThan(0.5);
            assertThat(filter.margin(d, (k + 1) % 10)).isNegative();
            byFilters += filters.classify(d) == k ? 1 : 0;
        }
        // the AR filters alone miss some: what the wave reading is for
        assertThat(byFilters).isLessThan(10);
        // clipped on a near-black image: the headroom keeps the budget and the wave named
        byte[] px = new byte[32 * 32 * 3];
        java.util.Arrays.fill(px, (byte) 6);
        Image8 dark = Image8.wrap(32, 32, 3, px, null);
        for (int k = 0; k < 10; k++) {
            ProtectedResult r = new Protector(m).protect(dark, k, "dark" + k);
            assertThat(r.delivered().l2Ratio()).isGreaterThan(0.9);
            assertThat(filter.classify(Perturbation.delta(dark, r.image()))).isEqualTo(k);
        }
        // a large image's wave is read on the 32-cell grid, as the audit reads it
        for (int k : new int[] {2, 8}) {
            Image8 big = SyntheticImages.natural(k, 256, 192, 3);
            Perturbation d =
                    Perturbation.delta(big, new Protector(m).protect(big, k, "big" + k).image());
            assertThat(filter.classify(d)).isEqualTo(k);
            assertThat(filter.margin(d, k)).isGreaterThan(0.5);
        }
        // an AR delta is still read by the filters
        Perturbation ar = method("ar-paper").perturbation(6, "a", 32, 32, 3);
        assertThat(filter.classify(ar)).isEqualTo(filters.classify(ar)).isEqualTo(6);
    }

    /** The share of v's energy on class k's wave (both phases), for an h x w RGB field. */
    private static double waveShare(double[] v, int k, int h, int w) {
        double[] cos = new double[v.length];
        double[] sin = new double[v.length];
        ClassWave.unitRmsInto(cos, k, 0, h, w, 3);
        ClassWave.unitRmsInto(sin, k, 0.25, h, w, 3);
        // cos and sin of one frequency over a window of non-integer cycles: not quite orthogonal
        double cc = dot(cos, cos), ss = dot(sin, sin), cs = dot(cos, sin);
        double a = dot(v, cos), b = dot(v, sin);
        double det = cc * ss - cs * cs;
        double x = (a * ss - b * cs) / det, y = (b * cc - a * cs) / det;
        return (x * a + y * b) / dot(v, v);
    }

    private static double dot(double[] x, double[] y) {
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d += x[i] * y[i];
        }
        return d;
    }

    private static double correlation(double[] x, double[] y) {
        double dot = 0, xx = 0, yy = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        return dot / Math.sqrt(xx * yy);
    }

    private static double[] chroma(double[] rgb, int pixel) {
        double r = rgb[3 * pixel], g = rgb[3 * pixel + 1], b = rgb[3 * pixel + 2];
        return new double[] {
            -0.168736 * r - 0.331264 * g + 0.5 * b, 0.5 * r - 0.418688 * g - 0.081312 * b
        };
    }

    /** The share of the delivered delta that a pipeline keeps: its projection on the delta. */
    private double keptAfter(PerturbationMethod m, ScraperPipeline pipeline) {
        Image8 photo = Image8.wrap(32, 32, 3, grey(32, 32), null);
        double kept = 0;
        for (int k = 0; k < 10; k++) {
            Image8 prot = new Protector(m).protect(photo, k, "kept" + k).image();
            double[] d = Perturbation.delta(photo, prot).values();
            double[] s =
                    Perturbation.delta(pipeline.apply(photo, k), pipeline.apply(prot, k)).values();
            double dot = 0;
            double nn = 0;
            for (int i = 0; i < d.length; i++) {
                dot += d[i] * s[i];
                nn += d[i] * d[i];
            }
            kept += dot / nn / 10;
        }
        return kept;
    }

    private static double channelCorrelation(double[] v) {
        double sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
        int n = v.length / 3;
        for (int i = 0; i < v.length; i += 3) {
            sx += v[i];
            sy += v[i + 1];
            sxy += v[i] * v[i + 1];
            sxx += v[i] * v[i];
            syy += v[i + 1] * v[i + 1];
        }
        double cov = sxy / n - sx / n * sy / n;
        return cov / Math.sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n));
    }

    @Test
    void unknownNamesAndOtherBackendsAreClearErrors() {
        assertThatThrownBy(() -> method("ar-fancy")).hasMessageContaining("ar-paper, ar-tiled");
        assertThatThrownBy(
                        () -> ArVariants.create("ar-tiled", bank, key, Budget.defaultL2(), "djl"))
                .hasMessageContaining("runs on java");
        assertThatThrownBy(() -> method("ar-multiscale:32=x")).hasMessageContaining("GRID=SHARE");
    }

    /** A mid-grey textured picture: nothing clips, so the delta is the perturbation rounded. */
    private static byte[] grey(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (110 + (i * 7919 % 37));
        }
        return px;
    }
}
