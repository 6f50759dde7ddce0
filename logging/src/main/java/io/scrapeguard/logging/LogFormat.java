package io.scrapeguard.logging;

import java.util.Locale;

/** The line format: {@code -Dguard.log.format}, else {@code GUARD_LOG_FORMAT}, else plain. */
enum LogFormat {
    PLAIN,
    JSON;

    static final String PROPERTY = "guard.log.format";
    static final String ENV = "GUARD_LOG_FORMAT";

    static LogFormat fromSettings() {
        String value = System.getProperty(PROPERTY);
        String source = "-D" + PROPERTY;
        if (value == null) {
            value = System.getenv(ENV);
            source = ENV;
        }
        if (value == null || value.isBlank()) {
            return PLAIN;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            case "plain" -> PLAIN;
            default -> {
                // said once, on the console: a log line would be in the format being chosen
                System.err.println(
                        "guard: warning: "
                                + source
                                + " is plain or json, not '"
                                + LogText.escapeControls(value)
                                + "'; logging plain lines");
                yield PLAIN;
            }
        };
    }
}
