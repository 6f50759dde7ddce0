package io.scrapeguard.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One logger per name; each takes its level from the settings when first asked for. */
final class GuardLoggerFactory implements ILoggerFactory {
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final LogSettings settings;
    private final LineFormat format;
    private final LogOutput output;

    GuardLoggerFactory(LogSettings settings) {
        this.settings = settings;
        this.format = LineFormat.of(settings);
        this.output = new LogOutput(settings.logFile);
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(
                name, n -> new GuardLogger(n, settings.levelOf(n), format, output));
    }
}
