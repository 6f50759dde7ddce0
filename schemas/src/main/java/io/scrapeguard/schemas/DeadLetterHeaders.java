package io.scrapeguard.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Dead-letter record format: the record's value (and key) are the ORIGINAL bytes read from the
 * source topic, unchanged; why and where it failed travel in headers, all UTF-8 strings.
 *
 * <p>This is the format of Kafka Streams' own dead-letter queue (KIP-1034, {@code
 * errors.dead.letter.queue.topic.name}, Kafka 4.1+), which writes the raw key and value and the
 * headers {@code __streams.errors.exception}, {@code .message}, {@code .stacktrace}, {@code
 * .topic}, {@code .partition} and {@code .offset}. Records written by Kafka Streams' built-in
 * handlers and by ScrapeGuard's code therefore look alike; ScrapeGuard adds {@link #REASON}, {@link
 * #STAGE} and {@link #TIME} (the {@code guard.dlq.*} headers). {@link #read} understands both. See
 * docs/dead-letters.md.
 */
public final class DeadLetterHeaders {
    /** Exception class name (Kafka Streams' header). */
    public static final String EXCEPTION = "__streams.errors.exception";

    /** Exception message (Kafka Streams' header). */
    public static final String MESSAGE = "__streams.errors.message";

    /** Stack trace (Kafka Streams' header); ScrapeGuard omits it unless asked. */
    public static final String STACKTRACE = "__streams.errors.stacktrace";

    /** Source topic (Kafka Streams' header). */
    public static final String TOPIC = "__streams.errors.topic";

    /** Source partition, decimal (Kafka Streams' header). */
    public static final String PARTITION = "__streams.errors.partition";

    /** Source offset, decimal (Kafka Streams' header). */
    public static final String OFFSET = "__streams.errors.offset";

    /** Human-readable reason, one line, e.g. "image too large: 30000x30000 pixels". */
    public static final String REASON = "guard.dlq.reason";

    /** Stage that refused the record: {@link #STAGE_DESERIALIZE}, {@link #STAGE_DECODE}, ... */
    public static final String STAGE = "guard.dlq.stage";

    /** When it was dead-lettered, ISO-8601 UTC instant. */
    public static final String TIME = "guard.dlq.time";

    public static final String STAGE_DESERIALIZE = "deserialize";
    public static final String STAGE_VALIDATE = "validate";
    public static final String STAGE_DECODE = "decode";
    public static final String STAGE_PROTECT = "protect";
    public static final String STAGE_ENCODE = "encode";
    public static final String STAGE_PRODUCE = "produce";

    private DeadLetterHeaders() {}

    /** What a dead-letter record says about its failure. Fields may be null when absent. */
    public record DeadLetter(
            String reason,
            String stage,
            Instant time,
            String exception,
            String sourceTopic,
            Integer sourcePartition,
            Long sourceOffset) {}

    /**
     * Adds the dead-letter headers to {@code headers} (existing ones of the same names are
     * replaced).
     *
     * @param cause may be null; its class name and message go into the Kafka Streams headers
     */
    public static Headers write(
            Headers headers,
            String reason,
            String stage,
            Instant time,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            Throwable cause) {
        put(headers, REASON, reason);
        put(headers, STAGE, stage);
        put(headers, TIME, time.toString());
        put(headers, TOPIC, sourceTopic);
        put(headers, PARTITION, Integer.toString(sourcePartition));
        put(headers, OFFSET, Long.toString(sourceOffset));
        if (cause != null) {
            put(headers, EXCEPTION, cause.getClass().getName());
            put(headers, MESSAGE, String.valueOf(cause.getMessage()));
        } else {
            put(headers, MESSAGE, reason);
        }
        return headers;
    }

    /** Reads the dead-letter headers (ScrapeGuard's or Kafka Streams' own). */
    public static DeadLetter read(Headers headers) {
        String reason =
                string(headers, REASON).orElseGet(() -> string(headers, MESSAGE).orElse(null));
        return new DeadLetter(
                reason,
                string(headers, STAGE).orElse(null),
                string(headers, TIME).map(Instant::parse).orElse(null),
                string(headers, EXCEPTION).orElse(null),
                string(headers, TOPIC).orElse(null),
                string(headers, PARTITION).map(Integer::valueOf).orElse(null),
                string(headers, OFFSET).map(Long::valueOf).orElse(null));
    }

    /** The last value of header {@code name} as UTF-8, if present. */
    public static Optional<String> string(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
