package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two poisoners of one application share a 2-partition raw topic; one, in a JVM of its own, is
 * killed (SIGKILL, its transaction open) in the middle of its partition while the other keeps
 * running: the survivor takes the partition over and every image is published exactly once,
 * byte-identical to an undisturbed run. The kill point is an event (the child's gate after a number
 * of images), not a time.
 */
class SecondPoisonerKilledChaosTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();
    private static final int IMAGES = 200;
    private static final int CHILD_GATE = 20;
    private static final String SUFFIX = ".second-killed";
    private static final String APP_ID = "test-poisoner" + SUFFIX;
    @TempDir Path tmp;

    @Test
    void theSurvivorTakesOverAndEveryImageIsProtectedExactlyOnce() throws Exception {
        PoisonerTopics t = PoisonerTopics.withSuffix(SUFFIX);
        STACK.stack().createTopics(List.of(new NewTopic(t.raw(), 2, (short) 1)));
        try (Topics topics = Topics.forRegistry(STACK.stack().registryUrl())) {
            // what an undisturbed run (the same pipeline without Kafka) publishes for each image
            Harness.CatImages images = Harness.catImages(topics, t.raw(), "two-", IMAGES, 16, 3000);
            Map<String, byte[]> expected = images.expected();
            List<Map.Entry<String, byte[]>> records = images.records();
            // Harness.options brings fastFailover(): the group drops the killed child in seconds
            PoisonerOptions survivorOptions =
                    Harness.options(STACK.stack(), SUFFIX, tmp.resolve("survivor"))
                            .withApplicationId(APP_ID);
            Path marker = tmp.resolve("gate-reached");
            Path childLog = tmp.resolve("child.log");
            try (Poisoner survivor = Harness.start(survivorOptions)) {
                Process child = startChild(marker, childLog);
                try {
                    // send only once each instance owns one partition, so the child surely
                    // gets images and its gate is reached
                    awaitOneTaskEach(survivor, child, childLog);
                    Harness.send(STACK.stack(), t.raw(), records);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    while (!Files.exists(marker)) {
                        assertThat(child.isAlive()).as("child alive; log: %s", childLog).isTrue();
                        assertThat(System.nanoTime())
                                .as("the child reached its gate")
                                .isLessThan(deadline);
                        Thread.sleep(20);
                    }
                } finally {
                    child.destroyForcibly(); // SIGKILL: no close, an open transaction left
                    child.waitFor(30, TimeUnit.SECONDS);
                }

                var out =
                        Harness.readCommitted(
                                STACK.stack(),
                                t.protectedImages(),
                                IMAGES,
                                Duration.ofSeconds(180),
                                Duration.ofSeconds(3));
                Harness.assertSameAsUndisturbed(topics, t.protectedImages(), out, expected);
                assertThat(Harness.countCommittedRecords(STACK.stack(), t.deadLetters()))
                        .as("nothing dead-lettered")
                        .isZero();
                assertThat(survivor.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(activeTasks(survivor))
                        .as("the survivor owns both partitions")
                        .isEqualTo(2);
            }
        }
    }

    private Process startChild(Path marker, Path log) throws Exception {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        PoisonerChild.class.getName(),
                        STACK.stack().bootstrapServers(),
                        STACK.stack().registryUrl(),
                        SUFFIX,
                        APP_ID,
                        tmp.resolve("child-state").toString(),
                        Integer.toString(CHILD_GATE),
                        marker.toString(),
                        "5000")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** The child is RUNNING and the survivor, RUNNING too, owns one of the two tasks. */
    private static void awaitOneTaskEach(Poisoner survivor, Process child, Path childLog)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.readString(childLog).contains("child running")
                && survivor.state() == KafkaStreams.State.RUNNING
                && activeTasks(survivor) == 1)) {
            assertThat(child.isAlive()).as("child alive; log: %s", childLog).isTrue();
            assertThat(System.nanoTime()).as("the partitions were shared").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static int activeTasks(Poisoner p) {
        return p.streams().metadataForLocalThreads().stream()
                .mapToInt(m -> m.activeTasks().size())
                .sum();
    }
}
