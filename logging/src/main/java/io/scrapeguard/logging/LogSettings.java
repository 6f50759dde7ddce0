package io.scrapeguard.logging;

import java.io.IOException;
import java.io.InputStream;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;

/**
 * The binding's settings, under slf4j-simple's property names so that every existing configuration
 * keeps working: a system property wins over {@code simplelogger.properties} on the class path.
 * Levels are looked up when a logger is made (as slf4j-simple does), so a level set after logging
 * started still applies to the loggers made later.
 */
final class LogSettings {
    static final String PREFIX = "org.slf4j.simpleLogger.";

    /** ISO-8601 with date and zone: the default whenever dates are shown. */
    static final String ISO_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    private final Properties file;
    final LogFormat format;
    final int defaultLevel;
    final boolean showDateTime;
    final DateTimeFormatter dateFormatter;
    final boolean showThreadName;
    final boolean showLogName;
    final boolean showShortLogName;
    final boolean levelInBrackets;
    final String warnLevelString;
    final String logFile;

    private LogSettings(Properties file) {
        this.file = file;
        this.format = LogFormat.fromSettings();
        this.defaultLevel = LogLevel.parse(get("defaultLogLevel"), LogLevel.INFO);
        this.showDateTime = flag("showDateTime", false);
        this.dateFormatter = formatter(get("dateTimeFormat"));
        this.showThreadName = flag("showThreadName", true);
        this.showLogName = flag("showLogName", true);
        this.showShortLogName = flag("showShortLogName", false);
        this.levelInBrackets = flag("levelInBrackets", false);
        String warn = get("warnLevelString");
        this.warnLevelString = warn == null ? "WARN" : warn;
        String target = get("logFile");
        this.logFile = target == null ? "System.err" : target;
    }

    static LogSettings load() {
        Properties file = new Properties();
        ClassLoader loader = LogSettings.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            // no file settings: the system properties and the defaults still apply
        }
        return new LogSettings(file);
    }

    /** The level of a logger: its own setting, else its nearest parent's, else the default. */
    int levelOf(String loggerName) {
        String name = loggerName;
        while (true) {
            String level = get("log." + name);
            if (level != null) {
                return LogLevel.parse(level, defaultLevel);
            }
            int dot = name.lastIndexOf('.');
            if (dot < 0) {
                return defaultLevel;
            }
            name = name.substring(0, dot);
        }
    }

    private String get(String key) {
        String value = System.getProperty(PREFIX + key);
        return value != null ? value : file.getProperty(PREFIX + key);
    }

    private boolean flag(String key, boolean byDefault) {
        String value = get(key);
        return value == null ? byDefault : value.trim().equalsIgnoreCase("true");
    }

    private static DateTimeFormatter formatter(String pattern) {
        if (pattern != null) {
            try {
                return DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                // a pattern java.time cannot read: dates still shown, in ISO-8601
            }
        }
        return DateTimeFormatter.ofPattern(ISO_PATTERN, Locale.ROOT);
    }
}
