package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report says where the threat model leaves out a scraper that fits the public class waves out,
 * and only where the published deltas carry waves.
 */
class TargetedScraperNoteTest {
    private static Integrity read(double waveShare) {
        return new Integrity(
                true, 0.998, 400, 1.1, 0.04, 0.05, 1, 0, 34, 0.96, waveShare > 0, true, waveShare);
    }

    @Test
    void wavesWithoutUnwaveInTheThreatModelAreCalledOut() {
        assertThat(HtmlReport.targetedScraperNote(read(0.92), List.of("native", "jpeg:95")))
                .contains("codes are public", "--scraper unwave", "auditor.scrapers");
        assertThat(HtmlReport.targetedScraperNote(read(0.01), List.of("native")))
                .contains("codes are public");
    }

    @Test
    void noWavesOrUnwaveModelledSayNothing() {
        assertThat(HtmlReport.targetedScraperNote(read(0), List.of("native", "jpeg:95"))).isEmpty();
        assertThat(HtmlReport.targetedScraperNote(read(0.92), List.of("native", "unwave+jpeg:95")))
                .isEmpty();
        assertThat(
                        HtmlReport.targetedScraperNote(
                                new Integrity(
                                        false,
                                        Double.NaN,
                                        0,
                                        1,
                                        0,
                                        0,
                                        1,
                                        0,
                                        34,
                                        0.9,
                                        false,
                                        false,
                                        Double.NaN),
                                List.of("native")))
                .isEmpty();
    }
}
