package io.scrapeguard.auditor;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** How many candidate pairs were left out of an audit, and why (reason -> count). */
public final class SkipCounts {
    public static final String MISSING_ORIGINAL = "missing-original";
    public static final String MISSING_PROTECTED = "missing-protected";
    public static final String SIZE_MISMATCH = "size-mismatch";
    public static final String OTHER_SIZE = "other-size";
    public static final String UNREADABLE = "unreadable";
    public static final String NO_LABEL = "no-label";
    public static final String LABEL_TOO_SMALL = "label-too-few-pairs";
    public static final String OVER_SAMPLE_CAP = "over-sample-cap";

    private final Map<String, Integer> counts = new TreeMap<>();

    public synchronized void add(String reason) {
        add(reason, 1);
    }

    public synchronized void add(String reason, int n) {
        if (n > 0) {
            counts.merge(reason, n, Integer::sum);
        }
    }

    public synchronized void addAll(SkipCounts other) {
        other.asMap().forEach(this::add);
    }

    public synchronized Map<String, Integer> asMap() {
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }

    public synchronized int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public synchronized String toString() {
        return counts.isEmpty() ? "none" : counts.toString();
    }
}
