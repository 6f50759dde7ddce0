package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.service.HealthStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up}'s give-up rule (docs/operations.md, "Restarts in ./guard up"): the service replaces a
 * stopped stream, counts failed restarts in a row (a restart that works starts the count again) and
 * after the limit stops trying, with liveness and readiness DOWN giving the reason, which is what
 * {@code up} watches to stop everything and exit 1. Restarts fail on purpose (an injected {@link
 * PoisonerGuardService.Starter}); the limit is 3 and the supervisor looks every 50 ms here instead
 * of 5 and 1 s. Every wait is for an event, under a generous deadline.
 */
class PoisonerGiveUpTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int LIMIT = 3;
    @TempDir Path tmp;

    @Test
    void givesUpAfterTheLimitOfFailedRestartsInARowAndSaysSoInItsHealth() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> gaveUpWhenStarted = new CopyOnWriteArrayList<>();
        PoisonerGuardService[] self = new PoisonerGuardService[1];
        // call 1 starts the stream, 2-3 fail, 4 works (the count starts again), 5 on fail
        PoisonerGuardService.Starter starter =
                (options, protection, registry) -> {
                    int call = calls.incrementAndGet();
                    gaveUpWhenStarted.add(String.valueOf(self[0].gaveUp()));
                    if (call == 1 || call == 4) {
                        return Poisoner.start(options, protection, registry);
                    }
                    throw new IllegalStateException("injected failure of restart " + (call - 1));
                };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PoisonerGuardService service =
                new PoisonerGuardService(
                        Harness.options(STACK.stack(), ".give-up", tmp),
                        Harness.protection(),
                        Duration.ofSeconds(10),
                        LIMIT,
                        Duration.ofMillis(50),
                        starter);
        self[0] = service;
        try {
            service.start(registry);
            assertThat(service.live().up()).isTrue();

            // two failed restarts, then one that works: no giving up, the count starts again
            Poisoner first = service.poisoner();
            first.streams().close(Duration.ofSeconds(10)); // what ERROR ends in: not running
            Poisoner second =
                    await(
                            () -> {
                                Poisoner p = service.poisoner();
                                return p != first && p.state() == KafkaStreams.State.RUNNING
                                        ? p
                                        : null;
                            },
                            "a stream running again after two failed restarts");
            assertThat(calls.get()).isEqualTo(4);
            assertThat(service.gaveUp()).isNull();
            assertThat(service.live().up()).isTrue();

            // now every restart fails: given up at the third in a row, not before
            second.streams().close(Duration.ofSeconds(10));
            String why = await(service::gaveUp, "giving up");
            assertThat(calls.get())
                    .as("the first start, 2 failed, 1 that worked, then %d failed", LIMIT)
                    .isEqualTo(1 + 2 + 1 + LIMIT);
            assertThat(gaveUpWhenStarted).containsOnly("null");
            assertThat(why)
                    .startsWith("gave up after " + LIMIT + " failed restarts")
                    .contains("injected failure of restart " + (2 + 1 + LIMIT));
            HealthStatus live = service.live();
            HealthStatus ready = service.ready();
            assertThat(live.up()).as("liveness: " + live).isFalse();
            assertThat(live.reason()).isEqualTo(why);
            assertThat(ready.up()).as("readiness: " + ready).isFalse();
            assertThat(ready.reason()).isEqualTo(why);
            assertThat(registry.counter("guard.poisoner.restarts").count())
                    .as("restart attempts")
                    .isEqualTo(2 + 1 + LIMIT);
        } finally {
            service.close(); // waits for the supervisor to end
        }
        assertThat(calls.get()).as("no restart tried after giving up").isEqualTo(1 + 2 + 1 + LIMIT);
    }

    private static <T> T await(java.util.function.Supplier<T> value, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T v;
        while ((v = value.get()) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + WAIT);
            }
            Thread.sleep(50);
        }
        return v;
    }
}
