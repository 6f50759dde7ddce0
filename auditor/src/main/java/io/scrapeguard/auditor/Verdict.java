package io.scrapeguard.auditor;

import java.util.Locale;

/** The audit's conclusion, the signal that decided it and why, in words. */
public record Verdict(Level level, String signal, String reason) {

    public enum Level {
        PROTECTED,
        WEAK,
        FAILING
    }

    static Verdict decide(Integrity integrity, Separability sep, CanarySummary clean,
            CanarySummary prot, double chance, AuditProfile profile, Thresholds t) {
        if (integrity.available() && integrity.filterAccuracy() < t.integrityFail()) {
            return new Verdict(Level.FAILING, "integrity", String.format(Locale.ROOT,
                    "the AR-filter classifier names the label's process for only %.1f%% of the"
                            + " published deltas (FAILING below %.0f%%): the perturbation is"
                            + " not in the published bytes, or not AR",
                    100 * integrity.filterAccuracy(), 100 * t.integrityFail()));
        }
        if (sep.probeAccuracy() < t.probeFail()) {
            return new Verdict(Level.FAILING, "separability", String.format(Locale.ROOT,
                    "a probe trained on the perturbation alone names the class of %.1f%% of"
                            + " held-out deltas (FAILING below %.0f%%): the perturbation"
                            + " carries no class shortcut",
                    100 * sep.probeAccuracy(), 100 * t.probeFail()));
        }
        boolean canaryDecides = t.canaryDecides() != null ? t.canaryDecides()
                : profile.canaryDecides();
        double scorePeak = CanarySummary.protectionScore(prot.peakAccuracy(),
                clean.peakAccuracy(), chance);
        boolean cleanLearned = clean.peakAccuracy() - chance >= t.minCleanGain();
        if (integrity.available() && integrity.filterAccuracy() < t.integrityWeak()) {
            return new Verdict(Level.WEAK, "integrity", String.format(Locale.ROOT,
                    "only %.1f%% of published deltas keep their AR process (WEAK below %.0f%%):"
                            + " re-encoding or clipping is eroding the perturbation",
                    100 * integrity.filterAccuracy(), 100 * t.integrityWeak()));
        }
        if (sep.probeAccuracy() < t.probeWeak()) {
            return new Verdict(Level.WEAK, "separability", String.format(Locale.ROOT,
                    "the perturbation-only probe reaches %.1f%% held-out (WEAK below %.0f%%)",
                    100 * sep.probeAccuracy(), 100 * t.probeWeak()));
        }
        if (sep.controlAccuracy() > t.controlMax()) {
            return new Verdict(Level.WEAK, "separability-control", String.format(Locale.ROOT,
                    "the probe's control on class-free noise reaches %.1f%% (above %.0f%%):"
                            + " the sample is too small for the probe to be trusted",
                    100 * sep.controlAccuracy(), 100 * t.controlMax()));
        }
        if (canaryDecides && cleanLearned && !(scorePeak >= t.scoreWeak())) {
            return new Verdict(Level.WEAK, "efficacy", String.format(Locale.ROOT,
                    "a canary trained on the protected images reaches %.1f%% peak clean accuracy"
                            + " against %.1f%% for its clean twin: protection score %.2f on"
                            + " peak accuracy (WEAK below %.2f)",
                    100 * prot.peakAccuracy(), 100 * clean.peakAccuracy(), scorePeak,
                    t.scoreWeak()));
        }
        String base = String.format(Locale.ROOT,
                "%s; the perturbation-only probe names %.1f%% of held-out classes (control"
                        + " %.1f%%)",
                integrity.available()
                        ? String.format(Locale.ROOT,
                                "%.1f%% of published deltas keep their label's AR process",
                                100 * integrity.filterAccuracy())
                        : "integrity not measured (no process bank)",
                100 * sep.probeAccuracy(), 100 * sep.controlAccuracy());
        if (canaryDecides && cleanLearned) {
            return new Verdict(Level.PROTECTED, "integrity+separability+efficacy",
                    base + String.format(Locale.ROOT, "; protection score %.2f on peak accuracy",
                            scorePeak));
        }
        return new Verdict(Level.PROTECTED, "integrity+separability", base
                + (canaryDecides
                        ? "; the clean canary did not learn enough for an efficacy reading"
                        : "; the " + profile.name() + " canaries are reported but not"
                                + " decisive (a small CPU canary cannot show the paper's"
                                + " efficacy: use --profile paper on a GPU)"));
    }
}
