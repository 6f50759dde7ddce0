package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.embedded.EmbeddedSchemaRegistry;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.HealthStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's log dir fills up while the poisoner works. In this JVM that cannot be simulated
 * safely: on a failed log dir Kafka halts the JVM. So the broker runs in a child JVM ({@link
 * BrokerChild}) under {@code ulimit -f}: once a segment would grow past the limit the write fails
 * with "File too large" (HotSpot ignores SIGXFSZ), the broker takes its only log dir offline and
 * halts, and only the child dies. The fault is that event (the child exits), not a time. The broker
 * then starts again without the limit on the same log dir and ports: every image the producer got
 * an acknowledgement for is protected exactly once, nothing unprotected is published, and readiness
 * is DOWN during the outage and UP after.
 */
class DiskFullChaosTest {
    private static final String SUFFIX = ".disk-full";

    /**
     * Largest file the limited broker may write: above the metadata log's preallocated 10 MiB
     * index.
     */
    private static final long FILE_LIMIT_KB = 12 * 1024;

    private static final String INDEX_BYTES = String.valueOf(1024 * 1024);
    private static final int SIDE = 192;
    private static final int MAX_IMAGES = 2_000;

    @TempDir Path tmp;

    @Test
    void aFullLogDirHaltsOnlyTheBrokerAndNothingAcknowledgedIsLost() throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        Path data = Files.createDirectories(tmp.resolve("kafka"));
        List<Process> children = new ArrayList<>();
        PoisonerTopics t = PoisonerTopics.withSuffix(SUFFIX);
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
            Path firstLog = tmp.resolve("broker-limited.log");
            Process limited = startBroker(data, port, controllerPort, firstLog, FILE_LIMIT_KB);
            children.add(limited);
            String bootstrap = awaitReady(limited, firstLog);
            EmbeddedStack stack =
                    EmbeddedStack.builder().external(bootstrap, registry.url()).start();
            PoisonerOptions options =
                    PoisonerOptions.defaults(bootstrap, registry.url(), tmp.resolve("state"))
                            .withTopics(t)
                            .withApplicationId("test-poisoner" + SUFFIX)
                            .withStreamsOverrides(Harness.fastFailover())
                            .withStallThreshold(Duration.ofSeconds(2));
            // one partition each, so that one segment file reaches the limit (not four, a quarter
            // each); the poisoner keeps topics that exist
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(
                                List.of(t.raw(), t.protectedImages(), t.deadLetters()).stream()
                                        .map(
                                                n ->
                                                        new NewTopic(n, 1, (short) 1)
                                                                .configs(Topics.topicConfig()))
                                        .toList())
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            Map<String, byte[]> sent = new LinkedHashMap<>();
            Set<String> acked = new HashSet<>();
            try (Topics topics = Topics.forRegistry(registry.url());
                    Poisoner p =
                            Poisoner.start(
                                    options, Harness.protection(), new SimpleMeterRegistry())) {
                p.awaitRunning(Duration.ofSeconds(90));
                assertThat(
                                Harness.awaitReadiness(
                                                p::ready, HealthStatus::up, Duration.ofSeconds(60))
                                        .up())
                        .isTrue();

                long t0 = System.nanoTime();
                try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
                    while (limited.isAlive() && sent.size() < MAX_IMAGES) {
                        String id = "img-" + sent.size();
                        byte[] png = noise(SIDE, SIDE, sent.size());
                        sent.put(id, png);
                        byte[] value =
                                Harness.serialize(topics, t.raw(), Harness.raw(id, "cats", png));
                        try {
                            producer.send(new ProducerRecord<>(t.raw(), id, value))
                                    .get(30, TimeUnit.SECONDS);
                            acked.add(id);
                        } catch (ExecutionException | TimeoutException e) {
                            break; // the disk is full: this one may or may not be in the log
                        }
                    }
                    producer.close(Duration.ofSeconds(1));
                }
                assertThat(limited.waitFor(90, TimeUnit.SECONDS))
                        .as("the limited broker halted after %d images", sent.size())
                        .isTrue();
                String brokerLog = Files.readString(firstLog, StandardCharsets.UTF_8);
                assertThat(brokerLog)
                        .as("broker log %s", firstLog)
                        .contains("File too large")
                        .contains("Shutdown broker because all log dirs");
                brokerLog
                        .lines()
                        .filter(l -> l.contains("ERROR") || l.contains("FATAL"))
                        .limit(6)
                        .forEach(l -> System.out.println("limited broker: " + l));
                System.out.printf(
                        "disk full after %d images sent, %d acknowledged, %.1f s; exit %d%n",
                        sent.size(),
                        acked.size(),
                        (System.nanoTime() - t0) / 1e9,
                        limited.exitValue());

                HealthStatus down =
                        Harness.awaitReadiness(p::ready, s -> !s.up(), Duration.ofSeconds(90));
                assertThat(down.up()).isFalse();
                System.out.println("readiness during the outage: " + down.reason());

                Path secondLog = tmp.resolve("broker-unlimited.log");
                Process unlimited = startBroker(data, port, controllerPort, secondLog, 0);
                children.add(unlimited);
                assertThat(awaitReady(unlimited, secondLog)).isEqualTo(bootstrap);

                // what the log kept: every acknowledged image, maybe the one that failed
                long rawCount = Harness.countCommittedRecords(stack, t.raw());
                var rawRecords =
                        Harness.readCommitted(
                                stack,
                                t.raw(),
                                (int) rawCount,
                                Duration.ofSeconds(60),
                                Duration.ZERO);
                Set<String> inLog = new HashSet<>();
                for (var r : rawRecords) {
                    inLog.add(new String(r.key(), StandardCharsets.UTF_8));
                }
                assertThat(inLog).hasSize(rawRecords.size()).containsAll(acked);
                assertThat(sent.keySet()).containsAll(inLog);

                var out =
                        Harness.readCommitted(
                                stack,
                                t.protectedImages(),
                                inLog.size(),
                                Duration.ofSeconds(180),
                                Duration.ofSeconds(3));
                Map<String, ProtectedImage> byId =
                        Harness.protectedById(topics, t.protectedImages(), out);
                assertThat(out).as("exactly once").hasSize(inLog.size());
                assertThat(byId.keySet()).isEqualTo(inLog);
                ImagePipeline undisturbed = Harness.undisturbed();
                for (var e : byId.entrySet()) {
                    byte[] published = Harness.bytes(e.getValue().getImage());
                    assertThat(published)
                            .as("%s protected", e.getKey())
                            .isNotEqualTo(sent.get(e.getKey()))
                            .isEqualTo(
                                    undisturbed
                                            .process(e.getKey(), "cats", sent.get(e.getKey()))
                                            .encoded());
                }
                assertThat(Harness.countCommittedRecords(stack, t.deadLetters()))
                        .as("dead letters")
                        .isZero();
                assertThat(
                                Harness.awaitReadiness(
                                                p::ready, HealthStatus::up, Duration.ofSeconds(90))
                                        .up())
                        .isTrue();
                System.out.printf(
                        "after restart: %d in the raw log (%d acknowledged), %d protected%n",
                        inLog.size(), acked.size(), out.size());
            }
        } finally {
            for (Process c : children) {
                c.destroyForcibly();
                c.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A broker child; under {@code ulimit -f limitKb} when limitKb &gt; 0. */
    private static Process startBroker(
            Path data, int port, int controllerPort, Path log, long limitKb) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String limit = limitKb > 0 ? "ulimit -f " + limitKb + "; " : "";
        return new ProcessBuilder(
                        "bash",
                        "-c",
                        limit + "exec \"$@\"",
                        "bash",
                        java,
                        "-Xmx384m",
                        "-XX:-UsePerfData",
                        "-cp",
                        System.getProperty("java.class.path"),
                        BrokerChild.class.getName(),
                        data.toString(),
                        Integer.toString(port),
                        Integer.toString(controllerPort),
                        "log.index.size.max.bytes=" + INDEX_BYTES)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String awaitReady(Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            int at = text.indexOf("broker ready ");
            if (at >= 0 && text.indexOf('\n', at) > 0) {
                return text.substring(at + "broker ready ".length(), text.indexOf('\n', at)).trim();
            }
            assertThat(child.isAlive()).as("broker child alive; log:%n%s", text).isTrue();
            assertThat(System.nanoTime())
                    .as("broker child started; log %s", log)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Seeded RGB noise: PNG cannot compress it, so few images fill the limit. */
    private static byte[] noise(int w, int h, long seed) {
        byte[] px = new byte[w * h * 3];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (16 + rnd.nextInt(224));
        }
        return ImageCodec.encodePng(Image8.of(w, h, 3, px, null));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
