package io.scrapeguard.logging;

/** Turns an event into the text written for it (lines end without a newline). */
interface LineFormat {
    String format(LogEvent event);

    static LineFormat of(LogSettings settings) {
        return settings.format == LogFormat.JSON
                ? new JsonLineFormat()
                : new PlainLineFormat(settings);
    }
}
