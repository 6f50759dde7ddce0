package io.scrapeguard.auditor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The auditor's meters, named as in docs/metrics.md (the contract with the alert rules and
 * dashboards), every one tagged with the profile. Gauges read the last completed audit; before the
 * first one they are NaN (no data, not zero).
 */
public final class AuditMetrics {
    private final MeterRegistry registry;
    private final Tags profile;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
    private final java.util.Set<String> scrapersSeen = ConcurrentHashMap.newKeySet();

    public AuditMetrics(MeterRegistry registry, String profileName) {
        this.registry = registry;
        this.profile = Tags.of("profile", profileName);
        gauge("guard.audit.protection.score", "basis", "final");
        gauge("guard.audit.protection.score", "basis", "peak");
        gauge("guard.audit.filter.accuracy");
        for (String probe : new String[] {"cnn", "control", "linear_train", "linear_heldout"}) {
            gauge("guard.audit.probe.accuracy", "probe", probe);
        }
        for (String canary : new String[] {"clean", "protected"}) {
            for (String stat : new String[] {"final", "peak", "last5"}) {
                gauge("guard.audit.canary.accuracy", "canary", canary, "stat", stat);
            }
            gauge("guard.audit.canary.follow.rate", "canary", canary);
        }
        gauge("guard.audit.delivered.l2");
        gauge("guard.audit.delivered.linf");
        for (Verdict.Level v : Verdict.Level.values()) {
            gauge("guard.audit.verdict", "verdict", v.name());
        }
        gauge("guard.audit.last.completed");
        gauge("guard.audit.pairs");
        for (String outcome : new String[] {"completed", "skipped", "failed"}) {
            runs(outcome);
        }
    }

    private void gauge(String name, String... tags) {
        AtomicLong bits =
                values.computeIfAbsent(
                        key(name, tags), k -> new AtomicLong(Double.doubleToLongBits(Double.NaN)));
        Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
                .tags(profile.and(tags))
                .register(registry);
    }

    private void set(double value, String name, String... tags) {
        AtomicLong bits = values.get(key(name, tags));
        if (bits == null) {
            throw new IllegalStateException("no gauge " + key(name, tags));
        }
        bits.set(Double.doubleToLongBits(value));
    }

    private static String key(String name, String... tags) {
        return name + "," + String.join(",", tags);
    }

    private Counter runs(String outcome) {
        return Counter.builder("guard.audit.runs")
                .tags(profile.and("outcome", outcome))
                .description("audits attempted")
                .register(registry);
    }

    /** Records an audit's outcome, figures and stage costs. */
    public synchronized void record(AuditResult r) {
        runs(r.outcome().name().toLowerCase(java.util.Locale.ROOT)).increment();
        r.stageSeconds()
                .forEach(
                        (stage, s) ->
                                Timer.builder("guard.audit.duration")
                                        .tags(profile.and("stage", stage))
                                        .register(registry)
                                        .record(Duration.ofNanos((long) (s * 1e9))));
        if (!r.completed()) {
            return;
        }
        set(r.pairs(), "guard.audit.pairs");
        set(r.efficacy().scoreFinal(), "guard.audit.protection.score", "basis", "final");
        set(r.efficacy().scorePeak(), "guard.audit.protection.score", "basis", "peak");
        set(r.integrity().filterAccuracy(), "guard.audit.filter.accuracy");
        set(r.separability().probeAccuracy(), "guard.audit.probe.accuracy", "probe", "cnn");
        set(r.separability().controlAccuracy(), "guard.audit.probe.accuracy", "probe", "control");
        set(
                r.separability().linearTrainAccuracy(),
                "guard.audit.probe.accuracy",
                "probe",
                "linear_train");
        set(
                r.separability().linearHeldoutAccuracy(),
                "guard.audit.probe.accuracy",
                "probe",
                "linear_heldout");
        canary("clean", r.clean());
        canary("protected", r.protectedCanary());
        set(r.integrity().meanL2(), "guard.audit.delivered.l2");
        set(r.integrity().meanLinf(), "guard.audit.delivered.linf");
        for (Verdict.Level v : Verdict.Level.values()) {
            set(v == r.verdict().level() ? 1 : 0, "guard.audit.verdict", "verdict", v.name());
        }
        set(r.createdAt().getEpochSecond(), "guard.audit.last.completed");
        scrapers(r);
    }

    /**
     * Per scraper pipeline, tagged {@code scraper}: registered as pipelines appear; a pipeline the
     * last audit did not measure reads NaN (no data), not its old figures.
     */
    private void scrapers(AuditResult r) {
        java.util.Set<String> now = new java.util.HashSet<>();
        for (ScraperResult s : r.scrapers()) {
            now.add(s.name());
            scraperGauges(s.name());
            boolean threat = r.threatModel().contains(s.name());
            for (Verdict.Level v : Verdict.Level.values()) {
                set(
                        v == s.verdict().level() ? 1 : 0,
                        "guard.audit.scraper.verdict",
                        "scraper",
                        s.name(),
                        "verdict",
                        v.name());
            }
            set(threat ? 1 : 0, "guard.audit.scraper.threat.model", "scraper", s.name());
            set(
                    s.efficacyMeasured() ? 1 : 0,
                    "guard.audit.scraper.efficacy.measured",
                    "scraper",
                    s.name());
            set(s.integrity().meanL2(), "guard.audit.scraper.delivered.l2", "scraper", s.name());
            set(
                    s.integrity().filterAccuracy(),
                    "guard.audit.scraper.filter.accuracy",
                    "scraper",
                    s.name());
            set(
                    s.separability().probeAccuracy(),
                    "guard.audit.scraper.probe.accuracy",
                    "scraper",
                    s.name(),
                    "probe",
                    "cnn");
            set(
                    s.separability().controlAccuracy(),
                    "guard.audit.scraper.probe.accuracy",
                    "scraper",
                    s.name(),
                    "probe",
                    "control");
            CanaryReading c = s.canaries();
            set(
                    c == null ? Double.NaN : c.scoreFinal(),
                    "guard.audit.scraper.protection.score",
                    "scraper",
                    s.name());
            set(
                    c == null ? Double.NaN : c.clean().followRate(),
                    "guard.audit.scraper.canary.follow.rate",
                    "scraper",
                    s.name(),
                    "canary",
                    "clean");
            set(
                    c == null ? Double.NaN : c.protectedCanary().followRate(),
                    "guard.audit.scraper.canary.follow.rate",
                    "scraper",
                    s.name(),
                    "canary",
                    "protected");
        }
        for (String known : scrapersSeen) {
            if (!now.contains(known)) {
                values.forEach(
                        (k, bits) -> {
                            if (k.contains("scraper," + known + ",")
                                    || k.endsWith("scraper," + known)) {
                                bits.set(Double.doubleToLongBits(Double.NaN));
                            }
                        });
            }
        }
        scrapersSeen.addAll(now);
    }

    private void scraperGauges(String scraper) {
        if (scrapersSeen.contains(scraper)) {
            return;
        }
        for (Verdict.Level v : Verdict.Level.values()) {
            gauge("guard.audit.scraper.verdict", "scraper", scraper, "verdict", v.name());
        }
        gauge("guard.audit.scraper.threat.model", "scraper", scraper);
        gauge("guard.audit.scraper.efficacy.measured", "scraper", scraper);
        gauge("guard.audit.scraper.delivered.l2", "scraper", scraper);
        gauge("guard.audit.scraper.filter.accuracy", "scraper", scraper);
        gauge("guard.audit.scraper.probe.accuracy", "scraper", scraper, "probe", "cnn");
        gauge("guard.audit.scraper.probe.accuracy", "scraper", scraper, "probe", "control");
        gauge("guard.audit.scraper.protection.score", "scraper", scraper);
        gauge("guard.audit.scraper.canary.follow.rate", "scraper", scraper, "canary", "clean");
        gauge("guard.audit.scraper.canary.follow.rate", "scraper", scraper, "canary", "protected");
    }

    /**
     * Exports the configured audit interval (0 = off): AuditStale allows three intervals without a
     * completed audit, whatever the operator set.
     */
    public void interval(Duration interval) {
        Gauge.builder("guard.audit.interval", interval, d -> d.toMillis() / 1000.0)
                .baseUnit("seconds")
                .strongReference(true)
                .description("configured audit interval")
                .tags(profile)
                .register(registry);
    }

    /** Counts an audit that threw. */
    public void failed() {
        runs("failed").increment();
    }

    private void canary(String name, CanarySummary c) {
        if (c == null) { // no canaries at native size: no data, not a stale figure
            for (String stat : new String[] {"final", "peak", "last5"}) {
                set(Double.NaN, "guard.audit.canary.accuracy", "canary", name, "stat", stat);
            }
            set(Double.NaN, "guard.audit.canary.follow.rate", "canary", name);
            return;
        }
        set(c.finalAccuracy(), "guard.audit.canary.accuracy", "canary", name, "stat", "final");
        set(c.peakAccuracy(), "guard.audit.canary.accuracy", "canary", name, "stat", "peak");
        set(c.last5Accuracy(), "guard.audit.canary.accuracy", "canary", name, "stat", "last5");
        set(c.followRate(), "guard.audit.canary.follow.rate", "canary", name);
    }
}
