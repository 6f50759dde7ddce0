package io.scrapeguard.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** The short report {@code ./guard demo} prints at the end, from the run's counts and the audit. */
final class DemoReport {

    /** What the pipeline part of the run measured. */
    record Pipeline(
            String method,
            long listed,
            long sent,
            long refusedByProducer,
            Map<String, Long> refusedReasons,
            TopicTally.Result tally,
            double publishSeconds) {}

    private DemoReport() {}

    static String text(Pipeline p, JsonNode audit, Path html, String liveUrl) {
        StringBuilder b = new StringBuilder();
        TopicTally.Result t = p.tally();
        b.append("ScrapeGuard demo report: ").append(p.method()).append('\n');
        b.append(
                String.format(
                        Locale.ROOT,
                        "  images        %d published: %d protected + %d dead-lettered = %d%s%n",
                        p.sent(),
                        t.protectedIds().size(),
                        t.deadLetterIds().size(),
                        t.accounted(),
                        t.accounted() == p.sent() && t.both().isEmpty()
                                ? " (every image accounted for)"
                                : " (MISSING " + (p.sent() - t.accounted()) + ")"));
        if (!t.deadLetterReasons().isEmpty()) {
            b.append("                dead letters by reason: ")
                    .append(t.deadLetterReasons())
                    .append('\n');
        }
        if (p.refusedByProducer() > 0) {
            b.append("                refused before sending: ")
                    .append(p.refusedReasons())
                    .append('\n');
        }
        b.append(
                String.format(
                        Locale.ROOT,
                        "  throughput    %.0f images/s end to end (%d images in %.1f s from the"
                                + " first send to the last published); publish %.0f images/s%n",
                        t.accounted() / Math.max(t.seconds(), 1e-3),
                        t.accounted(),
                        t.seconds(),
                        p.sent() / Math.max(p.publishSeconds(), 1e-3)));
        if (audit == null) {
            return b.toString();
        }
        if (!"completed".equals(audit.path("outcome").asText())) {
            b.append("  audit         ")
                    .append(audit.path("outcome").asText())
                    .append(": ")
                    .append(audit.path("reason").asText())
                    .append('\n');
            return b.toString();
        }
        JsonNode clean = audit.path("canary").path("clean");
        JsonNode prot = audit.path("canary").path("protected");
        JsonNode sep = audit.path("separability");
        JsonNode integ = audit.path("integrity");
        JsonNode eff = audit.path("efficacy");
        b.append(
                String.format(
                        Locale.ROOT,
                        "  audit         profile %s, %d pairs (%d train / %d test) of %s images,"
                                + " %.0f s%n",
                        audit.path("profile").asText(),
                        audit.path("pairs").asInt(),
                        audit.path("train_pairs").asInt(),
                        audit.path("test_pairs").asInt(),
                        audit.path("image_shape").asText(),
                        totalCost(audit.path("cost_seconds"))));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  canaries      clean test accuracy: clean-trained baseline %s, trained on"
                            + " the published images %s (peak %s vs %s); follow rate %s vs %s%n",
                        pct(clean.path("final_accuracy")),
                        pct(prot.path("final_accuracy")),
                        pct(clean.path("peak_accuracy")),
                        pct(prot.path("peak_accuracy")),
                        pct(clean.path("follow_rate")),
                        pct(prot.path("follow_rate"))));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  efficacy      protection score %s final, %s peak (1 = scraped model at"
                                + " chance, 0 = no effect)%n",
                        num(eff.path("protection_score_final")),
                        num(eff.path("protection_score_peak"))));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  probes        perturbation-only CNN %s held-out (control on class-free"
                                + " noise %s); linear %s train / %s held-out%n",
                        pct(sep.path("probe_accuracy")),
                        pct(sep.path("control_accuracy")),
                        pct(sep.path("linear_train_accuracy")),
                        pct(sep.path("linear_heldout_accuracy"))));
        b.append(integrityLine(integ));
        for (Iterator<Map.Entry<String, JsonNode>> it = audit.path("defences").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> d = it.next();
            b.append(
                    String.format(
                            Locale.ROOT,
                            "  defence       %s: the protected canary reaches %s (score %s)%n",
                            d.getKey(),
                            pct(d.getValue().path("protected_final_accuracy")),
                            num(d.getValue().path("protection_score_final"))));
        }
        scrapers(b, audit);
        b.append(
                String.format(
                        Locale.ROOT,
                        "  VERDICT       %s (decided by %s) against the threat" + " model %s%n",
                        audit.path("verdict").asText(),
                        audit.path("verdict_signal").asText(),
                        threatModel(audit)));
        b.append("                ").append(audit.path("verdict_reason").asText()).append('\n');
        b.append("  HTML report   ").append(html).append('\n');
        b.append(
                        "                (clean, protected and amplified delta images per class,"
                                + " canary curves; served at ")
                .append(liveUrl)
                .append(" while the stack runs)\n");
        return b.toString();
    }

    /** The pipeline x signal matrix in a few lines: one per scraper pipeline. */
    private static void scrapers(StringBuilder b, JsonNode audit) {
        if (audit.path("scrapers").isEmpty()) {
            return;
        }
        b.append(
                String.format(
                        Locale.ROOT,
                        "  scrapers      %-18s %-9s %6s %6s %17s %15s %5s%n",
                        "pipeline",
                        "verdict",
                        "AR",
                        "probe",
                        "canary clean/prot",
                        "follow c/p",
                        "score"));
        for (JsonNode s : audit.path("scrapers")) {
            JsonNode c = s.path("canary");
            boolean canaries = !c.isMissingNode();
            b.append(
                    String.format(
                            Locale.ROOT,
                            "                %-18s %-9s %6s %6s %17s %15s %5s%n",
                            s.path("name").asText(),
                            s.path("verdict").asText(),
                            pct0(s.path("integrity").path("filter_accuracy")),
                            pct0(s.path("separability").path("probe_accuracy")),
                            canaries
                                    ? pct0(c.path("clean").path("final_accuracy"))
                                            + " / "
                                            + pct0(c.path("protected").path("final_accuracy"))
                                    : "not measured",
                            canaries
                                    ? pct0(c.path("clean").path("follow_rate"))
                                            + " / "
                                            + pct0(c.path("protected").path("follow_rate"))
                                    : "-",
                            canaries
                                    ? num(s.path("efficacy").path("protection_score_final"))
                                    : "-"));
        }
    }

    private static String threatModel(JsonNode audit) {
        StringBuilder names = new StringBuilder();
        for (JsonNode n : audit.path("threat_model")) {
            names.append(names.length() == 0 ? "" : ", ").append(n.asText());
        }
        return names.length() == 0 ? "(native)" : "(" + names + ")";
    }

    static String pct0(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode()
                ? "n/a"
                : String.format(Locale.ROOT, "%.0f%%", 100 * v.asDouble());
    }

    private static double totalCost(JsonNode cost) {
        double s = 0;
        for (JsonNode v : cost) {
            s += v.asDouble();
        }
        return s;
    }

    static String pct(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode()
                ? "n/a"
                : String.format(Locale.ROOT, "%.1f%%", 100 * v.asDouble());
    }

    static String num(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode()
                ? "n/a"
                : String.format(Locale.ROOT, "%.2f", v.asDouble());
    }

    /** The report's integrity line: who named the label's process, how often, where. */
    static String integrityLine(JsonNode integ) {
        return String.format(
                Locale.ROOT,
                "  integrity     %s the label's process for %s of the published deltas%s;"
                        + " delivered L2 %s%n",
                integ.path("named_by").asText("AR-filter classifier names"),
                pct(integ.path("filter_accuracy")),
                howRead(integ.path("read_where").asText(""), integ.path("wave_share")),
                num(integ.path("delivered_l2")));
    }

    /**
     * How the deltas were read, when not by the AR filters as published: " (read at 1/2 scale)", "
     * (on the 32-cell grid)" for the waves, " (the class wave on 92% of them)" where some were read
     * by their wave and the others by the filters.
     */
    private static String howRead(String where, JsonNode waveShare) {
        double share = waveShare.isNumber() ? waveShare.asDouble() : 0;
        if (share > 0 && share < 1) {
            return String.format(
                    Locale.ROOT,
                    " (the class wave on %s of them%s)",
                    io.scrapeguard.auditor.Integrity.percent(share),
                    where.isEmpty() ? "" : ", on the " + where);
        }
        return where.isEmpty()
                ? ""
                : share == 1 ? " (on the " + where + ")" : " (read at " + where + ")";
    }
}
