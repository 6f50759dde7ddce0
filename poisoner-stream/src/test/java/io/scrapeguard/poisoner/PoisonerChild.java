package io.scrapeguard.poisoner;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A poisoner in a JVM of its own, so a test can kill it for real (SIGKILL: no close, no flush, an
 * open transaction left behind). Args: bootstrap registry topicSuffix applicationId stateDir.
 */
public final class PoisonerChild {
    public static void main(String[] args) throws Exception {
        Map<String, Object> overrides = new HashMap<>(Harness.fastFailover());
        overrides.put(
                "consumer.max.poll.records", 20); // many small transactions: kill lands mid-run
        PoisonerOptions options =
                PoisonerOptions.defaults(args[0], args[1], Path.of(args[4]))
                        .withTopics(PoisonerTopics.withSuffix(args[2]))
                        .withApplicationId(args[3])
                        .withStreamsOverrides(overrides);
        Poisoner p = Poisoner.start(options, Harness.protection(), new SimpleMeterRegistry());
        p.awaitRunning(java.time.Duration.ofSeconds(90));
        System.out.println("child running");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
