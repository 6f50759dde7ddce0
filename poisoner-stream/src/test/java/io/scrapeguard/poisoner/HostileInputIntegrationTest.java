package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.Protector;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.imaging.TestImages;
import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's hostile records, mixed into good images, through the real broker, registry and serde:
 * each ends as a dead letter with its reason, every good image is protected once, the stream never
 * stops, and the counters add up.
 */
class HostileInputIntegrationTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int GOOD = 200;
    private static Topics topics;
    @TempDir Path tmp;

    @BeforeAll
    static void serdes() {
        topics = Topics.forRegistry(STACK.stack().registryUrl());
    }

    @AfterAll
    static void closeSerdes() {
        topics.close();
    }

    private static EmbeddedStack stack() {
        return STACK.stack();
    }

    @Test
    void everyHostileRecordIsADeadLetterWithItsReasonAndEveryGoodImageIsProtectedOnce()
            throws Exception {
        PoisonerTopics t = PoisonerTopics.withSuffix(".hostile");
        Set<String> labels =
                IntStream.range(0, 10).mapToObj(i -> "class-" + i).collect(Collectors.toSet());
        Map<String, String> reasonById = new HashMap<>();
        Map<String, byte[]> hostile = new HashMap<>();
        for (var h : HostileRecords.fromOutside(topics, t.raw(), stack().registryUrl())) {
            hostile.put(h.id(), h.value());
            reasonById.put(h.id(), h.reason());
        }
        // a record that kills its real stream thread: only an injected engine reaches it
        hostile.put("pill", raw(t, "pill", "class-3", TestImages.png(16, 16, 2)));
        reasonById.put("pill", "poison-pill");

        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        List<String> hostileIds = new ArrayList<>(hostile.keySet());
        for (int i = 0; i < GOOD; i++) {
            String id = "good-" + i;
            records.add(
                    new SimpleEntry<>(
                            id, raw(t, id, "class-" + (i % 10), TestImages.png(16, 16, i))));
            if (i % 25 == 10 && !hostileIds.isEmpty()) {
                String bad = hostileIds.remove(0);
                records.add(new SimpleEntry<>(bad, hostile.get(bad)));
            }
        }
        hostileIds.forEach(bad -> records.add(new SimpleEntry<>(bad, hostile.get(bad))));

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PoisonerOptions options =
                Harness.options(stack(), ".hostile", tmp)
                        .withLabelPolicy(LabelPolicy.strict(labels));
        try (Poisoner p = Poisoner.start(options, killsItsThreadOn("pill"), registry)) {
            p.awaitRunning(Duration.ofSeconds(90));
            Harness.send(stack(), t.raw(), records);

            var dead =
                    Harness.readCommitted(
                            stack(), t.deadLetters(), hostile.size(), WAIT, Duration.ofSeconds(1));
            var published =
                    Harness.readCommitted(
                            stack(), t.protectedImages(), GOOD, WAIT, Duration.ofSeconds(1));

            Map<String, String> reasons = new HashMap<>();
            for (var r : dead) {
                String id = new String(r.key(), StandardCharsets.UTF_8);
                reasons.put(id, DeadLetterHeaders.read(r.headers()).reason());
                assertThat(r.value()).as("original bytes of %s", id).isEqualTo(hostile.get(id));
            }
            assertThat(dead).hasSize(hostile.size());
            assertThat(reasons).isEqualTo(reasonById);
            assertThat(Harness.protectedById(topics, t.protectedImages(), published).keySet())
                    .hasSize(GOOD)
                    .allSatisfy(id -> assertThat(id).startsWith("good-"));
            assertThat(p.state()).isEqualTo(KafkaStreams.State.RUNNING);
            double protectedCount = sum(registry, "guard.images.protected");
            double deadCount = sum(registry, "guard.images.dead.lettered");
            assertThat(protectedCount).isEqualTo(GOOD);
            assertThat(deadCount).isEqualTo(hostile.size());
        }
    }

    @Test
    void aStreamHeldInsideOneImageIsNotReadyUntilItMovesAgain() throws Exception {
        PoisonerTopics t = PoisonerTopics.withSuffix(".stall");
        int before = 5;
        int total = 20;
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PoisonerOptions options =
                Harness.options(stack(), ".stall", tmp)
                        .withThreads(1)
                        .withStallThreshold(Duration.ofSeconds(2));
        Protector gated = holdsAfter(before, held, release);
        try (Poisoner p = Poisoner.start(options, gated, new SimpleMeterRegistry())) {
            p.awaitRunning(Duration.ofSeconds(90));
            awaitReady(p, true, "ready before any input");
            List<Map.Entry<String, byte[]>> records = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                String id = "img-" + i;
                records.add(
                        new SimpleEntry<>(
                                id, raw(t, id, "class-" + (i % 3), TestImages.png(16, 16, i))));
            }
            Harness.send(stack(), t.raw(), records);

            assertThat(held.await(90, TimeUnit.SECONDS)).as("the stream reached the gate").isTrue();
            awaitReady(p, false, "stalled while held with records waiting");
            assertThat(p.ready().reason()).contains("stalled", "records waiting");
            assertThat(p.state())
                    .as("a stall is invisible in the state")
                    .isEqualTo(KafkaStreams.State.RUNNING);

            release.countDown();
            var published =
                    Harness.readCommitted(
                            stack(), t.protectedImages(), total, WAIT, Duration.ofSeconds(1));
            assertThat(published).hasSize(total);
            awaitReady(p, true, "ready again once the offsets move");
        }
    }

    @Test
    void upsServiceReplacesAStreamThatStoppedAndEveryImageIsProtectedOnce() throws Exception {
        PoisonerTopics t = PoisonerTopics.withSuffix(".restart");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PoisonerGuardService service =
                new PoisonerGuardService(
                        Harness.options(stack(), ".restart", tmp),
                        Harness.protection(),
                        Duration.ofSeconds(10));
        try {
            service.start(registry);
            Harness.send(stack(), t.raw(), images(t, 0, 10));
            assertThat(Harness.readCommitted(stack(), t.protectedImages(), 10, WAIT, Duration.ZERO))
                    .hasSize(10);

            Poisoner first = service.poisoner();
            first.streams().close(Duration.ofSeconds(10)); // what ERROR ends in: not running
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (service.poisoner() == first
                    || service.poisoner().state() != KafkaStreams.State.RUNNING) {
                assertThat(System.nanoTime()).as("a new stream runs").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(service.live().up()).isTrue();
            Harness.send(stack(), t.raw(), images(t, 10, 20));
            var published =
                    Harness.readCommitted(
                            stack(), t.protectedImages(), 20, WAIT, Duration.ofSeconds(1));
            assertThat(published).hasSize(20);
            assertThat(Harness.protectedById(topics, t.protectedImages(), published)).hasSize(20);
            assertThat(registry.counter("guard.poisoner.restarts").count()).isEqualTo(1);
            assertThat(service.gaveUp()).isNull();
        } finally {
            service.close();
        }
    }

    private static List<Map.Entry<String, byte[]>> images(PoisonerTopics t, int from, int to) {
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String id = "img-" + i;
            records.add(
                    new SimpleEntry<>(
                            id, raw(t, id, "class-" + (i % 3), TestImages.png(16, 16, i))));
        }
        return records;
    }

    private static void awaitReady(Poisoner p, boolean up, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (p.ready().up() != up) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + p.ready());
            }
            Thread.sleep(100);
        }
    }

    /** The real AR protection; the call after {@code before} images waits for {@code release}. */
    private static Protector holdsAfter(int before, CountDownLatch held, CountDownLatch release) {
        PerturbationMethod real = Harness.protection().method();
        AtomicInteger calls = new AtomicInteger();
        return new Protector(
                new FakeMethod(real.classes()) {
                    @Override
                    public Perturbation perturbation(
                            int classIndex, String imageId, int h, int w, int c) {
                        if (calls.incrementAndGet() == before + 1) {
                            held.countDown();
                            try {
                                release.await(); // the transaction stays open meanwhile
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return real.perturbation(classIndex, imageId, h, w, c);
                    }
                });
    }

    @Test
    void anOutputOverTheProtectedTopicsOwnLimitIsADeadLetterBeforeItIsSent() throws Exception {
        PoisonerTopics t = PoisonerTopics.withSuffix(".limit");
        // room for the record around the image plus 30 kB: a noisy 200x200 PNG does not fit
        int limit = PipelineLimits.RECORD_OVERHEAD_BYTES + 30_000;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack().bootstrapServers()))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(t.protectedImages(), 1, (short) 1)
                                            .configs(
                                                    Map.of(
                                                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                                            "" + limit))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        byte[] big = raw(t, "big", "class-0", TestImages.png(200, 200, 1));
        byte[] small = raw(t, "small", "class-1", TestImages.png(16, 16, 2));
        try (Poisoner p =
                Poisoner.start(
                        Harness.options(stack(), ".limit", tmp),
                        Harness.protection(),
                        new SimpleMeterRegistry())) {
            p.awaitRunning(Duration.ofSeconds(90));
            Harness.send(
                    stack(),
                    t.raw(),
                    List.of(new SimpleEntry<>("big", big), new SimpleEntry<>("small", small)));
            var dead =
                    Harness.readCommitted(stack(), t.deadLetters(), 1, WAIT, Duration.ofSeconds(1));
            var published =
                    Harness.readCommitted(
                            stack(), t.protectedImages(), 1, WAIT, Duration.ofSeconds(1));
            assertThat(dead).hasSize(1);
            DeadLetterHeaders.DeadLetter letter = DeadLetterHeaders.read(dead.get(0).headers());
            assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("big");
            assertThat(letter.reason()).isEqualTo("output-too-large");
            assertThat(
                            new String(
                                    dead.get(0)
                                            .headers()
                                            .lastHeader(DeadLetterHeaders.MESSAGE)
                                            .value(),
                                    StandardCharsets.UTF_8))
                    .contains("limit of " + limit + " bytes");
            assertThat(Harness.protectedById(topics, t.protectedImages(), published).keySet())
                    .containsExactly("small");
            assertThat(p.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    /** The real AR protection, except that the image {@code id} throws an Error every time. */
    private static Protector killsItsThreadOn(String id) {
        PerturbationMethod real = Harness.protection().method();
        return new Protector(
                new FakeMethod(real.classes()) {
                    @Override
                    public Perturbation perturbation(
                            int classIndex, String imageId, int h, int w, int c) {
                        if (imageId.equals(id)) {
                            throw new LinkageError("a class the engine needs is broken");
                        }
                        return real.perturbation(classIndex, imageId, h, w, c);
                    }
                });
    }

    private static double sum(SimpleMeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static byte[] raw(PoisonerTopics t, String id, String label, byte[] image) {
        return HostileRecords.rawRecord(topics, t.raw(), id, label, image);
    }
}
