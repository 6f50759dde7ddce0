package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.Endpoints;
import io.scrapeguard.service.ServiceHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The auditor on the real embedded stack: broker, registry, topics, the service and --now. */
class LiveAuditTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();
    @TempDir static Path tmp;
    static Path raw;
    static Path prot;

    @BeforeAll
    static void folders() throws Exception {
        raw = Fixtures.dataset(tmp.resolve("raw"), 10, 20, 32);
        prot = Fixtures.protect(raw, tmp.resolve("ar"), Fixtures.ar(), false);
        STACK.stack().createTopics(Topics.names(), 1);
    }

    static Auditor.Settings minimal() {
        return Auditor.Settings.of(AuditProfile.cpuSmall().withEpochs(1).withSeeds(1))
                .withSeed(3)
                .withDefences(false)
                .withScrapers(THREAT_MODEL);
    }

    /** A scraper pipeline beside native: upscaled x2, the AR delta survives (read at 1/2). */
    static final List<String> THREAT_MODEL = List.of("native", "resize:64");

    /** Publishes the folder pair as the producer and the poisoner would (ids = SHA-256). */
    static int publish(EmbeddedStack stack) throws Exception {
        return publish(stack, raw, prot);
    }

    /** The pairs of {@code raw} and {@code prot} (same relative paths). */
    static int publish(EmbeddedStack stack, Path raw, Path prot) throws Exception {
        int n = 0;
        try (Topics topics = Topics.forRegistry(stack.registryUrl());
                KafkaProducer<String, RawImage> rp =
                        new KafkaProducer<>(
                                stack.producerConfig(),
                                topics.rawImages().keySerde().serializer(),
                                topics.rawImages().valueSerde().serializer());
                KafkaProducer<String, ProtectedImage> pp =
                        new KafkaProducer<>(
                                stack.producerConfig(),
                                topics.protectedImages().keySerde().serializer(),
                                topics.protectedImages().valueSerde().serializer());
                Stream<Path> files = Files.walk(raw)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                String rel = raw.relativize(f).toString();
                String label = rel.substring(0, rel.indexOf('/'));
                byte[] rawBytes = Files.readAllBytes(f);
                byte[] protBytes = Files.readAllBytes(prot.resolve(rel));
                String id = ImagePair.idOf(rawBytes);
                // Protected first for half of them: the join must not depend on arrival order.
                if (n % 2 == 0) {
                    pp.send(
                            new ProducerRecord<>(
                                    Topics.PROTECTED_IMAGES,
                                    id,
                                    protectedImage(id, label, protBytes)));
                }
                rp.send(
                        new ProducerRecord<>(
                                Topics.RAW_IMAGES,
                                id,
                                RawImage.newBuilder()
                                        .setImageId(id)
                                        .setLabel(label)
                                        .setContentType("image/png")
                                        .setWidth(32)
                                        .setHeight(32)
                                        .setChannels(3)
                                        .setImage(ByteBuffer.wrap(rawBytes))
                                        .setSource(rel)
                                        .setIngestTime(Instant.now())
                                        .build()));
                if (n % 2 == 1) {
                    pp.send(
                            new ProducerRecord<>(
                                    Topics.PROTECTED_IMAGES,
                                    id,
                                    protectedImage(id, label, protBytes)));
                }
                n++;
            }
        }
        return n;
    }

    static ProtectedImage protectedImage(String id, String label, byte[] png) {
        return ProtectedImage.newBuilder()
                .setImageId(id)
                .setLabel(label)
                .setContentType("image/png")
                .setWidth(32)
                .setHeight(32)
                .setImage(ByteBuffer.wrap(png))
                .setMethod("ar")
                .setBudget(1.0)
                .setBankVersion("test")
                .setProcessedTime(Instant.now())
                .build();
    }

    @Test
    void serviceSamplesAuditsOnDemandServesTheReportAndExportsMetrics() throws Exception {
        EmbeddedStack stack = STACK.stack();
        Path dataDir = tmp.resolve("data");
        AuditorConfig config = Fixtures.quickAuditor("auditor.scrapers", "native, resize:64");
        HttpClient http = HttpClient.newHttpClient();
        try (ServiceHost host =
                new ServiceHost(
                        stack.bootstrapServers(),
                        stack.registryUrl(),
                        dataDir,
                        "127.0.0.1",
                        0,
                        Map.of())) {
            AuditorService service = new AuditorService(config, BankClassifiers.load(null));
            host.start(List.of(service));
            String base = host.http().baseUrl();

            // A link or an image tag cannot start an audit, nor can another site's form.
            HttpResponse<String> viaGet = get(http, base + "/audit/run");
            assertThat(viaGet.statusCode()).isEqualTo(405);
            assertThat(viaGet.headers().firstValue("Allow")).hasValue("POST");
            assertThat(
                            http.send(
                                            HttpRequest.newBuilder(URI.create(base + "/audit/run"))
                                                    .header("Origin", "http://evil.example")
                                                    .POST(HttpRequest.BodyPublishers.noBody())
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode())
                    .isEqualTo(403);
            assertThat(service.state().get("auditing")).isEqualTo(false);

            // Nothing published yet: the audit does not run, and says why.
            assertThat(post(http, base + "/audit/run").statusCode()).isEqualTo(202);
            AuditResult skipped = awaitReport(service, null);
            assertThat(skipped.outcome()).isEqualTo(AuditResult.Outcome.SKIPPED);
            assertThat(get(http, base + "/audit/").body()).contains("SKIPPED", skipped.reason());

            int published = publish(stack);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (service.state().get("pairs_joined") instanceof Long j
                    && j < published
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(service.state().get("pairs_in_sample")).isEqualTo(published);
            assertThat(post(http, base + "/audit/run").statusCode()).isEqualTo(202);
            assertThat(post(http, base + "/audit/run").statusCode())
                    .as("one at a time")
                    .isEqualTo(409);
            assertThat(get(http, base + "/health/live").statusCode())
                    .as("serves meanwhile")
                    .isEqualTo(200);
            AuditResult r = awaitReport(service, skipped);
            assertThat(r.completed()).isTrue();
            assertThat(r.integrity().filterAccuracy()).isGreaterThanOrEqualTo(0.99);

            HttpResponse<String> page = get(http, base + "/audit/");
            assertThat(page.body()).contains("PROTECTED", "loss.png");
            assertThat(page.body())
                    .as("no deltas unless auditor.pictures.deltas=true")
                    .doesNotContain("samples.png");
            assertThat(get(http, base + "/audit/samples.png").statusCode()).isEqualTo(404);
            assertThat(get(http, base + "/audit/loss.png").statusCode()).isEqualTo(200);
            assertThat(get(http, base + "/audit/../../etc/passwd").statusCode()).isEqualTo(404);
            assertThat(
                            Files.exists(
                                    dataDir.resolve("audits")
                                            .resolve(r.id())
                                            .resolve("index.html")))
                    .isTrue();
            String metrics = get(http, base + "/metrics").body();
            assertThat(metrics)
                    .contains(
                            "guard_audit_filter_accuracy{profile=\"cpu-small\","
                                    + "service=\"auditor\"} 1.0");
            assertThat(metrics)
                    .contains(
                            "guard_audit_verdict{profile=\"cpu-small\","
                                    + "service=\"auditor\",verdict=\"PROTECTED\"} 1.0");
            assertThat(metrics)
                    .contains(
                            "guard_audit_runs_total{outcome=\"skipped\"",
                            "guard_audit_probe_accuracy{probe=\"control\"",
                            "guard_audit_canary_accuracy{canary=\"protected\"",
                            "guard_audit_protection_score{basis=\"peak\"",
                            "guard_audit_duration_seconds_count{profile=\"cpu-small\","
                                    + "service=\"auditor\",stage=\"canaries\"}",
                            "guard_audit_pairs{",
                            "guard_audit_last_completed{");
            assertThat(metrics)
                    .contains(
                            "guard_audit_scraper_verdict{profile=\"cpu-small\",scraper=\"resize:64\",service=\"auditor\",verdict=\"PROTECTED\"}"
                                + " 1.0",
                            "guard_audit_scraper_threat_model{profile=\"cpu-small\","
                                    + "scraper=\"resize:64\",service=\"auditor\"} 1.0");
            assertThat(metrics)
                    .as("AuditStale needs the auditor's uptime")
                    .contains("process_uptime_seconds{service=\"auditor\"");

            // The same pairs audited with --now give the same figures and curves as the
            // service's audit and as the offline audit of the folders (same seeds): three runs.
            AuditResult live =
                    LiveAudit.now(
                            new Endpoints(stack.bootstrapServers(), stack.registryUrl(), ""),
                            minimal(),
                            BankClassifiers.load(null),
                            Duration.ofSeconds(60),
                            l -> {});
            PairedFolders.Pairing pairing = PairedFolders.pair(raw, prot, 1000, 3, l -> {});
            AuditResult offline =
                    Auditor.audit(
                            pairing.pairs(),
                            pairing.skipped(),
                            BankClassifiers.load(null),
                            minimal(),
                            l -> {});
            for (AuditResult other : List.of(live, offline)) {
                assertThat(figures(other)).isEqualTo(figures(r));
            }
            List<io.scrapeguard.schemas.AuditReport> onTopic = reportsOnTopic(stack);
            assertThat(onTopic)
                    .extracting(a -> a.getReportId())
                    .contains(skipped.id(), r.id(), live.id());
            io.scrapeguard.schemas.AuditReport liveRecord =
                    onTopic.stream()
                            .filter(a -> a.getReportId().equals(live.id()))
                            .findFirst()
                            .orElseThrow();
            assertThat(liveRecord.getThreatModel()).containsExactlyElementsOf(THREAT_MODEL);
            assertThat(liveRecord.getScrapers())
                    .extracting(v -> v.getName())
                    .containsExactlyElementsOf(THREAT_MODEL);
            // how visible the protection is travels with the report, top level and per pipeline
            assertThat(liveRecord.getFigures())
                    .filteredOn(f -> f.getName().equals("integrity.psnr_db"))
                    .singleElement()
                    .satisfies(
                            f ->
                                    assertThat(f.getValue())
                                            .isEqualTo(live.integrity().psnr())
                                            .isBetween(20.0, 60.0));
            assertThat(liveRecord.getScrapers())
                    .allSatisfy(
                            v ->
                                    assertThat(v.getFigures())
                                            .extracting(f -> f.getName())
                                            .contains("integrity.psnr_db", "integrity.ssim"));
        }
    }

    /** Everything measured (not ids, times or costs). */
    @SuppressWarnings("unchecked")
    static List<Object> figures(AuditResult r) {
        Map<String, Object> t = ReportJson.tree(r);
        List<Object> scrapers = new ArrayList<>();
        for (Object row : (List<?>) t.get("scrapers")) {
            Map<String, Object> m = new java.util.LinkedHashMap<>((Map<String, Object>) row);
            m.remove("cost_seconds");
            scrapers.add(m);
        }
        return List.of(
                t.get("pairs"),
                t.get("integrity"),
                t.get("separability"),
                t.get("canary"),
                t.get("efficacy"),
                t.get("verdict"),
                t.get("threat_model"),
                scrapers,
                t.get("dilution"));
    }

    static AuditResult awaitReport(AuditorService service, AuditResult previous)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            AuditResult r = service.latest();
            if (r != null
                    && r != previous
                    && !Boolean.TRUE.equals(service.state().get("auditing"))) {
                return r;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no audit report; status: " + service.state());
    }

    static List<io.scrapeguard.schemas.AuditReport> reportsOnTopic(EmbeddedStack stack) {
        List<io.scrapeguard.schemas.AuditReport> ids = new ArrayList<>();
        try (Topics topics = Topics.forRegistry(stack.registryUrl());
                KafkaConsumer<String, io.scrapeguard.schemas.AuditReport> c =
                        new KafkaConsumer<>(
                                stack.consumerConfig("audit-reports-test"),
                                topics.auditReports().keySerde().deserializer(),
                                topics.auditReports().valueSerde().deserializer())) {
            c.subscribe(List.of(Topics.AUDIT_REPORTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ids.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, io.scrapeguard.schemas.AuditReport> rec :
                        c.poll(Duration.ofMillis(500))) {
                    ids.add(rec.value());
                    assertThat(rec.key()).isEqualTo("cpu-small");
                }
            }
        }
        return ids;
    }

    static HttpResponse<String> post(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
