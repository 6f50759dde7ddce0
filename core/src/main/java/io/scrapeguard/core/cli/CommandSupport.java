package io.scrapeguard.core.cli;

import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** Shared bits of the core commands: bank and key resolution, sizes, progress lines. */
public final class CommandSupport {
    private CommandSupport() {}

    /** The bank file given, or the paper's ten processes. */
    public static ProcessBank bank(Path file) {
        return file == null ? ProcessBank.paperDefault() : ProcessBank.load(file);
    }

    /** The seeding key from the environment; warns on stderr about the development default. */
    public static SeedingKey key(PrintWriter err) {
        SeedingKey key = SeedingKey.resolve();
        if (key.isDevelopmentDefault()) {
            err.println("guard: warning: " + SeedingKey.developmentWarning());
            err.flush();
        }
        return key;
    }

    /** "32" (32x32x3), "96x64" (HxW, 3 channels) or "17x45x1" (HxWxC). */
    public static int[] shape(String text) {
        String[] p = text.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            int h = Integer.parseInt(p[0].trim());
            int w = p.length > 1 ? Integer.parseInt(p[1].trim()) : h;
            int c = p.length > 2 ? Integer.parseInt(p[2].trim()) : 3;
            if (p.length > 3 || h <= 0 || w <= 0 || c <= 0) {
                throw new NumberFormatException();
            }
            return new int[] {h, w, c};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "size '"
                            + text
                            + "' must be S, HxW or HxWxC with positive integers (e.g. 32, 96x96,"
                            + " 17x45x1)");
        }
    }

    public static String fmtShape(int[] s) {
        return s[0] + "x" + s[1] + "x" + s[2];
    }

    /** Prints at most one line per interval. */
    public static final class Throttle {
        private final long intervalNanos;
        private long last = System.nanoTime();

        public Throttle(double seconds) {
            this.intervalNanos = (long) (seconds * 1e9);
        }

        public boolean due() {
            long now = System.nanoTime();
            if (now - last >= intervalNanos) {
                last = now;
                return true;
            }
            return false;
        }
    }
}
