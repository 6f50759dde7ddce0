package io.scrapeguard.producer;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line progress bar with rate and ETA on a terminal ({@code \r} redraws, at most 10 per
 * second); on a pipe or file, one line every few seconds instead.
 */
public final class ProgressBar implements AutoCloseable {
    private final PrintStream out;
    private final long total;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private long done;
    private long bytes;
    private boolean drawn;

    public ProgressBar(PrintStream out, long total, boolean terminal) {
        this.out = out;
        this.total = total;
        this.terminal = terminal;
    }

    public static ProgressBar onStderr(long total) {
        return new ProgressBar(System.err, total, System.console() != null);
    }

    public synchronized void step(long byteCount) {
        done++;
        bytes += byteCount;
        long now = System.nanoTime();
        long every = terminal ? 100_000_000L : 5_000_000_000L;
        if (now - lastDraw >= every || done == total) {
            lastDraw = now;
            draw(now);
        }
    }

    private void draw(long now) {
        double secs = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = done / secs;
        String eta =
                rate > 0 && total > done
                        ? format(Duration.ofSeconds((long) ((total - done) / rate)))
                        : "0s";
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        String line =
                String.format(
                        "[%s%s] %d/%d %5.1f%%  %.0f img/s  %.1f MB/s  ETA %s",
                        "#".repeat(filled),
                        "-".repeat(width - filled),
                        done,
                        total,
                        total == 0 ? 100.0 : 100.0 * done / total,
                        rate,
                        bytes / secs / 1e6,
                        eta);
        if (terminal) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
        drawn = true;
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600
                ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    @Override
    public synchronized void close() {
        if (terminal && drawn) {
            out.println();
            out.flush();
        }
    }
}
