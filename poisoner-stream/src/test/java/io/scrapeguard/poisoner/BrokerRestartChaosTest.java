package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.core.Protector;
import io.scrapeguard.embedded.EmbeddedKafkaBroker;
import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.HealthStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopped and started again (same port, same log dir) while the poisoner is in the
 * middle of an image: every image is published exactly once and byte-identical to an undisturbed
 * run, and readiness is DOWN during the outage and UP after. The fault point is an event (the
 * poisoner holding one image), not a time.
 */
class BrokerRestartChaosTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();
    private static final int IMAGES = 2_000;
    private static final String HELD = "img-700";
    @TempDir Path tmp;

    @Test
    void aBrokerRestartMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
        PoisonerTopics t = PoisonerTopics.withSuffix(".broker-restart");
        try (Topics topics = Topics.forRegistry(STACK.stack().registryUrl())) {
            // what an undisturbed run (the same pipeline without Kafka) publishes for each image
            Harness.CatImages images = Harness.catImages(topics, t.raw(), "img-", IMAGES, 24, 0);
            Map<String, byte[]> expected = images.expected();
            List<Map.Entry<String, byte[]>> records = images.records();
            HoldOne hold = new HoldOne(Harness.protection().method(), HELD);
            PoisonerOptions options =
                    Harness.options(STACK.stack(), ".broker-restart", tmp)
                            .withStallThreshold(Duration.ofSeconds(2))
                            .withImageTimeBudget(Duration.ofSeconds(200));
            Protector holding = new Protector(hold);
            EmbeddedKafkaBroker broker = STACK.stack().broker().orElseThrow();
            try (Poisoner p = Poisoner.start(options, holding, new SimpleMeterRegistry())) {
                p.awaitRunning(Duration.ofSeconds(90));
                Harness.send(STACK.stack(), t.raw(), records);
                assertThat(hold.held.await(120, TimeUnit.SECONDS))
                        .as("the poisoner reached " + HELD)
                        .isTrue();

                broker.stop();
                hold.release.countDown(); // the image finishes while its transaction cannot commit
                // DOWN for the outage itself (the held image alone reads as a stall already)
                HealthStatus down =
                        Harness.awaitReadiness(
                                p::ready,
                                s -> !s.up() && s.reason().contains("cannot read"),
                                Duration.ofSeconds(90));
                assertThat(down.reason()).contains("cannot read the committed input offsets");

                broker.restart();
                var out =
                        Harness.readCommitted(
                                STACK.stack(),
                                t.protectedImages(),
                                IMAGES,
                                Duration.ofSeconds(180),
                                Duration.ofSeconds(3));
                Harness.assertSameAsUndisturbed(topics, t.protectedImages(), out, expected);
                assertThat(
                                Harness.awaitReadiness(
                                                p::ready, HealthStatus::up, Duration.ofSeconds(90))
                                        .up())
                        .isTrue();
            } finally {
                hold.release.countDown();
                if (!broker.running()) {
                    broker.restart(); // the extension stops it with the stack
                }
            }
        }
    }
}
