package io.scrapeguard.auditor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes an audit as a folder: {@code index.html}, {@code report.json} and the pictures as PNG
 * files beside them. The page needs no network and no script.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** Writes the report into {@code dir} (created); returns the HTML file. */
    public static Path write(AuditResult r, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, BufferedImage> e : r.pictures().entrySet()) {
            ImageIO.write(e.getValue(), "png", dir.resolve(e.getKey()).toFile());
        }
        for (int k = 0; k < r.scrapers().size(); k++) {
            ImageIO.write(
                    r.scrapers().get(k).sample(), "png", dir.resolve(scraperPicture(k)).toFile());
        }
        Files.writeString(dir.resolve("report.json"), ReportJson.write(r), StandardCharsets.UTF_8);
        Path html = dir.resolve("index.html");
        Files.writeString(html, html(r), StandardCharsets.UTF_8);
        return html;
    }

    public static String html(AuditResult r) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>ScrapeGuard audit ")
                .append(esc(r.id()))
                .append("</title><style>")
                .append("body{font-family:sans-serif;max-width:1100px;margin:24px auto;color:#222}")
                .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;")
                .append("padding:4px 10px;text-align:right}th{background:#f4f4f4}")
                .append("td:first-child,th:first-child{text-align:left}")
                .append(".v{display:inline-block;padding:6px 14px;border-radius:4px;color:#fff;")
                .append("font-weight:bold}.PROTECTED{background:#2ca02c}.WEAK{background:#e69a00}")
                .append(".FAILING,.SKIPPED{background:#d62728}img{max-width:100%}")
                .append("td.PROTECTED{background:#c7e9c0}td.WEAK{background:#fdd49e}")
                .append("td.FAILING{background:#fcbba1}td.NA{color:#888}")
                .append("</style></head><body>");
        b.append("<h1>ScrapeGuard audit</h1><p>")
                .append(esc(r.id()))
                .append(" &middot; ")
                .append(esc(r.createdAt().toString()))
                .append(" &middot; profile <b>")
                .append(esc(r.profile().name()))
                .append("</b> (")
                .append(esc(r.profile().describe()))
                .append(")</p>");
        if (!r.completed()) {
            b.append("<p><span class=\"v SKIPPED\">")
                    .append(r.outcome())
                    .append("</span> ")
                    .append(esc(r.reason()))
                    .append("</p>");
            b.append(skipped(r)).append(cost(r)).append("</body></html>");
            return b.toString();
        }
        Verdict v = r.verdict();
        b.append("<p><span class=\"v ")
                .append(v.level())
                .append("\">")
                .append(v.level())
                .append("</span> <b>")
                .append(esc(v.brief()))
                .append("</b>, decided by <b>")
                .append(esc(v.signal()))
                .append("</b>: ")
                .append(esc(v.reason()))
                .append("</p>");
        b.append(
                String.format(
                        Locale.ROOT,
                        "<p>%d pairs (%d train, %d test) of %s images in %d labels; seed %d.</p>",
                        r.pairs(),
                        r.trainPairs(),
                        r.testPairs(),
                        esc(r.imageShape()),
                        r.labels().size(),
                        r.seed()));
        b.append(matrix(r));
        Integrity i = r.integrity();
        Separability s = r.separability();
        b.append("<h2>Native size: integrity and separability</h2><table><tr><th>signal</th>")
                .append("<th>value</th>")
                .append("<th>what it means</th></tr>");
        row(
                b,
                "AR-filter accuracy on published deltas",
                pct(i.filterAccuracy()),
                "share of test deltas whose AR process is the one of their label; the paper's"
                        + " processes give 100% on intact deltas, about 23% after JPEG"
                        + " re-encoding at quality 75");
        row(
                b,
                "delivered L2 / Linf (mean)",
                String.format(
                        Locale.ROOT,
                        "%.3f / %.4f (%.1f/255)",
                        i.meanL2(),
                        i.meanLinf(),
                        255 * i.meanLinf()),
                "published - raw, [0, 1] units");
        row(
                b,
                "PSNR / SSIM",
                String.format(Locale.ROOT, "%.1f dB / %.4f", i.psnr(), i.meanSsim()),
                "protected against clean: PSNR of the squared error pooled over all pairs, SSIM"
                        + " the mean over up to "
                        + Integrity.SSIM_PAIRS
                        + " held-out pairs");
        row(
                b,
                "perturbation-only CNN probe, held-out",
                pct(s.probeAccuracy()),
                "steps until training loss &lt; 0.5: "
                        + s.probeStepsToLoss05()
                        + " of "
                        + s.probeSteps());
        row(
                b,
                "control: same probe on class-free noise",
                pct(s.controlAccuracy()),
                "same norms, no class: should stay near chance ("
                        + pct(r.efficacy().chance())
                        + ")");
        row(
                b,
                "linear probe on delta, train / held-out",
                pct(s.linearTrainAccuracy()) + " / " + pct(s.linearHeldoutAccuracy()),
                "the 'shortcuts' paper's test; AR is not"
                        + " linearly separable in pixel space, so a low figure is expected");
        b.append("</table>");
        if (i.available() && i.filterAccuracy() < r.thresholds().integrityWeak()) {
            b.append("<p><b>Integrity dropped</b>: ")
                    .append(pct(i.filterAccuracy()))
                    .append(
                            " of published deltas keep their AR process (expected about 100%)."
                                    + " Re-encoding (JPEG), resizing or clipping after protection"
                                    + " erodes the perturbation.</p>");
        }
        if (r.clean() == null) {
            b.append("<h2>Canaries at native size</h2><p>None: the ")
                    .append(esc(r.profile().name()))
                    .append(
                            " profile trains canaries only"
                                    + " for pipelines at or below its resolution limit; efficacy at"
                                    + " native size was not measured.</p>");
            b.append("<h2>Probe</h2><img src=\"probe.png\" alt=\"probe loss\">");
            b.append("<h2>Samples</h2><img src=\"samples.png\" alt=\"samples\">");
            b.append(skipped(r)).append(cost(r));
            return b.append("<p><a href=\"report.json\">report.json</a></p></body></html>")
                    .toString();
        }
        b.append("<h2>Canaries (learnability and efficacy)</h2>");
        b.append(
                "<p>Paired canaries: same architecture, initial weights, batch order and"
                        + " augmentation; one trained on the clean images, one on the protected;"
                        + " accuracy on clean test images. Follow rate: clean test images carrying"
                        + " another class's perturbation, share predicted as that class.</p>");
        b.append("<table><tr><th>canary</th><th>final</th><th>last 5</th><th>peak</th>")
                .append("<th>follow rate</th><th>epochs to loss &lt; 0.5</th>")
                .append("<th>final spread over seeds</th></tr>");
        canaryRow(b, "clean", r.clean());
        canaryRow(b, "protected", r.protectedCanary());
        b.append("</table>");
        AuditResult.Efficacy e = r.efficacy();
        b.append(
                String.format(
                        Locale.ROOT,
                        "<p>Protection score 1 - (acc_protected - chance) / (acc_clean - chance):"
                            + " <b>%s</b> on final accuracy, <b>%s</b> on peak accuracy (what early"
                            + " stopping gets a scraper), %s on the last-5 mean.</p>",
                        score(e.scoreFinal()),
                        score(e.scorePeak()),
                        score(e.scoreLast5())));
        if (!r.profile().canaryDecides()) {
            b.append("<p><i>The ")
                    .append(esc(r.profile().name()))
                    .append(
                            " canary is small:"
                                    + " it decides only where its clean twin learned at least "
                                    + pct(r.thresholds().minCleanGain())
                                    + " above chance. The paper's efficacy (93.6% clean vs 11.8%"
                                    + " protected on CIFAR-10) needs the paper profile (ResNet-18,"
                                    + " 100 epochs) on a GPU.</i></p>");
        }
        b.append("<img src=\"loss.png\" alt=\"training loss\"> ");
        b.append("<img src=\"accuracy.png\" alt=\"clean test accuracy\"> ");
        b.append("<img src=\"follow.png\" alt=\"follow rate\">");
        if (!r.defences().isEmpty()) {
            b.append("<h2>Defences</h2><table><tr><th>defence</th><th>protected canary final")
                    .append("</th><th>peak</th><th>follow rate</th><th>protection score")
                    .append("</th></tr>");
            for (AuditResult.Defence d : r.defences().values()) {
                b.append("<tr><td>")
                        .append(esc(d.name()))
                        .append(": ")
                        .append(esc(d.description()))
                        .append("</td><td>")
                        .append(pct(d.finalAccuracy()))
                        .append("</td><td>")
                        .append(pct(d.peakAccuracy()))
                        .append("</td><td>")
                        .append(pct(d.followRate()))
                        .append("</td><td>")
                        .append(score(d.protectionScoreFinal()))
                        .append("</td></tr>");
            }
            b.append("</table>");
        }
        b.append("<h2>Probe</h2><img src=\"probe.png\" alt=\"probe loss\">");
        if (r.pictures().containsKey(Pictures.SAMPLES)) {
            b.append(
                    "<h2>Samples</h2><p>Per class: clean, protected, and the delta amplified to"
                            + " the full range (mid-grey = unchanged).</p><img src=\"samples.png\""
                            + " alt=\"samples\">");
        } else {
            b.append(
                    "<h2>Samples</h2><p>Not shown: clean and protected images side by side give the"
                            + " perturbation, from which the secret AR coefficients can be fitted."
                            + " Enable with auditor.pictures.deltas=true (audit: --delta-pictures)"
                            + " where only trusted people read the report.</p>");
        }
        b.append(skipped(r)).append(cost(r));
        b.append("<p><a href=\"report.json\">report.json</a></p></body></html>");
        return b.toString();
    }

    /**
     * Where the published deltas carry class waves and the threat model has no scraper that fits
     * them out, the sentence that says so: their codes are public (docs/security.md).
     */
    static String targetedScraperNote(Integrity integrity, java.util.List<String> threatModel) {
        boolean waves = integrity != null && integrity.available() && integrity.waveShare() > 0;
        boolean modelled = threatModel.stream().anyMatch(p -> p.contains("unwave"));
        return waves && !modelled
                ? " The class waves' codes are public: a scraper that targets ScrapeGuard fits them"
                        + " out, which this threat model leaves out (<code>--scraper unwave</code>,"
                        + " or <code>unwave</code> in <code>auditor.scrapers</code>, models it;"
                        + " docs/security.md, scrapers that target ScrapeGuard)."
                : "";
    }

    /** The pipeline x signal matrix, cells coloured by the verdict they would give. */
    private static String matrix(AuditResult r) {
        Thresholds t = r.thresholds();
        StringBuilder b =
                new StringBuilder("<h2>Scraper pipelines</h2><p>Threat model: <b>")
                        .append(esc(String.join(", ", r.threatModel())))
                        .append(
                                "</b>. Each pipeline is applied to the original and the published"
                                        + " image with the same seed; the delta is what survives"
                                        + " it."
                                        + targetedScraperNote(r.integrity(), r.threatModel())
                                        + "</p><table><tr><th>pipeline</th><th>verdict</th><th>delivered"
                                        + " L2</th><th>AR"
                                        + " filter</th><th>probe</th><th>control</th><th>canary"
                                        + " clean / protected</th><th>follow clean /"
                                        + " protected</th><th>protection score</th><th>sample"
                                        + " (clean, protected, delta)</th></tr>");
        for (int k = 0; k < r.scrapers().size(); k++) {
            ScraperResult s = r.scrapers().get(k);
            Integrity in = s.integrity();
            Separability sep = s.separability();
            CanaryReading c = s.canaries();
            b.append("<tr><td>")
                    .append(esc(s.name()))
                    .append(r.threatModel().contains(s.name()) ? "" : " (not in threat model)")
                    .append(s.sameAs() == null ? "" : " = " + esc(s.sameAs()))
                    .append("</td><td class=\"")
                    .append(s.verdict().level())
                    .append("\" title=\"")
                    .append(esc(s.verdict().reason()))
                    .append("\">")
                    .append(s.verdict().level())
                    .append("<br><small>")
                    .append(esc(s.verdict().brief()))
                    .append("</small></td>")
                    .append(String.format(Locale.ROOT, "<td>%.3f</td>", in.meanL2()));
            cell(
                    b,
                    !in.available()
                            ? null
                            : in.filterAccuracy() < t.integrityFail()
                                    ? Verdict.Level.FAILING
                                    : in.filterAccuracy() < t.integrityWeak()
                                            ? Verdict.Level.WEAK
                                            : Verdict.Level.PROTECTED,
                    pct(in.filterAccuracy())
                            + (in.readAt().isEmpty() ? "" : " (" + in.readAt() + ")"));
            cell(
                    b,
                    sep.probeAccuracy() < t.probeFail()
                            ? Verdict.Level.FAILING
                            : sep.probeAccuracy() < t.probeWeak()
                                    ? Verdict.Level.WEAK
                                    : Verdict.Level.PROTECTED,
                    pct(sep.probeAccuracy()));
            cell(
                    b,
                    sep.controlAccuracy() > t.controlMax()
                            ? Verdict.Level.WEAK
                            : Verdict.Level.PROTECTED,
                    pct(sep.controlAccuracy()));
            if (c == null) {
                b.append("<td class=\"NA\" colspan=\"3\">efficacy not measured</td>");
            } else {
                b.append("<td>")
                        .append(pct(c.clean().finalAccuracy()))
                        .append(" / ")
                        .append(pct(c.protectedCanary().finalAccuracy()))
                        .append("</td>");
                cell(
                        b,
                        c.followGain() >= t.minFollowGain()
                                ? Verdict.Level.PROTECTED
                                : Verdict.Level.WEAK,
                        pct(c.clean().followRate())
                                + " / "
                                + pct(c.protectedCanary().followRate()));
                double sc = c.scoreFinal();
                cell(
                        b,
                        !(sc >= t.scoreFail())
                                ? Verdict.Level.FAILING
                                : sc < t.scoreWeak() ? Verdict.Level.WEAK : Verdict.Level.PROTECTED,
                        score(sc));
            }
            b.append("<td><img src=\"")
                    .append(scraperPicture(k))
                    .append("\" alt=\"")
                    .append(esc(s.name()))
                    .append(" sample\"><br><small>")
                    .append(esc(s.imageShape()))
                    .append("</small></td></tr>");
        }
        b.append("</table>");
        if (!r.dilution().isEmpty()) {
            b.append("<p>Dilution (a scraper mixing in clean images), under <b>")
                    .append(esc(r.dilution().get(0).pipeline()))
                    .append("</b>:");
            for (AuditResult.Dilution d : r.dilution()) {
                b.append(
                        String.format(
                                Locale.ROOT,
                                " %.0f%% protected: score %s, follow %s;",
                                100 * d.fraction(),
                                score(d.scoreFinal()),
                                pct(d.followRate())));
            }
            b.append("</p>");
        }
        return b.toString();
    }

    private static void cell(StringBuilder b, Verdict.Level level, String text) {
        b.append("<td class=\"")
                .append(level == null ? "NA" : level.name())
                .append("\">")
                .append(text)
                .append("</td>");
    }

    static String scraperPicture(int index) {
        return "scraper-" + index + ".png";
    }

    private static String skipped(AuditResult r) {
        StringBuilder b = new StringBuilder("<h2>Skipped</h2>");
        if (r.skipped().isEmpty()) {
            return b.append("<p>none</p>").toString();
        }
        b.append("<table><tr><th>reason</th><th>count</th></tr>");
        r.skipped()
                .forEach(
                        (k, v) ->
                                b.append("<tr><td>")
                                        .append(esc(k))
                                        .append("</td><td>")
                                        .append(v)
                                        .append("</td></tr>"));
        return b.append("</table>").toString();
    }

    private static String cost(AuditResult r) {
        StringBuilder b =
                new StringBuilder("<h2>Cost</h2><table><tr><th>stage</th>")
                        .append("<th>seconds</th></tr>");
        double total = 0;
        for (Map.Entry<String, Double> e : r.stageSeconds().entrySet()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "<tr><td>%s</td><td>%.1f</td></tr>",
                            esc(e.getKey()),
                            e.getValue()));
            total += e.getValue();
        }
        return b.append(String.format(Locale.ROOT, "<tr><th>total</th><th>%.1f</th></tr>", total))
                .append("</table>")
                .toString();
    }

    private static void canaryRow(StringBuilder b, String name, CanarySummary c) {
        b.append("<tr><td>")
                .append(name)
                .append("</td><td>")
                .append(pct(c.finalAccuracy()))
                .append("</td><td>")
                .append(pct(c.last5Accuracy()))
                .append("</td><td>")
                .append(pct(c.peakAccuracy()))
                .append("</td><td>")
                .append(pct(c.followRate()))
                .append("</td><td>")
                .append(
                        c.epochsToLoss05() == null
                                ? "not reached"
                                : String.format(Locale.ROOT, "%.1f", c.epochsToLoss05()))
                .append("</td><td>")
                .append(pct(c.finalSpread()))
                .append("</td></tr>");
    }

    private static void row(StringBuilder b, String name, String value, String note) {
        b.append("<tr><td>")
                .append(esc(name))
                .append("</td><td>")
                .append(value)
                .append("</td><td style=\"text-align:left\">")
                .append(note)
                .append("</td></tr>");
    }

    static String pct0(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f%%", 100 * v) : "n/a";
    }

    static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "n/a";
    }

    static String score(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "n/a";
    }

    static String esc(String s) {
        return s == null
                ? ""
                : s.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;");
    }
}
