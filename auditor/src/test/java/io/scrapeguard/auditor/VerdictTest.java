package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decision rules on the measured figures: canaries decide wherever the clean canary
 * learned, a probe that reads the perturbation is not enough, integrity follows the method's
 * scales, and the worst pipeline decides.
 */
class VerdictTest {
    static final Thresholds T = Thresholds.defaults();
    static final Integrity INTACT =
            new Integrity(true, 1.0, 400, 0.5, 0.03, 0.05, 1, 0, 35, 0.98, false, false, 0);
    static final Separability PROBE =
            new Separability(0.998, 20, 0.1, null, 40, 0.5, 0.3, List.of(), List.of());

    static CanaryReading canaries(
            double clean, double prot, double cleanFollow, double protFollow) {
        return new CanaryReading(summary(clean, cleanFollow), summary(prot, protFollow), 0.1);
    }

    static CanarySummary summary(double acc, double follow) {
        return new CanarySummary(acc, acc, acc, follow, null, 0, 0, List.of());
    }

    @Test
    void canariesThatLearnedNothingOfThePerturbationFailDespiteAPerfectProbe() {
        // Tiled images resized to 32: probe 99.8%, score 0.02, follow rate 6% vs 6%.
        Verdict v = Verdict.decide(INTACT, PROBE, canaries(0.48, 0.4724, 0.06, 0.06), List.of(), T);
        assertThat(v.level()).isEqualTo(Verdict.Level.FAILING);
        assertThat(v.signal()).isEqualTo("efficacy");
        assertThat(v.brief()).isEqualTo("canaries: score 0.02, follow 6% vs 6%");
    }

    @Test
    void aPartialGapWithAFollowedShortcutIsWeak() {
        // 2,000 real 32x32 pairs: clean 48%, protected 30%, follow 6% vs 55%.
        Verdict v = Verdict.decide(INTACT, PROBE, canaries(0.48, 0.30, 0.06, 0.55), List.of(), T);
        assertThat(v.level()).isEqualTo(Verdict.Level.WEAK);
        assertThat(v.reason()).contains("protection score 0.47");
    }

    @Test
    void strongCanaryProtectionOverridesALowIntegrityReading() {
        Integrity low =
                new Integrity(true, 0.49, 400, 0.5, 0.03, 0.05, 1, 0, 35, 0.98, false, false, 0);
        Verdict v = Verdict.decide(low, PROBE, canaries(0.48, 0.18, 0.06, 0.94), List.of(), T);
        assertThat(v.level()).isEqualTo(Verdict.Level.PROTECTED);
        assertThat(v.signal()).isEqualTo("efficacy");
    }

    @Test
    void aDefenceThatUndoesTheProtectionLowersTheVerdict() {
        AuditResult.Defence jpeg =
                new AuditResult.Defence("jpeg75", "JPEG", 0.45, 0.45, 0.1, 0.08, null);
        Verdict v =
                Verdict.decide(INTACT, PROBE, canaries(0.48, 0.18, 0.06, 0.94), List.of(jpeg), T);
        assertThat(v.level()).isEqualTo(Verdict.Level.WEAK);
        assertThat(v.signal()).isEqualTo("defence:jpeg75");
    }

    @Test
    void aCleanCanaryNearChanceLeavesEfficacyUnmeasuredInPlainWords() {
        Verdict v = Verdict.decide(INTACT, PROBE, canaries(0.15, 0.12, 0.1, 0.1), List.of(), T);
        assertThat(v.level()).isEqualTo(Verdict.Level.PROTECTED);
        assertThat(v.signal()).isEqualTo("integrity+separability");
        assertThat(v.reason()).contains("efficacy not measured");
        assertThat(v.brief()).contains("efficacy not measured");
    }

    @Test
    void theWorstPipelineDecidesAndIsNamed() {
        Separability weakProbe =
                new Separability(0.71, null, 0.1, null, 40, 0.5, 0.3, List.of(), List.of());
        ScraperResult nat = row("native", Verdict.decide(INTACT, PROBE, null, List.of(), T));
        ScraperResult r64 = row("resize:64", Verdict.decide(INTACT, weakProbe, null, List.of(), T));
        Verdict v = Verdict.worst(List.of(nat, r64));
        assertThat(v.level()).isEqualTo(Verdict.Level.WEAK);
        assertThat(v.brief()).isEqualTo("resize:64: probe 71%");
        assertThat(v.reason()).startsWith("resize:64: ");
        assertThat(Verdict.worst(List.of(nat)).reason()).contains("efficacy not measured for 1");
    }

    static ScraperResult row(String name, Verdict v) {
        return new ScraperResult(name, "32x32x3", null, INTACT, PROBE, null, v, null, 0);
    }
}
