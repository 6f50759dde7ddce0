package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.core.Protector;
import io.scrapeguard.embedded.EmbeddedSchemaRegistry;
import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.HealthStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry's JVM killed (SIGKILL) while the poisoner is in the middle of an image, and
 * released while the registry is still dead: every image is published exactly once and
 * byte-identical to an undisturbed run, nothing is dead-lettered, the stream stays RUNNING and the
 * stack's supervision starts the registry again with its schemas.
 *
 * <p>What readiness shows: the poisoner's serdes cache the schema ids they met before the kill, so
 * the stream itself does not notice the outage; readiness asks the registry ({@link RegistryProbe})
 * and is DOWN naming it from the kill until the new child answers, also after the stream has caught
 * up (the held image adds its stall to the reason meanwhile); UP once the registry answers again.
 * Liveness stays UP throughout.
 */
class RegistryKillChaosTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();
    private static final int IMAGES = 2_000;
    private static final String HELD = "img-700";
    @TempDir Path tmp;

    @Test
    void aRegistryKilledMidStreamLosesNothingDuplicatesNothingAndDeadLettersNothing()
            throws Exception {
        assumeTrue(STACK.stack().isEmbedded(), "needs the embedded registry to kill it");
        EmbeddedSchemaRegistry registry = STACK.stack().registry().orElseThrow();
        PoisonerTopics t = PoisonerTopics.withSuffix(".registry-kill");
        try (Topics topics = Topics.forRegistry(STACK.stack().registryUrl())) {
            // what an undisturbed run (the same pipeline without Kafka) publishes for each image
            Harness.CatImages images = Harness.catImages(topics, t.raw(), "img-", IMAGES, 24, 700);
            Map<String, byte[]> expected = images.expected();
            List<Map.Entry<String, byte[]>> records = images.records();
            HoldOne hold = new HoldOne(Harness.protection().method(), HELD);
            PoisonerOptions options =
                    Harness.options(STACK.stack(), ".registry-kill", tmp)
                            .withStallThreshold(Duration.ofSeconds(2));
            int restartsBefore = registry.restarts();
            try (Poisoner p =
                    Poisoner.start(options, new Protector(hold), new SimpleMeterRegistry())) {
                p.awaitRunning(Duration.ofSeconds(90));
                Harness.send(STACK.stack(), t.raw(), records);
                assertThat(hold.held.await(120, TimeUnit.SECONDS))
                        .as("the poisoner reached " + HELD)
                        .isTrue();

                // kill -9 of the registry JVM (the handle is its watchdog shell), as an OOM
                // killer would. The outage is held open by an event, not won in a race against
                // the new child's start: the supervision relaunches under the registry's monitor
                // (relaunchAfterDeath), so while this thread holds it the registry stays dead:
                // readiness is seen DOWN for it, the image released and every image published
                // without a registry, and readiness still DOWN for it at the end
                List<ConsumerRecord<byte[], byte[]>> out;
                synchronized (registry) {
                    ProcessHandle watchdog = registry.processHandle().orElseThrow();
                    watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
                    watchdog.onExit().get(30, TimeUnit.SECONDS);
                    HealthStatus down =
                            Harness.awaitReadiness(
                                    p::ready,
                                    s -> !s.up() && s.reason().contains("schema registry at "),
                                    Duration.ofSeconds(60));
                    assertThat(down.reason())
                            .as("the registry named, by its URL")
                            .contains(
                                    "schema registry at " + STACK.stack().registryUrl(),
                                    "unreachable");
                    assertThat(p.live().up()).as("an outage is no liveness failure").isTrue();
                    HealthStatus stalled =
                            Harness.awaitReadiness(
                                    p::ready,
                                    s -> s.reason().contains("stalled"),
                                    Duration.ofSeconds(60));
                    assertThat(stalled.up()).as("the held image is a stall too").isFalse();
                    hold.release.countDown();

                    out =
                            Harness.readCommitted(
                                    STACK.stack(),
                                    t.protectedImages(),
                                    IMAGES,
                                    Duration.ofSeconds(180),
                                    Duration.ofSeconds(2));
                    assertThat(out).as("exactly once").hasSize(IMAGES);
                    assertThat(p.state()).isEqualTo(KafkaStreams.State.RUNNING);
                    HealthStatus caughtUp =
                            Harness.awaitReadiness(
                                    p::ready,
                                    s -> !s.reason().contains("stalled"),
                                    Duration.ofSeconds(60));
                    assertThat(caughtUp.up()).as("caught up, but still no registry").isFalse();
                    assertThat(caughtUp.reason())
                            .contains("schema registry at " + STACK.stack().registryUrl());
                }

                // the test's own deserialiser needs the registry for the output's schema
                awaitRegistryReady(registry);
                HealthStatus ready =
                        Harness.awaitReadiness(p::ready, HealthStatus::up, Duration.ofSeconds(60));
                assertThat(ready.reason())
                        .as("ready once the registry answers again")
                        .contains("schema registry at " + STACK.stack().registryUrl(), "answers");
                Harness.assertSameAsUndisturbed(topics, t.protectedImages(), out, expected);
                assertThat(Harness.countCommittedRecords(STACK.stack(), t.deadLetters()))
                        .as("nothing dead-lettered")
                        .isZero();
                assertThat(p.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(registry.restarts())
                        .as("started again once by the supervision")
                        .isEqualTo(restartsBefore + 1);
            } finally {
                hold.release.countDown();
                // leave the shared stack with a live registry whatever happened above
                awaitRegistryReady(registry);
            }
        }
    }

    /** Not ready from the kill until the supervision's new child answers. */
    private static void awaitRegistryReady(EmbeddedSchemaRegistry registry)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (!registry.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the registry is not back; log: " + registry.logFile());
            }
            Thread.sleep(200);
        }
    }
}
