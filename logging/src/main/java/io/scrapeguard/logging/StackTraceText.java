package io.scrapeguard.logging;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A stack trace laid out as {@link Throwable#printStackTrace()} does, each throwable's own text
 * passed through an escaper: an exception message carrying a newline cannot fake a log line.
 */
final class StackTraceText {
    private final UnaryOperator<String> escaper;
    private final StringBuilder out = new StringBuilder(1024);
    private final Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private StackTraceText(UnaryOperator<String> escaper) {
        this.escaper = escaper;
    }

    /** Lines separated by {@code \n}, no trailing newline. */
    static String of(Throwable thrown, UnaryOperator<String> escaper) {
        StackTraceText text = new StackTraceText(escaper);
        text.append(thrown, new StackTraceElement[0], "", "");
        return text.out.toString().stripTrailing();
    }

    private void append(Throwable t, StackTraceElement[] enclosing, String caption, String indent) {
        if (!seen.add(t)) {
            out.append(indent)
                    .append(caption)
                    .append("[CIRCULAR REFERENCE: ")
                    .append(escaper.apply(t.toString()))
                    .append("]\n");
            return;
        }
        StackTraceElement[] frames = t.getStackTrace();
        int shared = 0;
        while (shared < frames.length
                && shared < enclosing.length
                && frames[frames.length - 1 - shared].equals(
                        enclosing[enclosing.length - 1 - shared])) {
            shared++;
        }
        out.append(indent).append(caption).append(escaper.apply(t.toString())).append('\n');
        for (int i = 0; i < frames.length - shared; i++) {
            out.append(indent).append("\tat ").append(frames[i]).append('\n');
        }
        if (shared > 0) {
            out.append(indent).append("\t... ").append(shared).append(" more\n");
        }
        for (Throwable suppressed : t.getSuppressed()) {
            append(suppressed, frames, "Suppressed: ", indent + "\t");
        }
        if (t.getCause() != null) {
            append(t.getCause(), frames, "Caused by: ", indent);
        }
    }
}
