package io.scrapeguard.auditor;

import java.util.Locale;
import java.util.Map;

/** The few lines a person reads after an audit. */
public final class AuditSummary {
    private AuditSummary() {}

    /**
     * The pipeline x signal matrix in a few lines: verdict, delivered L2 and PSNR, integrity, probe
     * (control), canaries clean/protected, follow rates, protection score; "-" where not measured.
     * Pipelines outside the threat model are marked.
     */
    public static String matrix(AuditResult r) {
        StringBuilder b =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "  %-20s %-9s %6s %5s %6s %13s %13s %13s %5s%n",
                                "scraper",
                                "verdict",
                                "L2",
                                "PSNR",
                                "AR",
                                "probe (ctrl)",
                                "clean/prot",
                                "follow c/p",
                                "score"));
        for (ScraperResult s : r.scrapers()) {
            CanaryReading c = s.canaries();
            b.append(
                    String.format(
                            Locale.ROOT,
                            "  %-20s %-9s %6.3f %5.1f %6s %13s %13s %13s %5s%n",
                            s.name() + (r.threatModel().contains(s.name()) ? "" : "*"),
                            s.verdict().level(),
                            s.integrity().meanL2(),
                            s.integrity().psnr(),
                            HtmlReport.pct0(s.integrity().filterAccuracy()),
                            HtmlReport.pct0(s.separability().probeAccuracy())
                                    + " ("
                                    + HtmlReport.pct0(s.separability().controlAccuracy())
                                    + ")",
                            c == null
                                    ? "-"
                                    : HtmlReport.pct0(c.clean().finalAccuracy())
                                            + "/"
                                            + HtmlReport.pct0(c.protectedCanary().finalAccuracy()),
                            c == null
                                    ? "-"
                                    : HtmlReport.pct0(c.clean().followRate())
                                            + "/"
                                            + HtmlReport.pct0(c.protectedCanary().followRate()),
                            c == null ? "-" : HtmlReport.score(c.scoreFinal())));
        }
        if (r.scrapers().stream().anyMatch(s -> !r.threatModel().contains(s.name()))) {
            b.append("  * measured for the top-level figures, not in the threat model\n");
        }
        if (r.scrapers().stream().anyMatch(s -> !s.canariesRan())) {
            b.append(
                    "  - no canaries for this pipeline in this profile: efficacy not"
                            + " measured\n");
        }
        return b.toString();
    }

    public static String text(AuditResult r) {
        StringBuilder b = new StringBuilder();
        if (!r.completed()) {
            b.append("audit ")
                    .append(r.outcome().name().toLowerCase(Locale.ROOT))
                    .append(": ")
                    .append(r.reason())
                    .append('\n');
            if (!r.skipped().isEmpty()) {
                b.append("  skipped: ").append(r.skipped()).append('\n');
            }
            return b.toString();
        }
        Integrity i = r.integrity();
        Separability s = r.separability();
        CanarySummary c = r.clean(), p = r.protectedCanary();
        b.append(
                String.format(
                        Locale.ROOT,
                        "verdict: %s (%s)%n  %s%n",
                        r.verdict().level(),
                        r.verdict().brief(),
                        r.verdict().reason()));
        b.append(matrix(r));
        b.append(
                String.format(
                        Locale.ROOT,
                        "profile %s; %d pairs (%d train / %d test), %s, %d" + " labels%n",
                        r.profile().name(),
                        r.pairs(),
                        r.trainPairs(),
                        r.testPairs(),
                        r.imageShape(),
                        r.labels().size()));
        b.append(
                String.format(
                        Locale.ROOT,
                        "integrity     %s; delivered L2"
                                + " %.3f, Linf %.1f/255; PSNR %.1f dB, SSIM %.4f%n",
                        i.accuracyLine(HtmlReport.pct(i.filterAccuracy())),
                        i.meanL2(),
                        255 * i.meanLinf(),
                        i.psnr(),
                        i.meanSsim()));
        b.append(
                String.format(
                        Locale.ROOT,
                        "separability  probe %s (loss < 0.5 at step %s),"
                                + " control %s; linear %s train / %s held-out%n",
                        HtmlReport.pct(s.probeAccuracy()),
                        s.probeStepsToLoss05(),
                        HtmlReport.pct(s.controlAccuracy()),
                        HtmlReport.pct(s.linearTrainAccuracy()),
                        HtmlReport.pct(s.linearHeldoutAccuracy())));
        if (c != null) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "canaries      clean %s final / %s peak, protected %s final / %s peak;"
                                    + " follow rate clean %s, protected %s%n",
                            HtmlReport.pct(c.finalAccuracy()),
                            HtmlReport.pct(c.peakAccuracy()),
                            HtmlReport.pct(p.finalAccuracy()),
                            HtmlReport.pct(p.peakAccuracy()),
                            HtmlReport.pct(c.followRate()),
                            HtmlReport.pct(p.followRate())));
            b.append(
                    String.format(
                            Locale.ROOT,
                            "efficacy      protection score %s final, %s" + " peak%n",
                            HtmlReport.score(r.efficacy().scoreFinal()),
                            HtmlReport.score(r.efficacy().scorePeak())));
        } else {
            b.append(
                    "canaries      none at native size for this profile: efficacy not"
                            + " measured there\n");
        }
        for (AuditResult.Dilution d : r.dilution()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "dilution      %.0f%% protected (%s):"
                                    + " protection score %s, follow rate %s%n",
                            100 * d.fraction(),
                            d.pipeline(),
                            HtmlReport.score(d.scoreFinal()),
                            HtmlReport.pct(d.followRate())));
        }
        for (AuditResult.Defence d : r.defences().values()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "defence       %s: protected canary %s final, %s" + " peak%n",
                            d.name(),
                            HtmlReport.pct(d.finalAccuracy()),
                            HtmlReport.pct(d.peakAccuracy())));
        }
        if (!r.skipped().isEmpty()) {
            b.append("skipped       ").append(r.skipped()).append('\n');
        }
        double total = r.stageSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
        b.append(String.format(Locale.ROOT, "cost          %.1f s:", total));
        for (Map.Entry<String, Double> e : r.stageSeconds().entrySet()) {
            b.append(String.format(Locale.ROOT, " %s %.1f", e.getKey(), e.getValue()));
        }
        return b.append('\n').toString();
    }
}
