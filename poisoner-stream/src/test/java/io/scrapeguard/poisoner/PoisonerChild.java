package io.scrapeguard.poisoner;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.Protector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A poisoner in a JVM of its own, so a test can kill it for real (SIGKILL: no close, no flush, an
 * open transaction left behind). Args: bootstrap registry topicSuffix applicationId stateDir
 * gateAfter markerFile [transactionTimeoutMs].
 *
 * <p>The kill point is an event, not a time: after {@code gateAfter} images every stream thread
 * stops inside the protection (its transaction open) and the marker file appears. A test that kills
 * on the marker kills mid-run whatever the machine's speed.
 */
public final class PoisonerChild {
    public static void main(String[] args) throws Exception {
        Map<String, Object> overrides = new HashMap<>(Harness.fastFailover());
        // many small transactions, so that a part of the input is committed before the gate
        overrides.put("consumer.max.poll.records", 20);
        overrides.put("commit.interval.ms", 0);
        if (args.length > 7) {
            // with a survivor in the group, the killed child's open transaction holds back the
            // output until the broker aborts it: a short timeout keeps that to seconds
            overrides.put("producer.transaction.timeout.ms", Integer.parseInt(args[7]));
        }
        PoisonerOptions options =
                PoisonerOptions.defaults(args[0], args[1], Path.of(args[4]))
                        .withTopics(PoisonerTopics.withSuffix(args[2]))
                        .withApplicationId(args[3])
                        .withStreamsOverrides(overrides);
        var gated =
                new Gated(
                        Harness.protection().method(), Integer.parseInt(args[5]), Path.of(args[6]));
        Poisoner p = Poisoner.start(options, new Protector(gated), new SimpleMeterRegistry());
        p.awaitRunning(java.time.Duration.ofSeconds(90));
        System.out.println("child running");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Perturbs for the first {@code limit} images, then holds every caller until the JVM dies. */
    private static final class Gated implements PerturbationMethod {
        private final PerturbationMethod delegate;
        private final int limit;
        private final Path marker;
        private final AtomicInteger calls = new AtomicInteger();
        private final CountDownLatch never = new CountDownLatch(1);

        Gated(PerturbationMethod delegate, int limit, Path marker) {
            this.delegate = delegate;
            this.limit = limit;
            this.marker = marker;
        }

        @Override
        public Perturbation perturbation(
                int classIndex, String imageId, int height, int width, int channels) {
            gate();
            return delegate.perturbation(classIndex, imageId, height, width, channels);
        }

        @Override
        public void perturbationInto(
                double[] out, int classIndex, String imageId, int height, int width, int channels) {
            gate();
            delegate.perturbationInto(out, classIndex, imageId, height, width, channels);
        }

        private void gate() {
            int n = calls.incrementAndGet();
            if (n <= limit) {
                return;
            }
            if (n == limit + 1) {
                try {
                    Files.writeString(marker, "gate reached after " + limit + " images\n");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            try {
                never.await(); // held with the transaction open until the test kills us
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("gate released");
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public int classes() {
            return delegate.classes();
        }

        @Override
        public Budget budget() {
            return delegate.budget();
        }

        @Override
        public String bankVersion() {
            return delegate.bankVersion();
        }
    }
}
