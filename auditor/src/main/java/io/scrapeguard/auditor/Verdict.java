package io.scrapeguard.auditor;

import java.util.Collection;
import java.util.Locale;

/**
 * A conclusion, the signal that decided it, why in words, and the few words a matrix cell or an
 * alert shows ({@code brief}, e.g. "probe 71%").
 */
public record Verdict(Level level, String signal, String reason, String brief) {

    public enum Level {
        PROTECTED,
        WEAK,
        FAILING
    }

    /**
     * One pipeline's verdict. Canaries decide wherever the clean one learned enough (a probe can
     * read a perturbation that a trained model never uses); elsewhere integrity and the probe
     * decide and the reason says that efficacy was not measured. Defence canaries lower it.
     */
    static Verdict decide(
            Integrity integrity,
            Separability sep,
            CanaryReading canaries,
            Collection<AuditResult.Defence> defences,
            Thresholds t) {
        String cheap = cheapFigures(integrity, sep);
        if (canaries != null && t.canariesMayDecide() && canaries.cleanLearned(t)) {
            return byCanaries(canaries, defences, cheap, t);
        }
        String why =
                canaries == null
                        ? "efficacy not measured (no canaries for this pipeline)"
                        : !t.canariesMayDecide()
                                ? "canaries reported but not decisive (canary.decides=false)"
                                : String.format(
                                        Locale.ROOT,
                                        "efficacy not measured: the clean canary peaked at %.1f%%"
                                            + " against chance %.1f%% (it needs %.0f points above"
                                            + " chance: more pairs or epochs)",
                                        100 * canaries.clean().peakAccuracy(),
                                        100 * canaries.chance(),
                                        100 * t.minCleanGain());
        Verdict v = byCheapSignals(integrity, sep, t);
        return v != null
                ? new Verdict(v.level(), v.signal(), v.reason() + "; " + why, v.brief())
                : new Verdict(
                        Level.PROTECTED,
                        "integrity+separability",
                        cheap + "; " + why,
                        brief("probe", sep.probeAccuracy()) + ", efficacy not measured");
    }

    /** The verdict of integrity and the probes alone, or null where they find nothing wrong. */
    private static Verdict byCheapSignals(Integrity integrity, Separability sep, Thresholds t) {
        if (integrity.available() && integrity.filterAccuracy() < t.integrityFail()) {
            return new Verdict(
                    Level.FAILING,
                    "integrity",
                    String.format(
                            Locale.ROOT,
                            "%s the label's process for only %.1f%% of the delivered deltas"
                                    + " (FAILING below %.0f%%): the perturbation is not in the"
                                    + " delivered bytes, or not AR",
                            "the " + integrity.namedBy(),
                            100 * integrity.filterAccuracy(),
                            100 * t.integrityFail()),
                    brief("integrity", integrity.filterAccuracy()));
        }
        if (sep.probeAccuracy() < t.probeFail()) {
            return new Verdict(
                    Level.FAILING,
                    "separability",
                    String.format(
                            Locale.ROOT,
                            "a probe trained on the perturbation alone names the class of %.1f%% of"
                                    + " held-out deltas (FAILING below %.0f%%): the perturbation"
                                    + " carries no class shortcut",
                            100 * sep.probeAccuracy(),
                            100 * t.probeFail()),
                    brief("probe", sep.probeAccuracy()));
        }
        if (integrity.available() && integrity.filterAccuracy() < t.integrityWeak()) {
            return new Verdict(
                    Level.WEAK,
                    "integrity",
                    String.format(
                            Locale.ROOT,
                            "only %.1f%% of delivered deltas keep their AR process (WEAK below"
                                    + " %.0f%%): re-encoding, resizing or clipping is eroding the"
                                    + " perturbation",
                            100 * integrity.filterAccuracy(),
                            100 * t.integrityWeak()),
                    brief("integrity", integrity.filterAccuracy()));
        }
        if (sep.probeAccuracy() < t.probeWeak()) {
            return new Verdict(
                    Level.WEAK,
                    "separability",
                    String.format(
                            Locale.ROOT,
                            "the perturbation-only probe reaches %.1f%% held-out (WEAK below"
                                    + " %.0f%%)",
                            100 * sep.probeAccuracy(),
                            100 * t.probeWeak()),
                    brief("probe", sep.probeAccuracy()));
        }
        if (sep.controlAccuracy() > t.controlMax()) {
            return new Verdict(
                    Level.WEAK,
                    "separability-control",
                    String.format(
                            Locale.ROOT,
                            "the probe's control on class-free noise reaches %.1f%% (above %.0f%%):"
                                    + " the sample is too small for the probe to be trusted",
                            100 * sep.controlAccuracy(),
                            100 * t.controlMax()),
                    brief("control", sep.controlAccuracy()));
        }
        return null;
    }

    private static Verdict byCanaries(
            CanaryReading c, Collection<AuditResult.Defence> defences, String cheap, Thresholds t) {
        double score = c.scoreFinal(), follow = c.followGain();
        String figures =
                String.format(
                        Locale.ROOT,
                        "canaries: clean %.1f%%, protected %.1f%% (chance %.1f%%), protection score"
                                + " %.2f; follow rate %.1f%% protected vs %.1f%% clean",
                        100 * c.clean().finalAccuracy(),
                        100 * c.protectedCanary().finalAccuracy(),
                        100 * c.chance(),
                        score,
                        100 * c.protectedCanary().followRate(),
                        100 * c.clean().followRate());
        String brief =
                String.format(
                        Locale.ROOT,
                        "canaries: score %.2f, follow %.0f%% vs %.0f%%",
                        score,
                        100 * c.protectedCanary().followRate(),
                        100 * c.clean().followRate());
        boolean followed = follow >= t.minFollowGain();
        if (!(score >= t.scoreFail()) && !followed) {
            return new Verdict(
                    Level.FAILING,
                    "efficacy",
                    figures
                            + String.format(
                                    Locale.ROOT,
                                    ": the protected canary learned the classes and not the"
                                            + " perturbation (FAILING below score %.2f without a"
                                            + " %.0f-point follow gain); %s",
                                    t.scoreFail(),
                                    100 * t.minFollowGain(),
                                    cheap),
                    brief);
        }
        if (!(score >= t.scoreWeak()) || !followed) {
            return new Verdict(
                    Level.WEAK,
                    "efficacy",
                    figures
                            + String.format(
                                    Locale.ROOT,
                                    " (WEAK below score %.2f or a follow gain under %.0f points);"
                                            + " %s",
                                    t.scoreWeak(),
                                    100 * t.minFollowGain(),
                                    cheap),
                    brief);
        }
        for (AuditResult.Defence d : defences) {
            if (!(d.protectionScoreFinal() >= t.scoreWeak())) {
                return new Verdict(
                        Level.WEAK,
                        "defence:" + d.name(),
                        String.format(
                                Locale.ROOT,
                                "%s; but trained on %s the protected canary reaches %.1f%%:"
                                        + " protection score %.2f (WEAK below %.2f)",
                                figures,
                                d.description(),
                                100 * d.finalAccuracy(),
                                d.protectionScoreFinal(),
                                t.scoreWeak()),
                        String.format(
                                Locale.ROOT,
                                "defence %s: score %.2f",
                                d.name(),
                                d.protectionScoreFinal()));
            }
        }
        return new Verdict(Level.PROTECTED, "efficacy", figures + "; " + cheap, brief);
    }

    private static String cheapFigures(Integrity integrity, Separability sep) {
        return String.format(
                Locale.ROOT,
                "%s; the perturbation-only probe names %.1f%% of held-out classes (control"
                        + " %.1f%%)",
                integrity.available()
                        ? String.format(
                                Locale.ROOT,
                                "%.1f%% of delivered deltas keep their label's %s%s",
                                100 * integrity.filterAccuracy(),
                                integrity.wave() ? "process" : "AR process",
                                integrity.readAt().isEmpty()
                                        ? ""
                                        : (integrity.wave() ? " (read by " : " (read at ")
                                                + integrity.readAt()
                                                + ")")
                        : "integrity not measured (no process bank)",
                100 * sep.probeAccuracy(),
                100 * sep.controlAccuracy());
    }

    private static String brief(String signal, double fraction) {
        return String.format(Locale.ROOT, "%s %.0f%%", signal, 100 * fraction);
    }

    /**
     * The worst of the pipelines' verdicts (the first in threat-model order on ties), its reason
     * naming the pipeline; PROTECTED names them all.
     */
    static Verdict worst(java.util.List<ScraperResult> threatModel) {
        ScraperResult worst = threatModel.get(0);
        for (ScraperResult r : threatModel) {
            if (r.verdict().level().compareTo(worst.verdict().level()) > 0) {
                worst = r;
            }
        }
        Verdict v = worst.verdict();
        String brief = worst.name() + ": " + v.brief();
        if (v.level() != Level.PROTECTED) {
            return new Verdict(v.level(), v.signal(), worst.name() + ": " + v.reason(), brief);
        }
        long unmeasured = threatModel.stream().filter(r -> !r.efficacyMeasured()).count();
        String names = String.join(", ", threatModel.stream().map(ScraperResult::name).toList());
        return new Verdict(
                Level.PROTECTED,
                v.signal(),
                String.format(
                        Locale.ROOT,
                        "protected against every pipeline of the threat model (%s)%s; %s: %s",
                        names,
                        unmeasured == 0
                                ? ""
                                : "; efficacy not measured for "
                                        + unmeasured
                                        + " of "
                                        + threatModel.size(),
                        worst.name(),
                        v.reason()),
                brief);
    }
}
