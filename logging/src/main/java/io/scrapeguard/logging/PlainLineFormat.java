package io.scrapeguard.logging;

import java.time.ZoneId;

/**
 * slf4j-simple's layout ({@code TIME [thread] LEVEL logger - message}, then the stack trace), with
 * control characters in the message, the thread name and exception messages escaped.
 */
final class PlainLineFormat implements LineFormat {
    private static final long START = System.currentTimeMillis();

    private final LogSettings settings;
    private final ZoneId zone = ZoneId.systemDefault();

    PlainLineFormat(LogSettings settings) {
        this.settings = settings;
    }

    @Override
    public String format(LogEvent event) {
        StringBuilder out = new StringBuilder(256);
        if (settings.showDateTime) {
            out.append(settings.dateFormatter.format(event.time().atZone(zone)));
        } else {
            out.append(event.time().toEpochMilli() - START);
        }
        out.append(' ');
        if (settings.showThreadName) {
            out.append('[').append(LogText.escapeControls(event.thread())).append("] ");
        }
        String level = event.level().equals("WARN") ? settings.warnLevelString : event.level();
        if (settings.levelInBrackets) {
            out.append('[').append(level).append(']');
        } else {
            out.append(level);
        }
        out.append(' ');
        if (settings.showShortLogName) {
            out.append(event.logger().substring(event.logger().lastIndexOf('.') + 1)).append(" - ");
        } else if (settings.showLogName) {
            out.append(event.logger()).append(" - ");
        }
        out.append(LogText.escapeControls(event.message()));
        if (event.thrown() != null) {
            out.append('\n').append(StackTraceText.of(event.thrown(), LogText::escapeControls));
        }
        return out.toString();
    }
}
