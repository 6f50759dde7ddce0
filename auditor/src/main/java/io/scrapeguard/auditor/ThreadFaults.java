package io.scrapeguard.auditor;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Throwables the auditor's threads caught and survived (thread -> count, and the last one), so that
 * a fault is visible in {@code /audit/status} instead of a silently dead thread.
 */
final class ThreadFaults {
    private final Map<String, Integer> counts = new TreeMap<>();
    private String last;

    synchronized void add(String thread, Throwable t) {
        counts.merge(thread, 1, Integer::sum);
        last = thread + ": " + t;
    }

    synchronized Map<String, Integer> counts() {
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }

    /** The last one, as "thread: exception", or null. */
    synchronized String last() {
        return last;
    }
}
