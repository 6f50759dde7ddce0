package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.Protector;
import io.scrapeguard.imaging.Image8;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The audit names the label in a delta protected by a class's chroma wave, which the AR filters do
 * not, and still reads Algorithm 2 by the filters; after a scraper's JPEG too.
 */
class IntegrityClassWaveTest {

    private static AuditSample sample(PerturbationMethod m, int size, boolean jpeg75)
            throws Exception {
        return sample(m, size, jpeg75, false);
    }

    /** With {@code halfFlat}, every other image is one flat grey with a level of noise. */
    private static AuditSample sample(
            PerturbationMethod m, int size, boolean jpeg75, boolean halfFlat) throws Exception {
        return sample(m, size, jpeg75, halfFlat, null);
    }

    /** ... and with a scraper pipeline applied to the original and the protected copy. */
    private static AuditSample sample(
            PerturbationMethod m,
            int size,
            boolean jpeg75,
            boolean halfFlat,
            io.scrapeguard.imaging.scraper.ScraperPipeline scraper)
            throws Exception {
        Random rng = new Random(9);
        Protector protector = new Protector(m);
        List<ImagePair> pairs = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            for (int j = 0; j < 30; j++) {
                byte[] px = new byte[size * size * 3];
                boolean flat = halfFlat && j % 2 == 0;
                for (int i = 0; i < px.length; i++) {
                    px[i] = (byte) (flat ? 120 + rng.nextInt(2) : 70 + rng.nextInt(110));
                }
                Image8 raw = Image8.wrap(size, size, 3, px, null);
                Image8 prot = protector.protect(raw, k, k + "-" + j).image();
                if (scraper != null) {
                    raw = scraper.apply(raw, j);
                    prot = scraper.apply(prot, j);
                }
                AuditImage r = AuditImage.of(raw), p = AuditImage.of(prot);
                if (jpeg75) {
                    r = r.jpegRoundTrip(0.75f);
                    p = p.jpegRoundTrip(0.75f);
                }
                pairs.add(new ImagePair(k + "-" + j, "label-" + k, r, p));
            }
        }
        return AuditSample.split(pairs, 0.3, 2, 10, 1, new SkipCounts());
    }

    private static PerturbationMethod method(String spec) {
        return ArVariants.create(
                spec, ProcessBank.paperDefault(), Fixtures.KEY, Budget.defaultL2());
    }

    @Test
    void aClassWaveIsReadByItsWaveAndAlgorithm2ByTheFilters() throws Exception {
        DeltaClassifier filters = BankClassifiers.load(null);

        Integrity wave =
                Integrity.measure(sample(method("ar-multiscale:wave=1"), 32, false), filters);
        assertThat(wave.filterAccuracy()).isGreaterThan(0.95);
        assertThat(wave.readAt()).isEqualTo("class wave");
        assertThat(wave.waveShare()).isEqualTo(1.0);
        assertThat(wave.accuracyLine("1.000")).isEqualTo("class-wave accuracy 1.000");
        assertThat(wave.namedBy()).isEqualTo("class waves name");

        Integrity afterJpeg =
                Integrity.measure(sample(method("ar-multiscale:wave=1"), 32, true), filters);
        assertThat(afterJpeg.filterAccuracy()).isGreaterThan(0.9);
        assertThat(afterJpeg.wave()).isTrue();

        Integrity larger =
                Integrity.measure(sample(method("ar-multiscale:wave=1"), 64, false), filters);
        assertThat(larger.filterAccuracy()).isGreaterThan(0.95);
        assertThat(larger.readAt()).isEqualTo("class wave on the 32-cell grid");
        assertThat(larger.accuracyLine("99.0%"))
                .isEqualTo("class-wave accuracy 99.0% on the 32-cell grid");

        Integrity paper = Integrity.measure(sample(method("ar-paper"), 32, false), filters);
        assertThat(paper.filterAccuracy()).isGreaterThan(0.95);
        assertThat(paper.wave()).isFalse();
        assertThat(paper.waveShare()).isEqualTo(0.0);
        assertThat(paper.accuracyLine("1.000")).startsWith("AR-filter accuracy 1.000");
        assertThat(paper.namedBy()).isEqualTo("AR-filter classifier names");
    }

    @Test
    void theDefaultIsReadByTheWaveOnTexturedImagesAndByTheFiltersOnFlatOnes() throws Exception {
        DeltaClassifier filters = BankClassifiers.load(null);
        AuditSample mixed = sample(method("ar-multiscale"), 32, false, true);

        Integrity i = Integrity.measure(mixed, filters);

        // neither reading alone names more than the half it reads (plus chance on the rest)
        assertThat(i.filterAccuracy()).isGreaterThan(0.95);
        assertThat(i.mixed()).isTrue();
        // the wave reads the textured half (odd j), the filters the flat half
        double textured =
                mixed.test().stream()
                                .filter(p -> Integer.parseInt(p.id().split("-")[1]) % 2 == 1)
                                .count()
                        / (double) mixed.test().size();
        assertThat(i.waveShare()).isCloseTo(textured, org.assertj.core.api.Assertions.within(0.03));
        assertThat(i.readAt())
                .isEqualTo(
                        String.format(
                                java.util.Locale.ROOT,
                                "class wave on %.0f%% of the deltas, AR filters on the rest",
                                100 * i.waveShare()));
        assertThat(i.accuracyLine("98.0%")).isEqualTo("class-wave/AR-filter accuracy 98.0%");
        assertThat(i.namedBy()).isEqualTo("class waves and AR filters name");
    }

    @Test
    void aScraperThatFitsThePublicWavesOutLeavesNoWaveToReadButAlgorithm2Whole() throws Exception {
        DeltaClassifier filters = BankClassifiers.load(null);
        var unwave = io.scrapeguard.imaging.scraper.ScraperPipeline.parse("unwave");

        Integrity wave =
                Integrity.measure(
                        sample(method("ar-multiscale:wave=1"), 32, false, false, unwave), filters);
        // near chance (10%): what is left is rounding
        assertThat(wave.filterAccuracy()).isLessThan(0.3);

        Integrity paper =
                Integrity.measure(sample(method("ar-paper"), 32, false, false, unwave), filters);
        assertThat(paper.filterAccuracy()).isGreaterThan(0.95);
        assertThat(paper.meanL2()).isGreaterThan(0.9 * Budget.defaultL2().epsilonFor(32, 32, 3));
    }
}
