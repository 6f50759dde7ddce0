package io.scrapeguard.poisoner;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.imaging.Image8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A poisoner in a JVM of its own, so a test can kill it for real (SIGKILL: no close, no flush, an
 * open transaction left behind). Args: bootstrap registry topicSuffix applicationId stateDir
 * gateAfter markerFile.
 *
 * <p>The kill point is an event, not a time: after {@code gateAfter} images every stream thread
 * stops inside the protection (its transaction open) and the marker file appears. A test that
 * kills on the marker kills mid-run whatever the machine's speed.
 */
public final class PoisonerChild {
    public static void main(String[] args) throws Exception {
        Map<String, Object> overrides = new HashMap<>(Harness.fastFailover());
        // many small transactions, so that a part of the input is committed before the gate
        overrides.put("consumer.max.poll.records", 20);
        overrides.put("commit.interval.ms", 0);
        PoisonerOptions options =
                PoisonerOptions.defaults(args[0], args[1], Path.of(args[4]))
                        .withTopics(PoisonerTopics.withSuffix(args[2]))
                        .withApplicationId(args[3])
                        .withStreamsOverrides(overrides);
        var gated = new Gated(Harness.protection(), Integer.parseInt(args[5]), Path.of(args[6]));
        Poisoner p = Poisoner.start(options, gated, new SimpleMeterRegistry());
        p.awaitRunning(java.time.Duration.ofSeconds(90));
        System.out.println("child running");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Protects the first {@code limit} images, then holds every caller until the JVM dies. */
    private static final class Gated implements ImageProtection {
        private final ImageProtection delegate;
        private final int limit;
        private final Path marker;
        private final AtomicInteger calls = new AtomicInteger();
        private final CountDownLatch never = new CountDownLatch(1);

        Gated(ImageProtection delegate, int limit, Path marker) {
            this.delegate = delegate;
            this.limit = limit;
            this.marker = marker;
        }

        @Override
        public Protection protect(Image8 image, int processIndex, String imageId) {
            int n = calls.incrementAndGet();
            if (n > limit) {
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
            return delegate.protect(image, processIndex, imageId);
        }

        @Override
        public int bankSize() {
            return delegate.bankSize();
        }

        @Override
        public String method() {
            return delegate.method();
        }

        @Override
        public String metricMethod() {
            return delegate.metricMethod();
        }

        @Override
        public double budget() {
            return delegate.budget();
        }

        @Override
        public String bankVersion() {
            return delegate.bankVersion();
        }
    }
}
