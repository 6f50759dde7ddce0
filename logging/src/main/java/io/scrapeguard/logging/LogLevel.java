package io.scrapeguard.logging;

import java.util.Locale;
import org.slf4j.event.Level;

/** Level numbers as SLF4J's {@link Level#toInt()}, plus {@code off}. */
final class LogLevel {
    static final int TRACE = Level.TRACE.toInt();
    static final int DEBUG = Level.DEBUG.toInt();
    static final int INFO = Level.INFO.toInt();
    static final int WARN = Level.WARN.toInt();
    static final int ERROR = Level.ERROR.toInt();
    static final int OFF = ERROR + 10;

    private LogLevel() {}

    static int parse(String name, int fallback) {
        if (name == null) {
            return fallback;
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> TRACE;
            case "debug" -> DEBUG;
            case "info" -> INFO;
            case "warn" -> WARN;
            case "error" -> ERROR;
            case "off" -> OFF;
            default -> fallback;
        };
    }
}
