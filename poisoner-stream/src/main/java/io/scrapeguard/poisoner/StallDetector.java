package io.scrapeguard.poisoner;

import io.scrapeguard.service.HealthStatus;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides from samples of the committed input offsets whether the stream is stalled: work is
 * waiting (lag > 0) and no committed offset has moved for the threshold. A stream can be RUNNING
 * and stalled (a thread fenced again and again, or stuck in one image), so the state alone is not
 * enough for readiness. Samples that cannot be taken (the broker away) count as no progress.
 */
final class StallDetector {
    private final Duration threshold;
    private final LongSupplier nanoClock;
    private Map<?, Long> lastCommitted;
    private long lastLag;
    private long lastProgressNanos;
    private String lastFailure;

    StallDetector(Duration threshold, LongSupplier nanoClock) {
        this.threshold = threshold;
        this.nanoClock = nanoClock;
        this.lastProgressNanos = nanoClock.getAsLong();
    }

    /** One sample: the committed offset of every input partition and the total lag. */
    synchronized void observe(Map<?, Long> committed, long lag) {
        if (lag == 0 || !committed.equals(lastCommitted)) {
            lastProgressNanos = nanoClock.getAsLong();
        }
        lastCommitted = Map.copyOf(committed);
        lastLag = lag;
        lastFailure = null;
    }

    /** A sample that could not be taken. */
    synchronized void observeFailure(String why) {
        lastFailure = why;
    }

    synchronized HealthStatus status() {
        long idleNanos = nanoClock.getAsLong() - lastProgressNanos;
        if (idleNanos < threshold.toNanos()) {
            return HealthStatus.up("input offsets advancing");
        }
        long seconds = Duration.ofNanos(idleNanos).toSeconds();
        if (lastFailure != null) {
            return HealthStatus.down(
                    "cannot read the committed input offsets for "
                            + seconds
                            + " s: "
                            + lastFailure);
        }
        return lastLag > 0
                ? HealthStatus.down(
                        "stalled: committed input offsets have not advanced for "
                                + seconds
                                + " s with "
                                + lastLag
                                + " records waiting")
                : HealthStatus.up("caught up");
    }
}
