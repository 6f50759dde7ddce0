package io.scrapeguard.poisoner;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records whose processing killed a stream thread, by topic, partition and offset. The record is
 * not committed, so the replacement thread reads it again; after {@link #maxAttempts} failures it
 * is dead-lettered as {@code poison-pill} instead of killing thread after thread. Outages
 * (retriable errors, task migration) are not the record's fault and do not count. Kept in memory: a
 * record that takes the whole JVM down starts again from zero on the next start.
 */
final class RecordAttempts {
    /** Failures before a record is a poison pill: one more than a passing glitch. */
    static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final int maxAttempts;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    RecordAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be positive");
        }
        this.maxAttempts = maxAttempts;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** True when the record at {@code at} has already failed as often as allowed. */
    boolean exhausted(String at) {
        return failures.getOrDefault(at, 0) >= maxAttempts;
    }

    /** Processing {@code at} failed in a way that will kill its thread. */
    int failed(String at) {
        return failures.merge(at, 1, Integer::sum);
    }

    /** Processing {@code at} ended (published, dead-lettered): its failures are forgotten. */
    void done(String at) {
        failures.remove(at);
    }

    /**
     * Some record has failed and not yet ended: a replacement thread will meet it again, to try it
     * or, at the limit, to dead-letter it.
     */
    boolean anyPending() {
        return !failures.isEmpty();
    }

    static String key(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}
