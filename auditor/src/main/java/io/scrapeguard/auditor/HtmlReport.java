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
        Files.writeString(dir.resolve("report.json"), ReportJson.write(r), StandardCharsets.UTF_8);
        Path html = dir.resolve("index.html");
        Files.writeString(html, html(r), StandardCharsets.UTF_8);
        return html;
    }

    public static String html(AuditResult r) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>ScrapeGuard audit ")
                .append(esc(r.id())).append("</title><style>")
                .append("body{font-family:sans-serif;max-width:1100px;margin:24px auto;color:#222}")
                .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;")
                .append("padding:4px 10px;text-align:right}th{background:#f4f4f4}")
                .append("td:first-child,th:first-child{text-align:left}")
                .append(".v{display:inline-block;padding:6px 14px;border-radius:4px;color:#fff;")
                .append("font-weight:bold}.PROTECTED{background:#2ca02c}.WEAK{background:#e69a00}")
                .append(".FAILING,.SKIPPED{background:#d62728}img{max-width:100%}")
                .append("</style></head><body>");
        b.append("<h1>ScrapeGuard audit</h1><p>").append(esc(r.id())).append(" &middot; ")
                .append(esc(r.createdAt().toString())).append(" &middot; profile <b>")
                .append(esc(r.profile().name())).append("</b> (")
                .append(esc(r.profile().describe())).append(")</p>");
        if (!r.completed()) {
            b.append("<p><span class=\"v SKIPPED\">").append(r.outcome()).append("</span> ")
                    .append(esc(r.reason())).append("</p>");
            b.append(skipped(r)).append(cost(r)).append("</body></html>");
            return b.toString();
        }
        Verdict v = r.verdict();
        b.append("<p><span class=\"v ").append(v.level()).append("\">").append(v.level())
                .append("</span> decided by <b>").append(esc(v.signal())).append("</b>: ")
                .append(esc(v.reason())).append("</p>");
        b.append(String.format(Locale.ROOT,
                "<p>%d pairs (%d train, %d test) of %s images in %d labels; seed %d.</p>",
                r.pairs(), r.trainPairs(), r.testPairs(), esc(r.imageShape()),
                r.labels().size(), r.seed()));
        Integrity i = r.integrity();
        Separability s = r.separability();
        b.append("<h2>Integrity and separability</h2><table><tr><th>signal</th><th>value</th>")
                .append("<th>what it means</th></tr>");
        row(b, "AR-filter accuracy on published deltas", pct(i.filterAccuracy()),
                "share of test deltas whose AR process is the one of their label; the paper's"
                        + " processes give 100% on intact deltas, about 23% after JPEG"
                        + " re-encoding at quality 75");
        row(b, "delivered L2 / Linf (mean)", String.format(Locale.ROOT, "%.3f / %.4f (%.1f/255)",
                i.meanL2(), i.meanLinf(), 255 * i.meanLinf()), "published - raw, [0, 1] units");
        row(b, "perturbation-only CNN probe, held-out", pct(s.probeAccuracy()),
                "steps until training loss &lt; 0.5: " + s.probeStepsToLoss05() + " of "
                        + s.probeSteps());
        row(b, "control: same probe on class-free noise", pct(s.controlAccuracy()),
                "same norms, no class: should stay near chance ("
                        + pct(r.efficacy().chance()) + ")");
        row(b, "linear probe on delta, train / held-out", pct(s.linearTrainAccuracy()) + " / "
                + pct(s.linearHeldoutAccuracy()), "the 'shortcuts' paper's test; AR is not"
                        + " linearly separable in pixel space, so a low figure is expected");
        b.append("</table>");
        if (i.available() && i.filterAccuracy() < r.thresholds().integrityWeak()) {
            b.append("<p><b>Integrity dropped</b>: ").append(pct(i.filterAccuracy()))
                    .append(" of published deltas keep their AR process (expected about 100%)."
                            + " Re-encoding (JPEG), resizing or clipping after protection"
                            + " erodes the perturbation.</p>");
        }
        b.append("<h2>Canaries (learnability and efficacy)</h2>");
        b.append("<p>Paired canaries: same architecture, initial weights, batch order and"
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
        b.append(String.format(Locale.ROOT, "<p>Protection score 1 - (acc_protected - chance) /"
                        + " (acc_clean - chance): <b>%s</b> on final accuracy, <b>%s</b> on peak"
                        + " accuracy (what early stopping gets a scraper), %s on the last-5 mean."
                        + "</p>", score(e.scoreFinal()), score(e.scorePeak()),
                score(e.scoreLast5())));
        if (!r.profile().canaryDecides()) {
            b.append("<p><i>The ").append(esc(r.profile().name())).append(" canary is small:"
                    + " on 2 CPU cores and thousands of images it shows a gap of a few points"
                    + " at best, with flips none. The paper's efficacy (93.6% clean vs 11.8%"
                    + " protected on CIFAR-10) needs the paper profile (ResNet-18, 100"
                    + " epochs) on a GPU.</i></p>");
        }
        b.append("<img src=\"loss.png\" alt=\"training loss\"> ");
        b.append("<img src=\"accuracy.png\" alt=\"clean test accuracy\"> ");
        b.append("<img src=\"follow.png\" alt=\"follow rate\">");
        if (!r.defences().isEmpty()) {
            b.append("<h2>Defences</h2><table><tr><th>defence</th><th>protected canary final")
                    .append("</th><th>peak</th><th>follow rate</th><th>protection score")
                    .append("</th></tr>");
            for (AuditResult.Defence d : r.defences().values()) {
                b.append("<tr><td>").append(esc(d.name())).append(": ")
                        .append(esc(d.description())).append("</td><td>")
                        .append(pct(d.finalAccuracy())).append("</td><td>")
                        .append(pct(d.peakAccuracy())).append("</td><td>")
                        .append(pct(d.followRate())).append("</td><td>")
                        .append(score(d.protectionScoreFinal())).append("</td></tr>");
            }
            b.append("</table>");
        }
        b.append("<h2>Probe</h2><img src=\"probe.png\" alt=\"probe loss\">");
        if (r.pictures().containsKey(Pictures.SAMPLES)) {
            b.append("<h2>Samples</h2><p>Per class: clean, protected, and the delta amplified to"
                    + " the full range (mid-grey = unchanged).</p><img src=\"samples.png\""
                    + " alt=\"samples\">");
        } else {
            b.append("<h2>Samples</h2><p>Not shown: clean and protected images side by side give"
                    + " the perturbation, from which the secret AR coefficients can be fitted."
                    + " Enable with auditor.pictures.deltas=true (audit: --delta-pictures) where"
                    + " only trusted people read the report.</p>");
        }
        b.append(skipped(r)).append(cost(r));
        b.append("<p><a href=\"report.json\">report.json</a></p></body></html>");
        return b.toString();
    }

    private static String skipped(AuditResult r) {
        StringBuilder b = new StringBuilder("<h2>Skipped</h2>");
        if (r.skipped().isEmpty()) {
            return b.append("<p>none</p>").toString();
        }
        b.append("<table><tr><th>reason</th><th>count</th></tr>");
        r.skipped().forEach((k, v) -> b.append("<tr><td>").append(esc(k)).append("</td><td>")
                .append(v).append("</td></tr>"));
        return b.append("</table>").toString();
    }

    private static String cost(AuditResult r) {
        StringBuilder b = new StringBuilder("<h2>Cost</h2><table><tr><th>stage</th>")
                .append("<th>seconds</th></tr>");
        double total = 0;
        for (Map.Entry<String, Double> e : r.stageSeconds().entrySet()) {
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.1f</td></tr>",
                    esc(e.getKey()), e.getValue()));
            total += e.getValue();
        }
        return b.append(String.format(Locale.ROOT, "<tr><th>total</th><th>%.1f</th></tr>",
                total)).append("</table>").toString();
    }

    private static void canaryRow(StringBuilder b, String name, CanarySummary c) {
        b.append("<tr><td>").append(name).append("</td><td>").append(pct(c.finalAccuracy()))
                .append("</td><td>").append(pct(c.last5Accuracy())).append("</td><td>")
                .append(pct(c.peakAccuracy())).append("</td><td>").append(pct(c.followRate()))
                .append("</td><td>").append(c.epochsToLoss05() == null ? "not reached"
                        : String.format(Locale.ROOT, "%.1f", c.epochsToLoss05()))
                .append("</td><td>").append(pct(c.finalSpread())).append("</td></tr>");
    }

    private static void row(StringBuilder b, String name, String value, String note) {
        b.append("<tr><td>").append(esc(name)).append("</td><td>").append(value)
                .append("</td><td style=\"text-align:left\">").append(note).append("</td></tr>");
    }

    static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "n/a";
    }

    static String score(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "n/a";
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
