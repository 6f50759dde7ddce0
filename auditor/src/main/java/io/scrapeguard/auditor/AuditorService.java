package io.scrapeguard.auditor;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.scrapeguard.core.gpu.TorchReport;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.GuardHttpServer;
import io.scrapeguard.service.GuardService;
import io.scrapeguard.service.GuardServiceContext;
import io.scrapeguard.service.HealthStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auditor service: samples the raw and protected topics into a {@link PairReservoir}, audits
 * every interval, after N new pairs, or on demand ({@code POST /audit/run}), one audit at a time on
 * its own thread so the HTTP endpoint keeps serving; exports the gauges of docs/metrics.md,
 * publishes an {@code AuditResult} record on {@code guard.audit-reports}, saves each report in the
 * data dir ({@code audits/<id>/index.html}) and serves the latest at {@code /audit/}.
 */
public final class AuditorService implements GuardService {
    public static final String NAME = "auditor";
    private static final Logger LOG = LoggerFactory.getLogger(AuditorService.class);
    private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9._-]*\\.(png|json|html)");

    private final AuditorConfig config;
    private final DeltaClassifier classifier;
    private final AtomicBoolean auditing = new AtomicBoolean();
    private final ThreadFaults faults = new ThreadFaults();
    private PairReservoir reservoir;
    private TopicSampler sampler;
    private Thread samplerThread;
    private ExecutorService auditThread;
    private ScheduledExecutorService ticker;
    private AuditMetrics metrics;
    private Topics topics;
    private KafkaProducer<String, io.scrapeguard.schemas.AuditReport> producer;
    private Path auditsDir;
    private volatile AuditResult latest;
    private volatile Path latestDir;
    private volatile String status = "waiting for pairs";
    private volatile long lastAuditNanos = System.nanoTime();
    private volatile long joinedAtLastAudit;

    public AuditorService(AuditorConfig config, DeltaClassifier classifier) {
        this.config = config;
        this.classifier = classifier;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(GuardServiceContext ctx) {
        // the engine the canaries train on and how it was found (./guard doctor: the details)
        LOG.info("auditor engine: {}", TorchReport.probe().oneLine());
        Map<String, Object> kafka = ctx.endpoints().kafkaConfig();
        ReportTopic.ensure(kafka);
        topics = Topics.fromConfig(ctx.endpoints().registryConfig());
        AuditProfile profile = config.settings().profile();
        reservoir =
                new PairReservoir(
                        profile.maxPairsPerLabel(), config.maxPending(), config.settings().seed());
        sampler = new TopicSampler(kafka, topics, reservoir);
        sampler.onFault(this::survived);
        samplerThread = new Thread(this::sample, "guard-auditor-sampler");
        samplerThread.setDaemon(true);
        samplerThread.start();
        metrics = new AuditMetrics(ctx.registries().forService(NAME), profile.name());
        metrics.interval(config.interval());
        // process_uptime_seconds: AuditStale gives a (re)started auditor three intervals for its
        // first audit, and catches one that never completes any
        new UptimeMetrics().bindTo(ctx.registries().forService(NAME));
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "guard-auditor");
        var reports = topics.auditReports();
        producer =
                new KafkaProducer<>(
                        p, reports.keySerde().serializer(), reports.valueSerde().serializer());
        auditsDir = ctx.dataDir().resolve("audits");
        auditThread = Executors.newSingleThreadExecutor(r -> daemon(r, "guard-auditor-audit"));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "guard-auditor-tick"));
        ticker.scheduleWithFixedDelay(this::tick, 2, 2, TimeUnit.SECONDS);
        GuardHttpServer http = ctx.http();
        http.addPage("/audit", this::page);
        LOG.info(
                "auditor sampling {} and {}; report at {}/audit/",
                Topics.RAW_IMAGES,
                Topics.PROTECTED_IMAGES,
                http.baseUrl());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void sample() {
        try {
            sampler.run();
        } catch (Throwable e) {
            // only the start (topics missing) gets here: run() survives each poll's failure
            status = "sampler stopped: " + e;
            faults.add("sampler", e);
            LOG.warn("auditor sampler stopped: {}", e.toString());
        }
    }

    /** A Throwable a thread caught and lived through: logged and shown in /audit/status. */
    private void survived(String thread, Throwable e) {
        faults.add(thread, e);
        LOG.warn("auditor {} thread survived {}", thread, e.toString(), e);
    }

    /** The ticker's body; an exception would cancel every later tick of the schedule. */
    private void tick() {
        try {
            tickOnce();
        } catch (Throwable e) {
            survived("tick", e);
        }
    }

    /** Starts an audit when the interval has passed or enough new pairs arrived. */
    private void tickOnce() {
        long joined = reservoir.joined();
        boolean newPairs = joined > joinedAtLastAudit;
        boolean intervalDue =
                !config.interval().isZero()
                        && System.nanoTime() - lastAuditNanos >= config.interval().toNanos()
                        && newPairs;
        boolean countDue =
                config.everyNewPairs() > 0 && joined - joinedAtLastAudit >= config.everyNewPairs();
        if (intervalDue || countDue) {
            requestAudit(countDue ? "new pairs" : "interval");
        }
    }

    /** Starts an audit now unless one is running; true when started. */
    public boolean requestAudit(String why) {
        if (!auditing.compareAndSet(false, true)) {
            return false;
        }
        lastAuditNanos = System.nanoTime();
        joinedAtLastAudit = reservoir.joined();
        status = "audit started (" + why + ")";
        auditThread.execute(this::runAudit); // not submit: nothing may hide in a Future
        return true;
    }

    private void runAudit() {
        try {
            List<ImagePair> pairs = reservoir.snapshot();
            SkipCounts skipped = reservoir.skipped();
            skipped.addAll(sampler.recordErrors());
            AuditResult r =
                    Auditor.audit(
                            pairs,
                            skipped,
                            classifier,
                            config.settings(),
                            line -> {
                                status = line;
                                LOG.info(line);
                            });
            Path dir = auditsDir.resolve(r.id());
            HtmlReport.write(r, dir);
            latest = r;
            latestDir = dir;
            metrics.record(r);
            producer.send(
                    new ProducerRecord<>(
                            Topics.AUDIT_REPORTS, r.profile().name(), AuditRecords.toRecord(r)),
                    (md, e) -> {
                        if (e != null) {
                            LOG.warn("audit report not published: {}", e.toString());
                        }
                    });
            status =
                    r.completed()
                            ? "last audit " + r.id() + ": " + r.verdict().level()
                            : "last audit "
                                    + r.outcome().name().toLowerCase(Locale.ROOT)
                                    + ": "
                                    + r.reason();
        } catch (Throwable e) {
            // an Error too (out of memory in the canaries): reported, and the next audit runs
            metrics.failed();
            status = "last audit failed: " + e;
            faults.add("audit", e);
            LOG.warn("audit failed", e);
        } finally {
            auditing.set(false);
        }
    }

    /** The sampler's state and the last audit, for /audit/status and the waiting page. */
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("auditing", auditing.get());
        m.put("pairs_joined", reservoir.joined());
        m.put("pairs_in_sample", reservoir.size());
        m.put("pending", reservoir.pending());
        m.put("skipped", reservoir.skipped().asMap());
        m.put("thread_errors", faults.counts());
        m.put("last_thread_error", faults.last());
        AuditResult r = latest;
        m.put("last_report", r == null ? null : r.id());
        m.put("last_verdict", r == null || !r.completed() ? null : r.verdict().level().name());
        m.put("profile", config.settings().profile().name());
        m.put("time", Instant.now().toString());
        return m;
    }

    public AuditResult latest() {
        return latest;
    }

    private void page(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/audit")) {
            ex.getResponseHeaders().set("Location", "/audit/");
            ex.sendResponseHeaders(302, -1);
            ex.close();
            return;
        }
        String rest = path.substring("/audit/".length());
        switch (rest) {
            case "run" -> {
                if (!GuardHttpServer.actionAllowed(ex)) {
                    return;
                }
                boolean started = requestAudit("on demand");
                GuardHttpServer.respond(
                        ex,
                        started ? 202 : 409,
                        "application/json",
                        started
                                ? "{\"started\":true}\n"
                                : "{\"started\":false,\"reason\":\"an audit is running\"}\n");
            }
            case "status" ->
                    GuardHttpServer.respond(
                            ex, 200, "application/json", ReportJsonWriter.write(state()));
            case "", "index.html" -> {
                Path dir = latestDir;
                if (dir == null) {
                    GuardHttpServer.respond(ex, 200, "text/html; charset=utf-8", waiting());
                } else {
                    file(ex, dir.resolve("index.html"));
                }
            }
            default -> {
                Path dir = latestDir;
                if (dir == null || !FILE.matcher(rest).matches()) {
                    GuardHttpServer.respond(ex, 404, "text/plain", "not found\n");
                } else {
                    file(ex, dir.resolve(rest));
                }
            }
        }
    }

    private String waiting() {
        Map<String, Object> s = state();
        return "<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\""
                + " content=\"5\"><title>ScrapeGuard audit</title></head><body style=\""
                + "font-family:sans-serif\"><h1>ScrapeGuard audit</h1><p>No audit yet.</p><p>"
                + HtmlReport.esc(String.valueOf(s.get("status")))
                + "</p><p>"
                + s.get("pairs_joined")
                + " pairs joined, "
                + s.get("pairs_in_sample")
                + " in the sample, "
                + s.get("pending")
                + " waiting for their other half.</p>"
                + "<form method=\"post\" action=\"run\"><button>run an audit now</button>"
                + "</form></body></html>";
    }

    private static void file(HttpExchange ex, Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            GuardHttpServer.respond(ex, 404, "text/plain", "not found\n");
            return;
        }
        String name = f.getFileName().toString();
        String type =
                name.endsWith(".png")
                        ? "image/png"
                        : name.endsWith(".json") ? "application/json" : "text/html; charset=utf-8";
        byte[] body = Files.readAllBytes(f);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public HealthStatus ready() {
        return samplerThread != null && samplerThread.isAlive()
                ? HealthStatus.up(status)
                : HealthStatus.down("auditor sampler not running: " + status);
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (auditThread != null) {
            auditThread.shutdownNow(); // the training loops stop at the next batch
        }
        if (sampler != null) {
            sampler.stop();
        }
        try {
            if (samplerThread != null) {
                samplerThread.join(10_000);
            }
            if (auditThread != null) {
                auditThread.awaitTermination(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
        if (topics != null) {
            topics.close();
        }
    }
}
