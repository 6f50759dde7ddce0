package io.scrapeguard.logging;

import java.io.Serial;
import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger with a fixed level (chosen when it is made) that writes through the line format. */
final class GuardLogger extends LegacyAbstractLogger {
    @Serial private static final long serialVersionUID = 1L;

    private final transient int level;
    private final transient LineFormat format;
    private final transient LogOutput output;

    GuardLogger(String name, int level, LineFormat format, LogOutput output) {
        this.name = name;
        this.level = level;
        this.format = format;
        this.output = output;
    }

    private boolean enabled(Level at) {
        return at.toInt() >= level;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level at, Marker marker, String pattern, Object[] arguments, Throwable thrown) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        LogEvent event =
                new LogEvent(
                        Instant.now(),
                        at.toString(),
                        name,
                        Thread.currentThread().getName(),
                        message == null ? "null" : message,
                        thrown);
        output.write(format.format(event));
    }
}
