package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.scrapeguard.imaging.Image8;
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
