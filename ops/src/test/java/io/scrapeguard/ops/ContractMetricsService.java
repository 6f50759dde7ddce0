package io.scrapeguard.ops;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the poisoner and the auditor that exports docs/metrics.md's meters through
 * Micrometer's Prometheus registry exactly as the contract declares them (names, types, tags), on
 * /metrics of a real HTTP server on 127.0.0.1. It proves the contract's Micrometer names become the
 * series the rules and dashboards query; the services' own end-to-end run proves they export them.
 */
final class ContractMetricsService implements AutoCloseable {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, double[]> gauges = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ScheduledExecutorService traffic =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "contract-metrics-traffic");
                        t.setDaemon(true);
                        return t;
                    });

    private ContractMetricsService(String service) throws IOException {
        registry.config().commonTags("service", service);
        new UptimeMetrics().bindTo(registry);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/metrics",
                exchange -> {
                    byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders()
                            .add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
    }

    /** The poisoner's meters, with images flowing: protected, some dead-lettered, lag small. */
    static ContractMetricsService poisoner() throws IOException {
        ContractMetricsService s = new ContractMetricsService("poisoner");
        PrometheusMeterRegistry r = s.registry;
        Counter in = Counter.builder("guard.images.in").register(r);
        Counter protectedAr =
                Counter.builder("guard.images.protected")
                        .tag("method", "ar-multiscale")
                        .tag("pattern", "ar")
                        .register(r);
        Counter corrupt =
                Counter.builder("guard.images.dead.lettered")
                        .tag("reason", "corrupt-image")
                        .register(r);
        Timer processing =
                Timer.builder("guard.image.processing")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(r);
        DistributionSummary l2 =
                DistributionSummary.builder("guard.perturbation.delivered.l2")
                        .publishPercentiles(0.5, 0.95)
                        .register(r);
        DistributionSummary linf =
                DistributionSummary.builder("guard.perturbation.delivered.linf")
                        .publishPercentiles(0.5, 0.95)
                        .register(r);
        DistributionSummary ratioL2 =
                DistributionSummary.builder("guard.perturbation.delivered.ratio")
                        .tag("norm", "l2")
                        .register(r);
        DistributionSummary ratioLinf =
                DistributionSummary.builder("guard.perturbation.delivered.ratio")
                        .tag("norm", "linf")
                        .register(r);
        DistributionSummary jpeg =
                DistributionSummary.builder("guard.perturbation.jpeg.survival").register(r);
        s.gauge("guard.bank.labels.assigned", Tags.empty(), 10);
        s.gauge("guard.bank.size", Tags.empty(), 16);
        s.gauge(
                "kafka.consumer.fetch.manager.records.lag.max",
                Tags.of("client.id", "scrapeguard-poisoner-StreamThread-1-consumer"),
                3);
        AtomicLong n = new AtomicLong();
        s.traffic.scheduleAtFixedRate(
                () -> {
                    for (int i = 0; i < 20; i++) {
                        long k = n.incrementAndGet();
                        in.increment();
                        if (k % 50 == 0) {
                            corrupt.increment();
                            continue;
                        }
                        protectedAr.increment();
                        processing.record(Duration.ofMillis(5 + k % 40));
                        l2.record(0.98);
                        linf.record(8.0 / 255);
                        ratioL2.record(0.95 + (k % 5) / 100.0);
                        ratioLinf.record(1.0);
                        jpeg.record(0.9);
                    }
                },
                0,
                200,
                TimeUnit.MILLISECONDS);
        return s;
    }

    /**
     * The auditor's meters after a healthy audit: protected canary near chance, deltas separable.
     */
    static ContractMetricsService auditor() throws IOException {
        ContractMetricsService s = new ContractMetricsService("auditor");
        Tags p = Tags.of("profile", "cpu-small");
        s.gauge("guard.audit.protection.score", p.and("basis", "final"), 0.93);
        s.gauge("guard.audit.protection.score", p.and("basis", "peak"), 0.88);
        s.gauge("guard.audit.filter.accuracy", p, 0.99);
        for (var probe :
                Map.of("cnn", 1.0, "control", 0.11, "linear_train", 1.0, "linear_heldout", 0.97)
                        .entrySet()) {
            s.gauge("guard.audit.probe.accuracy", p.and("probe", probe.getKey()), probe.getValue());
        }
        for (String stat : new String[] {"final", "peak", "last5"}) {
            s.gauge(
                    "guard.audit.canary.accuracy",
                    p.and("canary", "clean").and("stat", stat),
                    0.95);
            s.gauge(
                    "guard.audit.canary.accuracy",
                    p.and("canary", "protected").and("stat", stat),
                    0.16);
        }
        s.gauge("guard.audit.canary.follow.rate", p.and("canary", "clean"), 0.08);
        s.gauge("guard.audit.canary.follow.rate", p.and("canary", "protected"), 0.81);
        s.gauge("guard.audit.delivered.l2", p, 0.97);
        s.gauge("guard.audit.delivered.linf", p, 0.03);
        s.gauge("guard.audit.verdict", p.and("verdict", "PROTECTED"), 1);
        s.gauge("guard.audit.verdict", p.and("verdict", "WEAK"), 0);
        s.gauge("guard.audit.verdict", p.and("verdict", "FAILING"), 0);
        // the threat model: a row per scraper pipeline, as the auditor exports them
        for (String scraper : new String[] {"native", "resize:64"}) {
            Tags sp = p.and("scraper", scraper);
            for (String v : new String[] {"PROTECTED", "WEAK", "FAILING"}) {
                s.gauge(
                        "guard.audit.scraper.verdict",
                        sp.and("verdict", v),
                        v.equals("PROTECTED") ? 1 : 0);
            }
            s.gauge("guard.audit.scraper.threat.model", sp, 1);
            s.gauge("guard.audit.scraper.efficacy.measured", sp, 1);
            s.gauge("guard.audit.scraper.delivered.l2", sp, 0.9);
            s.gauge("guard.audit.scraper.filter.accuracy", sp, 0.99);
            s.gauge("guard.audit.scraper.probe.accuracy", sp.and("probe", "cnn"), 1.0);
            s.gauge("guard.audit.scraper.probe.accuracy", sp.and("probe", "control"), 0.1);
            s.gauge("guard.audit.scraper.protection.score", sp, 0.8);
            s.gauge("guard.audit.scraper.canary.follow.rate", sp.and("canary", "clean"), 0.08);
            s.gauge("guard.audit.scraper.canary.follow.rate", sp.and("canary", "protected"), 0.7);
        }
        s.gauge("guard.audit.last.completed", p, System.currentTimeMillis() / 1000.0);
        s.gauge("guard.audit.pairs", p, 512);
        double[] interval =
                s.gauges.computeIfAbsent("guard.audit.interval" + p, k -> new double[1]);
        interval[0] = 600;
        Gauge.builder("guard.audit.interval", interval, h -> h[0])
                .baseUnit("seconds")
                .tags(p)
                .register(s.registry);
        Counter.builder("guard.audit.runs")
                .tags(p)
                .tag("outcome", "completed")
                .register(s.registry)
                .increment(3);
        Counter.builder("guard.audit.runs").tags(p).tag("outcome", "failed").register(s.registry);
        for (String stage : new String[] {"sample", "canary-clean", "canary-protected", "probes"}) {
            Timer.builder("guard.audit.duration")
                    .tags(p)
                    .tag("stage", stage)
                    .register(s.registry)
                    .record(Duration.ofSeconds(12));
        }
        return s;
    }

    /**
     * The planted failure: the auditor fed unprotected images as if protected. The "protected"
     * canary learns the clean task as well as the clean one, and the published deltas carry no AR
     * process, so the filter and the probes fall to chance.
     */
    void plantUnprotectedImages() {
        Tags p = Tags.of("profile", "cpu-small");
        for (String stat : new String[] {"final", "peak", "last5"}) {
            set(
                    "guard.audit.canary.accuracy",
                    p.and("canary", "protected").and("stat", stat),
                    0.94);
        }
        set("guard.audit.protection.score", p.and("basis", "final"), 0.02);
        set("guard.audit.protection.score", p.and("basis", "peak"), 0.01);
        set("guard.audit.filter.accuracy", p, 0.1);
        set("guard.audit.probe.accuracy", p.and("probe", "linear_heldout"), 0.1);
        set("guard.audit.probe.accuracy", p.and("probe", "cnn"), 0.12);
        set("guard.audit.verdict", p.and("verdict", "PROTECTED"), 0);
        set("guard.audit.verdict", p.and("verdict", "FAILING"), 1);
        set("guard.audit.last.completed", p, System.currentTimeMillis() / 1000.0);
    }

    /** Audits stopped completing: the last one finished {@code ago}; the interval is as given. */
    void auditsStopped(Duration ago, Duration interval) {
        Tags p = Tags.of("profile", "cpu-small");
        set(
                "guard.audit.last.completed",
                p,
                (System.currentTimeMillis() - ago.toMillis()) / 1000.0);
        set("guard.audit.interval", p, interval.toSeconds());
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void gauge(String name, Tags tags, double value) {
        double[] holder = gauges.computeIfAbsent(name + tags, k -> new double[1]);
        holder[0] = value;
        Gauge.builder(name, holder, h -> h[0]).tags(tags).register(registry);
    }

    private void set(String name, Tags tags, double value) {
        double[] holder = gauges.get(name + tags);
        if (holder == null) {
            throw new IllegalArgumentException("no gauge " + name + tags);
        }
        holder[0] = value;
    }

    @Override
    public void close() {
        traffic.shutdownNow();
        server.stop(0);
        registry.close();
    }
}
