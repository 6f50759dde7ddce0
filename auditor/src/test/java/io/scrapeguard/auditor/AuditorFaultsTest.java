package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.ServiceHost;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor's threads against faults: an Error inside an audit or while sampling one record is
 * reported in /audit/status and the thread goes on; aborted transactions are never sampled.
 */
class AuditorFaultsTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();
    @TempDir static Path tmp;

    @BeforeAll
    static void topics() {
        STACK.stack().createTopics(Topics.names(), 1);
    }

    @Test
    void samplerSkipsAbortedRecordsAndSurvivesAnErrorOnOneRecord() throws Exception {
        EmbeddedStack stack = STACK.stack();
        String label = "sampler-faults";
        byte[] png = png32();
        try (Topics topics = Topics.forRegistry(stack.registryUrl());
                KafkaProducer<String, RawImage> raws = producer(stack, topics, null, true);
                KafkaProducer<String, ProtectedImage> prots =
                        producer(stack, topics, "faults-test", false)) {
            raws.send(rawRecord("aborted", label, png)).get();
            prots.initTransactions();
            prots.beginTransaction();
            prots.send(protRecord("aborted", label, png)).get();
            prots.abortTransaction();
            raws.send(rawRecord("boom", label, png)).get();
            raws.send(rawRecord("kept", label, png)).get();
            prots.beginTransaction();
            prots.send(protRecord("kept", label, png));
            prots.commitTransaction();
        }

        PairReservoir reservoir = new PairReservoir(1000, 1000, 1);
        List<String> faults = new CopyOnWriteArrayList<>();
        try (Topics topics = Topics.forRegistry(stack.registryUrl())) {
            TopicSampler sampler =
                    new TopicSampler(stack.consumerConfig("unused"), topics, reservoir, null);
            sampler.onFault((thread, e) -> faults.add(thread + ": " + e));
            sampler.beforeEach(
                    r -> {
                        if ("boom".equals(r.key())) {
                            throw new OutOfMemoryError("planted on record boom");
                        }
                    });
            Thread t = new Thread(sampler::run, "sampler-under-test");
            t.start();
            try {
                await(() -> ids(reservoir).contains("kept"), "the committed pair joined");
                // both halves of "aborted" precede "kept"'s in their partitions: read_uncommitted
                // would have joined it by now
                assertThat(ids(reservoir)).doesNotContain("aborted", "boom");
                assertThat(sampler.recordErrors().asMap())
                        .containsEntry(TopicSampler.RECORD_ERROR, 1);
                assertThat(faults).singleElement().asString().contains("planted on record boom");
                assertThat(t.isAlive()).as("the sampler lives on").isTrue();
            } finally {
                sampler.stop();
                t.join(10_000);
            }
            assertThat(t.isAlive()).isFalse();
        }
    }

    @Test
    void anErrorInsideAnAuditIsReportedAndTheNextAuditRuns() throws Exception {
        EmbeddedStack stack = STACK.stack();
        Path raw = Fixtures.dataset(tmp.resolve("raw"), 10, 20, 32);
        Path prot = Fixtures.protect(raw, tmp.resolve("ar"), Fixtures.ar(), false);
        AuditorConfig config = Fixtures.quickAuditor();
        DeltaClassifier real = BankClassifiers.load(null);
        AtomicBoolean failNext = new AtomicBoolean(true);
        DeltaClassifier failingOnce =
                (d, h, w, c) -> {
                    if (failNext.getAndSet(false)) {
                        throw new OutOfMemoryError("planted inside the audit");
                    }
                    return real.classify(d, h, w, c);
                };
        HttpClient http = HttpClient.newHttpClient();
        try (ServiceHost host =
                new ServiceHost(
                        stack.bootstrapServers(),
                        stack.registryUrl(),
                        tmp.resolve("data"),
                        "127.0.0.1",
                        0,
                        Map.of())) {
            AuditorService service = new AuditorService(config, failingOnce);
            host.start(List.of(service));
            String base = host.http().baseUrl();
            int published = LiveAuditTest.publish(stack, raw, prot);
            await(
                    () -> service.state().get("pairs_joined") instanceof Long j && j >= published,
                    "pairs joined");

            assertThat(LiveAuditTest.post(http, base + "/audit/run").statusCode()).isEqualTo(202);
            await(() -> !Boolean.TRUE.equals(service.state().get("auditing")), "audit ended");
            String status = LiveAuditTest.get(http, base + "/audit/status").body();
            assertThat(status).contains("last audit failed", "planted inside the audit");
            assertThat(service.state().get("thread_errors")).isEqualTo(Map.of("audit", 1));
            assertThat(service.latest()).as("no report from a failed audit").isNull();
            assertThat(LiveAuditTest.get(http, base + "/metrics").body())
                    .contains("guard_audit_runs_total{outcome=\"failed\"");
            assertThat(LiveAuditTest.get(http, base + "/health/ready").statusCode()).isEqualTo(200);

            assertThat(LiveAuditTest.post(http, base + "/audit/run").statusCode()).isEqualTo(202);
            AuditResult next = LiveAuditTest.awaitReport(service, null);
            assertThat(next.completed()).as("the audit thread survived").isTrue();
        }
    }

    private static byte[] png32() throws java.io.IOException {
        var img =
                new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 5, 0x336699);
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static Set<String> ids(PairReservoir reservoir) {
        return reservoir.snapshot().stream().map(ImagePair::id).collect(Collectors.toSet());
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static <V> KafkaProducer<String, V> producer(
            EmbeddedStack stack, Topics topics, String transactionalId, boolean rawTopic) {
        Properties p = new Properties();
        p.putAll(stack.producerConfig());
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        @SuppressWarnings("unchecked")
        var values =
                (org.apache.kafka.common.serialization.Serializer<V>)
                        (rawTopic ? topics.rawImages() : topics.protectedImages())
                                .valueSerde()
                                .serializer();
        return new KafkaProducer<>(
                p, new org.apache.kafka.common.serialization.StringSerializer(), values);
    }

    private static ProducerRecord<String, RawImage> rawRecord(String id, String label, byte[] png) {
        return new ProducerRecord<>(
                Topics.RAW_IMAGES,
                id,
                RawImage.newBuilder()
                        .setImageId(id)
                        .setLabel(label)
                        .setContentType("image/png")
                        .setWidth(32)
                        .setHeight(32)
                        .setChannels(3)
                        .setImage(ByteBuffer.wrap(png))
                        .setSource("test")
                        .setIngestTime(Instant.now())
                        .build());
    }

    private static ProducerRecord<String, ProtectedImage> protRecord(
            String id, String label, byte[] png) {
        return new ProducerRecord<>(
                Topics.PROTECTED_IMAGES, id, LiveAuditTest.protectedImage(id, label, png));
    }
}
