package io.scrapeguard.producer;

import java.util.Map;
import java.util.TreeMap;

/** What a publish run did: sent, skipped (with why), failed (with why). */
public final class PublishSummary {
    private long sent;
    private long sentBytes;
    private final Map<String, Long> skipped = new TreeMap<>();
    private final Map<String, Long> failed = new TreeMap<>();
    private final Map<String, String> why = new TreeMap<>();

    public synchronized void sent(long bytes) {
        sent++;
        sentBytes += bytes;
    }

    public synchronized void skipped(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    public synchronized void failed(String reason) {
        failed.merge(reason, 1L, Long::sum);
    }

    /** A failure with an explanation, printed once beside the reason's count. */
    public synchronized void failed(String reason, String explanation) {
        failed(reason);
        why.putIfAbsent(reason, explanation);
    }

    public synchronized long sent() {
        return sent;
    }

    public synchronized long sentBytes() {
        return sentBytes;
    }

    public synchronized long skipped() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized long failed() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized Map<String, Long> skippedByReason() {
        return Map.copyOf(skipped);
    }

    public synchronized Map<String, Long> failedByReason() {
        return Map.copyOf(failed);
    }

    /** The reasons, one per line ({@code failed image-too-large: 3}); empty when none. */
    public synchronized String details() {
        StringBuilder s = new StringBuilder();
        skipped.forEach(
                (r, n) -> s.append("  skipped  ").append(r).append(": ").append(n).append('\n'));
        failed.forEach(
                (r, n) -> {
                    s.append("  failed   ").append(r).append(": ").append(n);
                    if (why.containsKey(r)) {
                        s.append(" (").append(why.get(r)).append(')');
                    }
                    s.append('\n');
                });
        return s.toString();
    }

    /** The last line of {@code ./guard publish}. */
    public synchronized String lastLine() {
        return "sent=" + sent + " skipped=" + skipped() + " failed=" + failed();
    }
}
