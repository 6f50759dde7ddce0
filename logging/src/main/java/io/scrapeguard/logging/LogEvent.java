package io.scrapeguard.logging;

import java.time.Instant;

/** One call that passed its logger's level: the message already formatted, not yet escaped. */
record LogEvent(
        Instant time,
        String level,
        String logger,
        String thread,
        String message,
        Throwable thrown) {}
