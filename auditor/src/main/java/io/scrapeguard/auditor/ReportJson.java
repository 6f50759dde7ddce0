package io.scrapeguard.auditor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report as JSON. Dotted names in the docs ({@code canary.clean.final_accuracy}) are nested
 * objects; accuracies are fractions in [0, 1]; a figure that could not be measured is null.
 */
public final class ReportJson {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {}

    public static String write(AuditResult r) {
        try {
            return JSON.writeValueAsString(tree(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> tree(AuditResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("created_at", r.createdAt().toString());
        m.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
        m.put("reason", r.reason());
        m.put("verdict", r.verdict() == null ? null : r.verdict().level().name());
        m.put("verdict_signal", r.verdict() == null ? null : r.verdict().signal());
        m.put("verdict_reason", r.verdict() == null ? null : r.verdict().reason());
        m.put("threat_model", r.threatModel());
        m.put("profile", r.profile().name());
        m.put("profile_recipe", r.profile().describe());
        m.put("seed", r.seed());
        m.put("pairs", r.pairs());
        m.put("train_pairs", r.trainPairs());
        m.put("test_pairs", r.testPairs());
        m.put("labels", r.labels());
        m.put("image_shape", r.imageShape());
        m.put("skipped", r.skipped());
        m.put("thresholds", r.thresholds().asMap());
        if (r.completed()) {
            Integrity i = r.integrity();
            Map<String, Object> integrity = new LinkedHashMap<>();
            integrity.put("filter_accuracy", num(i.filterAccuracy()));
            integrity.put("scored", i.scored());
            integrity.put("delivered_l2", num(i.meanL2()));
            integrity.put("delivered_linf", num(i.meanLinf()));
            integrity.put("delivered_linf_max", num(i.maxLinf()));
            integrity.put("psnr_db", num(i.psnr()));
            integrity.put("ssim", num(i.meanSsim()));
            integrity.put("read_at", i.readAt());
            integrity.put("read_where", i.readWhere());
            integrity.put("wave_share", num(i.waveShare()));
            integrity.put("named_by", i.namedBy());
            m.put("integrity", integrity);

            Separability s = r.separability();
            Map<String, Object> sep = new LinkedHashMap<>();
            sep.put("probe_accuracy", num(s.probeAccuracy()));
            sep.put("probe_steps_to_loss_0_5", s.probeStepsToLoss05());
            sep.put("control_accuracy", num(s.controlAccuracy()));
            sep.put("control_steps_to_loss_0_5", s.controlStepsToLoss05());
            sep.put("probe_steps", s.probeSteps());
            sep.put("linear_train_accuracy", num(s.linearTrainAccuracy()));
            sep.put("linear_heldout_accuracy", num(s.linearHeldoutAccuracy()));
            m.put("separability", sep);

            if (r.clean() != null) {
                Map<String, Object> canary = new LinkedHashMap<>();
                canary.put("clean", canary(r.clean()));
                canary.put("protected", canary(r.protectedCanary()));
                m.put("canary", canary);
            }

            AuditResult.Efficacy e = r.efficacy();
            Map<String, Object> eff = new LinkedHashMap<>();
            eff.put("chance", num(e.chance()));
            eff.put("protection_score_final", num(e.scoreFinal()));
            eff.put("protection_score_peak", num(e.scorePeak()));
            eff.put("protection_score_last5", num(e.scoreLast5()));
            m.put("efficacy", eff);

            Map<String, Object> defences = new LinkedHashMap<>();
            for (AuditResult.Defence d : r.defences().values()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("description", d.description());
                dm.put("protected_final_accuracy", num(d.finalAccuracy()));
                dm.put("protected_peak_accuracy", num(d.peakAccuracy()));
                dm.put("follow_rate", num(d.followRate()));
                dm.put("protection_score_final", num(d.protectionScoreFinal()));
                dm.put("accuracy", nums(d.curve().accuracy()));
                defences.put(d.name(), dm);
            }
            m.put("defences", defences);
            List<Object> scrapers = new ArrayList<>();
            for (ScraperResult sr : r.scrapers()) {
                scrapers.add(scraper(sr));
            }
            m.put("scrapers", scrapers);
            List<Object> dilution = new ArrayList<>();
            for (AuditResult.Dilution d : r.dilution()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("fraction", d.fraction());
                dm.put("pipeline", d.pipeline());
                dm.put("protection_score_final", num(d.scoreFinal()));
                dm.put("follow_rate", num(d.followRate()));
                dilution.add(dm);
            }
            m.put("dilution", dilution);
        }
        Map<String, Object> cost = new LinkedHashMap<>();
        r.stageSeconds().forEach((k, v) -> cost.put(k, num(v)));
        m.put("cost_seconds", cost);
        return m;
    }

    /** One pipeline's row; canary and efficacy keys only where canaries ran. */
    private static Map<String, Object> scraper(ScraperResult sr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", sr.name());
        m.put("verdict", sr.verdict().level().name());
        m.put("verdict_signal", sr.verdict().signal());
        m.put("verdict_reason", sr.verdict().reason());
        m.put("verdict_brief", sr.verdict().brief());
        m.put("image_shape", sr.imageShape());
        m.put("same_as", sr.sameAs());
        m.put("efficacy_measured", sr.efficacyMeasured());
        m.put("delivered_l2", num(sr.integrity().meanL2()));
        Map<String, Object> integrity = new LinkedHashMap<>();
        integrity.put("filter_accuracy", num(sr.integrity().filterAccuracy()));
        integrity.put("scale", sr.integrity().scale());
        integrity.put("grid", sr.integrity().grid());
        integrity.put("wave", sr.integrity().wave());
        integrity.put("wave_or_filters", sr.integrity().mixed());
        integrity.put("psnr_db", num(sr.integrity().psnr()));
        integrity.put("ssim", num(sr.integrity().meanSsim()));
        m.put("integrity", integrity);
        Map<String, Object> sep = new LinkedHashMap<>();
        sep.put("probe_accuracy", num(sr.separability().probeAccuracy()));
        sep.put("control_accuracy", num(sr.separability().controlAccuracy()));
        sep.put("linear_heldout_accuracy", num(sr.separability().linearHeldoutAccuracy()));
        m.put("separability", sep);
        CanaryReading c = sr.canaries();
        if (c != null) {
            Map<String, Object> canary = new LinkedHashMap<>();
            canary.put("clean", arm(c.clean()));
            canary.put("protected", arm(c.protectedCanary()));
            canary.put("seeds", c.clean().runs().size());
            m.put("canary", canary);
            Map<String, Object> eff = new LinkedHashMap<>();
            eff.put("protection_score_final", num(c.scoreFinal()));
            m.put("efficacy", eff);
        }
        m.put("cost_seconds", num(sr.seconds()));
        return m;
    }

    private static Map<String, Object> arm(CanarySummary c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("final_accuracy", num(c.finalAccuracy()));
        m.put("follow_rate", num(c.followRate()));
        return m;
    }

    private static Map<String, Object> canary(CanarySummary c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("final_accuracy", num(c.finalAccuracy()));
        m.put("peak_accuracy", num(c.peakAccuracy()));
        m.put("last5_accuracy", num(c.last5Accuracy()));
        m.put("follow_rate", num(c.followRate()));
        m.put("epochs_to_loss_0_5", c.epochsToLoss05());
        m.put("final_accuracy_spread", num(c.finalSpread()));
        m.put("peak_accuracy_spread", num(c.peakSpread()));
        List<Object> runs = new ArrayList<>();
        for (CanaryCurve run : c.runs()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("seed", run.seed());
            rm.put("final_accuracy", num(run.finalAccuracy()));
            rm.put("peak_accuracy", num(run.peakAccuracy()));
            rm.put("epochs_to_loss_0_5", run.epochsToLoss05());
            rm.put("loss", nums(run.loss()));
            rm.put("accuracy", nums(run.accuracy()));
            rm.put("follow_rate", nums(run.follow()));
            runs.add(rm);
        }
        m.put("runs", runs);
        return m;
    }

    static Double num(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null;
    }

    private static List<Double> nums(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(num(x));
        }
        return out;
    }
}
