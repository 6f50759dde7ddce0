package io.scrapeguard.logging;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One JSON object per line for log collectors: time (ISO-8601 with date and zone), level, logger,
 * thread, message, and exception (the whole stack trace) when there is one. Every string is
 * JSON-escaped, so no value can end the line or the object.
 */
final class JsonLineFormat implements LineFormat {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern(LogSettings.ISO_PATTERN, Locale.ROOT);

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public String format(LogEvent event) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"time\":");
        LogText.appendJsonString(out, TIME.format(event.time().atZone(zone)));
        field(out, "level", event.level());
        field(out, "logger", event.logger());
        field(out, "thread", event.thread());
        field(out, "message", event.message());
        if (event.thrown() != null) {
            field(out, "exception", StackTraceText.of(event.thrown(), UnaryOperator.identity()));
        }
        return out.append('}').toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(",\"").append(name).append("\":");
        LogText.appendJsonString(out, value == null ? "" : value);
    }
}
