package io.scrapeguard.auditor;

import io.scrapeguard.schemas.AuditFigure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An audit as the {@code AuditResult} record published on {@code guard.audit-reports}. */
public final class AuditRecords {
    private AuditRecords() {}

    public static io.scrapeguard.schemas.AuditReport toRecord(AuditResult r) {
        List<AuditFigure> figures = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("outcome", r.outcome().name());
        details.put("recipe", r.profile().describe());
        details.put("seed", Long.toString(r.seed()));
        details.put("skipped", r.skipped().toString());
        r.stageSeconds()
                .forEach(
                        (k, v) ->
                                details.put(
                                        "cost." + k + ".seconds",
                                        String.format(java.util.Locale.ROOT, "%.2f", v)));
        String verdict = "SKIPPED";
        String signal = null;
        if (r.completed()) {
            Thresholds t = r.thresholds();
            verdict = r.verdict().level().name();
            signal = r.verdict().signal();
            details.put("verdict.reason", r.verdict().reason());
            figure(
                    figures,
                    "integrity.filter_accuracy",
                    r.integrity().filterAccuracy(),
                    t.integrityWeak(),
                    true);
            figure(figures, "integrity.delivered_l2", r.integrity().meanL2(), null, true);
            figure(figures, "integrity.delivered_linf", r.integrity().meanLinf(), null, true);
            figure(figures, "integrity.psnr_db", r.integrity().psnr(), null, true);
            figure(figures, "integrity.ssim", r.integrity().meanSsim(), null, true);
            figure(
                    figures,
                    "separability.probe_accuracy",
                    r.separability().probeAccuracy(),
                    t.probeWeak(),
                    true);
            figure(
                    figures,
                    "separability.control_accuracy",
                    r.separability().controlAccuracy(),
                    t.controlMax(),
                    false);
            figure(
                    figures,
                    "separability.linear_train_accuracy",
                    r.separability().linearTrainAccuracy(),
                    null,
                    true);
            figure(
                    figures,
                    "separability.linear_heldout_accuracy",
                    r.separability().linearHeldoutAccuracy(),
                    null,
                    true);
            if (r.clean() != null) {
                canary(figures, "clean", r.clean());
                canary(figures, "protected", r.protectedCanary());
            }
            figure(
                    figures,
                    "efficacy.protection_score_final",
                    r.efficacy().scoreFinal(),
                    null,
                    true);
            figure(
                    figures,
                    "efficacy.protection_score_peak",
                    r.efficacy().scorePeak(),
                    t.scoreWeak(),
                    true);
            for (AuditResult.Defence d : r.defences().values()) {
                figure(
                        figures,
                        "defences." + d.name() + ".protected_final_accuracy",
                        d.finalAccuracy(),
                        null,
                        false);
            }
        } else {
            details.put("reason", r.reason());
        }
        List<io.scrapeguard.schemas.ScraperVerdict> scrapers = new ArrayList<>();
        List<io.scrapeguard.schemas.DilutionFigure> dilution = new ArrayList<>();
        if (r.completed()) {
            for (ScraperResult sr : r.scrapers()) {
                scrapers.add(scraper(sr, r.thresholds()));
            }
            for (AuditResult.Dilution d : r.dilution()) {
                dilution.add(
                        io.scrapeguard.schemas.DilutionFigure.newBuilder()
                                .setFraction(d.fraction())
                                .setPipeline(d.pipeline())
                                .setProtectionScoreFinal(
                                        Double.isFinite(d.scoreFinal()) ? d.scoreFinal() : null)
                                .build());
            }
        }
        return io.scrapeguard.schemas.AuditReport.newBuilder()
                .setReportId(r.id())
                .setTime(Instant.ofEpochMilli(r.createdAt().toEpochMilli()))
                .setProfile(r.profile().name())
                .setProtectedSamples(r.pairs())
                .setCleanSamples(r.pairs())
                .setClasses(r.labels().size())
                .setVerdict(verdict)
                .setDecidingSignal(signal)
                .setFigures(figures)
                .setDetails(details)
                .setThreatModel(new ArrayList<>(r.threatModel()))
                .setScrapers(scrapers)
                .setDilution(dilution)
                .build();
    }

    private static io.scrapeguard.schemas.ScraperVerdict scraper(ScraperResult sr, Thresholds t) {
        List<AuditFigure> figures = new ArrayList<>();
        figure(
                figures,
                "integrity.filter_accuracy",
                sr.integrity().filterAccuracy(),
                t.integrityWeak(),
                true);
        figure(figures, "integrity.delivered_l2", sr.integrity().meanL2(), null, true);
        figure(figures, "integrity.psnr_db", sr.integrity().psnr(), null, true);
        figure(figures, "integrity.ssim", sr.integrity().meanSsim(), null, true);
        figure(
                figures,
                "separability.probe_accuracy",
                sr.separability().probeAccuracy(),
                t.probeWeak(),
                true);
        figure(
                figures,
                "separability.control_accuracy",
                sr.separability().controlAccuracy(),
                t.controlMax(),
                false);
        CanaryReading c = sr.canaries();
        if (c != null) {
            figure(figures, "canary.clean.final_accuracy", c.clean().finalAccuracy(), null, true);
            figure(
                    figures,
                    "canary.protected.final_accuracy",
                    c.protectedCanary().finalAccuracy(),
                    null,
                    false);
            figure(figures, "canary.clean.follow_rate", c.clean().followRate(), null, false);
            figure(
                    figures,
                    "canary.protected.follow_rate",
                    c.protectedCanary().followRate(),
                    null,
                    true);
            figure(figures, "efficacy.protection_score_final", c.scoreFinal(), t.scoreWeak(), true);
        }
        return io.scrapeguard.schemas.ScraperVerdict.newBuilder()
                .setName(sr.name())
                .setVerdict(sr.verdict().level().name())
                .setDecidingSignal(sr.verdict().signal())
                .setBrief(sr.verdict().brief())
                .setEfficacyMeasured(sr.efficacyMeasured())
                .setFigures(figures)
                .build();
    }

    private static void canary(List<AuditFigure> out, String name, CanarySummary c) {
        figure(out, "canary." + name + ".final_accuracy", c.finalAccuracy(), null, true);
        figure(out, "canary." + name + ".peak_accuracy", c.peakAccuracy(), null, true);
        figure(out, "canary." + name + ".last5_accuracy", c.last5Accuracy(), null, true);
        figure(out, "canary." + name + ".follow_rate", c.followRate(), null, true);
        if (c.epochsToLoss05() != null) {
            figure(out, "canary." + name + ".epochs_to_loss_0_5", c.epochsToLoss05(), null, true);
        }
    }

    /** A figure; NaN values are left out (Avro doubles have no null). */
    private static void figure(
            List<AuditFigure> out,
            String name,
            double value,
            Double threshold,
            boolean higherIsBetter) {
        if (!Double.isFinite(value)) {
            return;
        }
        Boolean passed =
                threshold == null ? null : higherIsBetter ? value >= threshold : value <= threshold;
        out.add(
                AuditFigure.newBuilder()
                        .setName(name)
                        .setValue(value)
                        .setThreshold(threshold)
                        .setHigherIsBetter(higherIsBetter)
                        .setPassed(passed)
                        .build());
    }
}
