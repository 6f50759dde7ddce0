package io.scrapeguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.imaging.TestImages;
import io.scrapeguard.poisoner.HostileRecords;
import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.Endpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's "what it must show", on {@code ./guard up} as users run it (a child JVM with the
 * embedded broker and registry, the poisoner and the auditor, default limits): every hostile kind
 * that reaches it from outside ({@link HostileRecords#fromOutside}), published as raw bytes by a
 * plain producer in among 1,000 good images, is a dead letter with its reason within 60 s of its
 * publication; the 1,000 good images are protected exactly once; the poisoner never restarts; and
 * {@code /metrics} adds up: in = protected + dead-lettered.
 */
class UpHostileInputTest {
    private static final int GOOD = 1000;
    private static final Duration DEAD_LETTER_DEADLINE = Duration.ofSeconds(60);
    private static final Duration PROTECTED_DEADLINE = Duration.ofSeconds(120);

    @TempDir Path tmp;
    private UpChild up;

    @AfterEach
    void stopUp() throws Exception {
        if (up != null) {
            up.close();
        }
    }

    @Test
    void everyHostileRecordIsADeadLetterWithinAMinuteAndEveryGoodImageIsProtectedOnce()
            throws Exception {
        String labels =
                IntStream.range(0, 10).mapToObj(i -> "class-" + i).collect(Collectors.joining(","));
        up = UpChild.start(tmp, "--labels", labels);
        Endpoints endpoints = up.awaitReady(Duration.ofSeconds(180));

        Map<String, HostileRecords.Hostile> hostile = new LinkedHashMap<>();
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        try (Topics topics = Topics.forRegistry(endpoints.registryUrl())) {
            for (var h :
                    HostileRecords.fromOutside(
                            topics, Topics.RAW_IMAGES, endpoints.registryUrl())) {
                hostile.put(h.id(), h);
            }
            List<String> toPlant = new ArrayList<>(hostile.keySet());
            for (int i = 0; i < GOOD; i++) {
                String id = "good-" + i;
                records.add(
                        Map.entry(
                                id,
                                HostileRecords.rawRecord(
                                        topics,
                                        Topics.RAW_IMAGES,
                                        id,
                                        "class-" + (i % 10),
                                        TestImages.png(16, 16, i))));
                if (i % 125 == 60 && !toPlant.isEmpty()) {
                    String bad = toPlant.remove(0);
                    records.add(Map.entry(bad, hostile.get(bad).value()));
                }
            }
            toPlant.forEach(bad -> records.add(Map.entry(bad, hostile.get(bad).value())));
        }
        assertThat(records).hasSize(GOOD + hostile.size());

        Map<String, Long> publishedAt = publish(endpoints, records, hostile.keySet());

        // the dead letters, each within 60 s of its publication (failing at the deadline)
        Map<String, String> reasons = new TreeMap<>();
        Map<String, Long> seenAfterMs = new TreeMap<>();
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (var c = committedReader(endpoints, Topics.DEAD_LETTERS)) {
            while (!reasons.keySet().containsAll(hostile.keySet())) {
                long now = System.currentTimeMillis();
                for (String id : hostile.keySet()) {
                    if (!reasons.containsKey(id)) {
                        assertThat(now - publishedAt.get(id))
                                .as(
                                        "%s not a dead letter %d s after its publication (seen:"
                                                + " %s)",
                                        id, DEAD_LETTER_DEADLINE.toSeconds(), reasons)
                                .isLessThanOrEqualTo(DEAD_LETTER_DEADLINE.toMillis());
                    }
                }
                for (var r : c.poll(Duration.ofMillis(100))) {
                    String id = new String(r.key(), StandardCharsets.UTF_8);
                    dead.add(r);
                    reasons.put(id, DeadLetterHeaders.read(r.headers()).reason());
                    seenAfterMs.putIfAbsent(
                            id, System.currentTimeMillis() - publishedAt.getOrDefault(id, 0L));
                }
            }
        }
        Map<String, String> expectedReasons = new TreeMap<>();
        hostile.values().forEach(h -> expectedReasons.put(h.id(), h.reason()));
        assertThat(reasons).as("dead letters and their reasons").isEqualTo(expectedReasons);
        for (var r : dead) {
            String id = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(r.value())
                    .as("the original bytes of %s", id)
                    .isEqualTo(hostile.get(id).value());
        }
        System.out.println("UpHostileInputTest: dead-lettered after (ms) " + seenAfterMs);

        // every good image protected, then nothing more for a grace period
        Map<String, Integer> protectedIds = new HashMap<>();
        long start = System.nanoTime();
        try (var c = committedReader(endpoints, Topics.PROTECTED_IMAGES)) {
            long deadline = start + PROTECTED_DEADLINE.toNanos();
            long graceEnd = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, graceEnd)) {
                for (var r : c.poll(Duration.ofMillis(100))) {
                    protectedIds.merge(
                            new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
                }
                if (protectedIds.size() >= GOOD && graceEnd == Long.MAX_VALUE) {
                    graceEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        System.out.printf(
                "UpHostileInputTest: %d protected, all within %d ms of the last dead letter%n",
                protectedIds.size(), (System.nanoTime() - start) / 1_000_000);
        assertThat(protectedIds.keySet())
                .as("the good images on the protected topic")
                .isEqualTo(
                        IntStream.range(0, GOOD)
                                .mapToObj(i -> "good-" + i)
                                .collect(Collectors.toSet()));
        assertThat(protectedIds.values())
                .as("each good image protected exactly once")
                .containsOnly(1);

        // the counters: every input counted once, none reprocessed, no restart
        String metrics = awaitMetric(up, "guard_images_in_total", GOOD + hostile.size());
        double in = sum(metrics, "guard_images_in_total");
        double protectedCount = sum(metrics, "guard_images_protected_total");
        double deadCount = sum(metrics, "guard_images_dead_lettered_total");
        assertThat(in).isEqualTo(GOOD + hostile.size());
        assertThat(protectedCount).isEqualTo(GOOD);
        assertThat(in).as("in = protected + dead-lettered").isEqualTo(protectedCount + deadCount);
        Map<String, Long> expectedByReason =
                hostile.values().stream()
                        .collect(
                                Collectors.groupingBy(
                                        HostileRecords.Hostile::reason,
                                        TreeMap::new,
                                        Collectors.counting()));
        assertThat(deadByReason(metrics)).isEqualTo(expectedByReason);
        assertThat(series(metrics, "guard_poisoner_restarts_total"))
                .as("the poisoner's restarts counter is exposed and zero")
                .containsExactly(0.0);
        assertThat(sum(metrics, "guard_images_reprocessed_total")).isZero();
        assertThat(up.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(up.process().isAlive()).isTrue();
        assertThat(up.stderr())
                .as("no stream replaced and no stream thread replaced")
                .doesNotContain("the poisoner stream stopped")
                .doesNotContain("replacing the stream thread")
                .doesNotContain("killed a stream thread");
    }

    @Test
    void readinessShowsTheRegistryDownWhileItsProcessIsKilledAndUpOnceItAnswersAgain()
            throws Exception {
        up = UpChild.start(tmp, "--labels", "cats", "--threads", "1");
        Endpoints endpoints = up.awaitReady(Duration.ofSeconds(180));
        // UP before the kill (the ready line means UP: UpCommandTest); polled, so that a brief
        // rebalance right after the start is not mistaken for the outage below
        awaitReadiness(up, r -> r.statusCode() == 200, Duration.ofSeconds(60));

        // kill -9 of the registry's JVM (not of its watchdog shell), as the OOM killer would
        ProcessHandle registry =
                up.process()
                        .toHandle()
                        .descendants()
                        .filter(h -> h.info().command().orElse("").endsWith("/java"))
                        .filter(h -> h.info().commandLine().orElse("").contains("quarkus-run.jar"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no registry JVM under up"));
        registry.destroyForcibly();
        registry.onExit().get(30, TimeUnit.SECONDS);
        long killed = System.nanoTime();

        HttpResponse<String> down =
                awaitReadiness(up, r -> r.statusCode() == 503, Duration.ofSeconds(30));
        assertThat(down.body())
                .contains("schema-registry")
                .contains("schema registry down or not answering yet");
        long downSeen = System.nanoTime();
        // UP again once the registry started again answers, and not before
        awaitReadiness(
                up,
                r -> r.statusCode() == 200 && r.body().contains("running, restarted 1x"),
                Duration.ofSeconds(150));
        System.out.printf(
                "UpHostileInputTest: readiness DOWN %d ms after the kill, UP again %d ms later%n",
                (downSeen - killed) / 1_000_000, (System.nanoTime() - downSeen) / 1_000_000);
        assertThat(
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                endpoints.registryUrl()
                                                                        + "/subjects"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                .as("the new registry answers")
                .isEqualTo(200);
    }

    /**
     * Polls /health/ready until {@code until} holds; fails at the deadline with the last answer.
     */
    private static HttpResponse<String> awaitReadiness(
            UpChild up, Predicate<HttpResponse<String>> until, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> r = up.get("/health/ready");
            if (until.test(r)) {
                return r;
            }
            assertThat(System.nanoTime())
                    .as("readiness after %s: %d %s", timeout, r.statusCode(), r.body())
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * Sends the records in order with a plain producer, as an attacker would; returns when each of
     * {@code timed} was handed to the producer (epoch ms), i.e. no later than its publication.
     */
    private static Map<String, Long> publish(
            Endpoints endpoints,
            List<Map.Entry<String, byte[]>> records,
            java.util.Set<String> timed) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        Map<String, Long> sentAt = new HashMap<>();
        try (var producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (var r : records) {
                if (timed.contains(r.getKey())) {
                    sentAt.put(r.getKey(), System.currentTimeMillis());
                }
                producer.send(new ProducerRecord<>(Topics.RAW_IMAGES, r.getKey(), r.getValue()));
            }
            producer.flush();
        }
        return sentAt;
    }

    /** A read_committed consumer on every partition of the topic, from the beginning. */
    private static KafkaConsumer<byte[], byte[]> committedReader(
            Endpoints endpoints, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts =
                c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(i -> new TopicPartition(topic, i.partition()))
                        .toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    /** /metrics once {@code series} has reached {@code value} (it is counted before the commit). */
    private static String awaitMetric(UpChild up, String series, double value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String metrics = up.get("/metrics").body();
            if (sum(metrics, series) >= value || System.nanoTime() > deadline) {
                return metrics;
            }
            Thread.sleep(200);
        }
    }

    /** The values of a Prometheus series, one per label set. */
    private static List<Double> series(String metrics, String name) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .toList();
    }

    private static double sum(String metrics, String name) {
        return series(metrics, name).stream().mapToDouble(Double::doubleValue).sum();
    }

    /** guard_images_dead_lettered_total by its reason tag (the non-zero ones). */
    private static Map<String, Long> deadByReason(String metrics) {
        Pattern reason = Pattern.compile("reason=\"([^\"]+)\"");
        Map<String, Long> out = new TreeMap<>();
        metrics.lines()
                .filter(l -> l.startsWith("guard_images_dead_lettered_total{"))
                .forEach(
                        l -> {
                            Matcher m = reason.matcher(l);
                            long n = (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                            if (m.find() && n > 0) {
                                out.merge(m.group(1), n, Long::sum);
                            }
                        });
        return out;
    }
}
