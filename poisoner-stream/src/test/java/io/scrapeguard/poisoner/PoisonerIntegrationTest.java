package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.TestImages;
import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The poisoner end to end on the real embedded broker and registry (one stack for the class). */
class PoisonerIntegrationTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();
    private static final Duration WAIT = Duration.ofSeconds(180);
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

    private static String label(int i) {
        return "class-" + (i % 10);
    }

    @Test
    void thousandImagesInThousandProtectedOut() throws Exception {
        PoisonerTopics t = PoisonerTopics.withSuffix(".thousand");
        Map<String, byte[]> clean = new HashMap<>();
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] png = TestImages.png(32, 32, i);
            String id = "img-" + i;
            clean.put(id, png);
            records.add(
                    new SimpleEntry<>(
                            id,
                            Harness.serialize(topics, t.raw(), Harness.raw(id, label(i), png))));
        }
        try (Poisoner p = Harness.start(Harness.options(stack(), ".thousand", tmp))) {
            Harness.send(stack(), t.raw(), records);
            var out =
                    Harness.readCommitted(
                            stack(), t.protectedImages(), 1000, WAIT, Duration.ofSeconds(2));
            assertThat(out).hasSize(1000);
            Map<String, ProtectedImage> byId =
                    Harness.protectedById(topics, t.protectedImages(), out);
            assertThat(byId.keySet()).isEqualTo(clean.keySet());
            Map<String, Integer> processOf = p.assignments().snapshot();
            assertThat(processOf).hasSize(10);
            assertThat(new HashSet<>(processOf.values())).as("distinct processes").hasSize(10);
            double eps = Harness.BUDGET.epsilonFor(32, 32, 3);
            for (var e : byId.entrySet()) {
                Image8 before = Harness.decode(clean.get(e.getKey()));
                Image8 after = Harness.decode(Harness.bytes(e.getValue().getImage()));
                assertThat(after.pixels()).isNotEqualTo(before.pixels());
                assertThat(Harness.classify(before, after))
                        .as("AR-filter class of %s", e.getKey())
                        .isEqualTo(processOf.get(e.getValue().getLabel()));
                double l2 = Deltas.norms(before, after)[0];
                assertThat(Math.abs(l2 - eps) / eps)
                        .as("delivered L2 %s vs %s", l2, eps)
                        .isLessThanOrEqualTo(0.2);
                assertThat(e.getValue().getMethod()).isEqualTo("ar-multiscale-l2");
                assertThat(e.getValue().getBankVersion()).isEqualTo(Harness.BANK.fingerprint());
            }
            assertThat(
                            Harness.readCommitted(
                                    stack(),
                                    t.deadLetters(),
                                    1,
                                    Duration.ofSeconds(1),
                                    Duration.ZERO))
                    .isEmpty();
        }
    }

    @Test
    void fiftyPlantedBadRecordsAreDeadLetteredAndTheRestProtected() throws Exception {
        PoisonerTopics t = PoisonerTopics.withSuffix(".bad");
        Set<String> allowed =
                IntStream.range(0, 10)
                        .mapToObj(PoisonerIntegrationTest::label)
                        .collect(Collectors.toSet());
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        Map<String, String> expectedReason = new HashMap<>();
        Map<String, byte[]> badValue = new HashMap<>();
        int bad = 0;
        for (int i = 0; i < 450; i++) {
            String id = "good-" + i;
            records.add(
                    new SimpleEntry<>(
                            id,
                            Harness.serialize(
                                    topics,
                                    t.raw(),
                                    Harness.raw(id, label(i), TestImages.png(16, 16, i)))));
            if (i % 9 == 4 && bad < 50) {
                String reason;
                byte[] value;
                int kind = bad % 6;
                String badId = "bad-" + bad;
                switch (kind) {
                    case 0 -> {
                        reason = "corrupt-image";
                        value = rawBytes(t, badId, TestImages.corruptPng(32, 32, bad));
                    }
                    case 1 -> {
                        reason = "truncated-image";
                        value = rawBytes(t, badId, TestImages.truncatedJpeg(32, 32, bad));
                    }
                    case 2 -> {
                        reason = "empty-payload";
                        value = rawBytes(t, badId, new byte[0]);
                    }
                    case 3 -> {
                        reason = "image-too-large";
                        value = rawBytes(t, badId, TestImages.bombPngHeader());
                    }
                    case 4 -> {
                        reason = "deserialization-error";
                        value = ("\0garbage avro " + bad).getBytes(StandardCharsets.UTF_8);
                    }
                    default -> {
                        reason = "unknown-label";
                        value =
                                Harness.serialize(
                                        topics,
                                        t.raw(),
                                        Harness.raw(
                                                badId,
                                                "not-a-class",
                                                TestImages.png(16, 16, 1000 + bad)));
                    }
                }
                expectedReason.put(badId, reason);
                badValue.put(badId, value);
                records.add(new SimpleEntry<>(badId, value));
                bad++;
            }
        }
        assertThat(bad).isEqualTo(50);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PoisonerOptions options =
                Harness.options(stack(), ".bad", tmp).withLabelPolicy(LabelPolicy.strict(allowed));
        try (Poisoner p = Poisoner.start(options, Harness.protection(), registry)) {
            p.awaitRunning(Duration.ofSeconds(90));
            Harness.send(stack(), t.raw(), records);
            var dead =
                    Harness.readCommitted(
                            stack(), t.deadLetters(), 50, WAIT, Duration.ofSeconds(1));
            var published =
                    Harness.readCommitted(
                            stack(), t.protectedImages(), 450, WAIT, Duration.ofSeconds(1));
            assertThat(dead).hasSize(50);
            for (var r : dead) {
                String id = new String(r.key(), StandardCharsets.UTF_8);
                assertThat(DeadLetterHeaders.read(r.headers()).reason())
                        .as(id)
                        .isEqualTo(expectedReason.get(id));
                assertThat(r.value()).as("original bytes of %s", id).isEqualTo(badValue.get(id));
            }
            assertThat(Harness.protectedById(topics, t.protectedImages(), published).keySet())
                    .hasSize(450)
                    .allSatisfy(id -> assertThat(id).startsWith("good-"));
            assertThat(p.state()).isEqualTo(KafkaStreams.State.RUNNING);
            double in = registry.counter("guard.images.in").count();
            double prot =
                    registry.find("guard.images.protected").counters().stream()
                            .mapToDouble(c -> c.count())
                            .sum();
            double dl =
                    registry.find("guard.images.dead.lettered").counters().stream()
                            .mapToDouble(c -> c.count())
                            .sum();
            assertThat(in).isEqualTo(500);
            assertThat(prot + dl).isEqualTo(in);
        }
    }

    private byte[] rawBytes(PoisonerTopics t, String id, byte[] image) {
        return Harness.serialize(topics, t.raw(), Harness.raw(id, "class-0", image));
    }

    @Test
    void killedMidRunAndRestartedEveryImageExactlyOnceAndByteIdentical() throws Exception {
        String suffix = ".kill";
        PoisonerTopics t = PoisonerTopics.withSuffix(suffix);
        stack().createTopics(List.of(new NewTopic(t.raw(), 2, (short) 1)));
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String id = "k-" + i;
            records.add(
                    new SimpleEntry<>(
                            id,
                            Harness.serialize(
                                    topics,
                                    t.raw(),
                                    Harness.raw(id, label(i), TestImages.png(16, 16, 5000 + i)))));
        }
        Harness.send(stack(), t.raw(), records);
        Path state = tmp.resolve("state");
        Path gate = tmp.resolve("gate-reached");
        String appId = "test-poisoner-kill";
        Process child =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx256m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                PoisonerChild.class.getName(),
                                stack().bootstrapServers(),
                                stack().registryUrl(),
                                suffix,
                                appId,
                                state.toString(),
                                "300",
                                gate.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("child.log").toFile())
                        .start();
        long atKill;
        try {
            // the child holds its stream threads after 300 images: the kill lands mid-run on
            // any machine, however fast
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(gate)) {
                assertThat(child.isAlive())
                        .as("child alive; log: %s", tmp.resolve("child.log"))
                        .isTrue();
                assertThat(System.nanoTime()).as("child made progress").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no flush, no commit, an open transaction
            child.waitFor(30, TimeUnit.SECONDS);
        }
        atKill = Harness.countCommittedRecords(stack(), t.protectedImages());
        assertThat(atKill).as("protected images committed when killed").isLessThanOrEqualTo(300);

        PoisonerOptions restart = Harness.options(stack(), suffix, state).withApplicationId(appId);
        Map<String, ProtectedImage> afterRestart;
        try (Poisoner p = Harness.start(restart)) {
            var out =
                    Harness.readCommitted(
                            stack(), t.protectedImages(), 2000, WAIT, Duration.ofSeconds(3));
            assertThat(out).as("exactly once").hasSize(2000);
            afterRestart = Harness.protectedById(topics, t.protectedImages(), out);
            assertThat(afterRestart).hasSize(2000);
        }
        // the uninterrupted run: same raw topic and label log, its own output topic
        PoisonerTopics ref =
                new PoisonerTopics(
                        t.raw(),
                        t.protectedImages() + ".ref",
                        t.deadLetters() + ".ref",
                        t.labelAssignments());
        try (Poisoner p =
                Harness.start(
                        Harness.options(stack(), suffix, tmp.resolve("ref"))
                                .withTopics(ref)
                                .withApplicationId("test-poisoner-ref"))) {
            var out =
                    Harness.readCommitted(
                            stack(), ref.protectedImages(), 2000, WAIT, Duration.ofSeconds(1));
            Map<String, ProtectedImage> uninterrupted =
                    Harness.protectedById(topics, ref.protectedImages(), out);
            assertThat(uninterrupted.keySet()).isEqualTo(afterRestart.keySet());
            for (var e : uninterrupted.entrySet()) {
                assertThat(Harness.bytes(afterRestart.get(e.getKey()).getImage()))
                        .as("bytes of %s", e.getKey())
                        .isEqualTo(Harness.bytes(e.getValue().getImage()));
            }
        }
    }

    @Test
    void newLabelsInTwoInstancesAtOnceGetDistinctProcesses() throws Exception {
        String suffix = ".race";
        PoisonerTopics t = PoisonerTopics.withSuffix(suffix);
        stack().createTopics(List.of(new NewTopic(t.raw(), 4, (short) 1)));
        Map<String, byte[]> clean = new HashMap<>();
        Map<String, String> labelOf = new HashMap<>();
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 320; i++) {
            String id = "r-" + i;
            String label = "artist-" + (i % 8);
            byte[] png = TestImages.png(16, 16, 9000 + i);
            clean.put(id, png);
            labelOf.put(id, label);
            records.add(
                    new SimpleEntry<>(
                            id, Harness.serialize(topics, t.raw(), Harness.raw(id, label, png))));
        }
        PoisonerOptions options = Harness.options(stack(), suffix, tmp.resolve("a"));
        try (Poisoner a = Poisoner.start(options, Harness.protection(), new SimpleMeterRegistry());
                Poisoner b =
                        Poisoner.start(
                                options.withStateDir(tmp.resolve("b")),
                                Harness.protection(),
                                new SimpleMeterRegistry())) {
            a.awaitRunning(Duration.ofSeconds(90));
            b.awaitRunning(Duration.ofSeconds(90));
            Harness.send(stack(), t.raw(), records);
            var out =
                    Harness.readCommitted(
                            stack(), t.protectedImages(), 320, WAIT, Duration.ofSeconds(1));
            assertThat(out).hasSize(320);
            Map<String, Set<Integer>> classesOfLabel = new HashMap<>();
            for (var e : Harness.protectedById(topics, t.protectedImages(), out).entrySet()) {
                int k =
                        Harness.classify(
                                Harness.decode(clean.get(e.getKey())),
                                Harness.decode(Harness.bytes(e.getValue().getImage())));
                classesOfLabel
                        .computeIfAbsent(labelOf.get(e.getKey()), x -> new HashSet<>())
                        .add(k);
            }
            assertThat(classesOfLabel).hasSize(8);
            assertThat(classesOfLabel.values()).allSatisfy(s -> assertThat(s).hasSize(1));
            Set<Integer> used =
                    classesOfLabel.values().stream()
                            .flatMap(Set::stream)
                            .collect(Collectors.toSet());
            assertThat(used).as("8 labels, 8 distinct processes").hasSize(8);
            assertThat(a.assignments().snapshot()).isEqualTo(b.assignments().snapshot());
        }
    }
}
