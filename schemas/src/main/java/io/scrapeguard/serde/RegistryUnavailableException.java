package io.scrapeguard.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The schema registry could not be reached (connection refused, timeout, 502/503/504). A network
 * error, not a data error: retry the record later; never dead-letter it because of this.
 *
 * <p>Kafka Streams hands every exception a deserializer throws to the deserialization exception
 * handler; a handler must answer {@code fail} (not {@code resume}) for a {@link RetriableException}
 * so the record is re-read once the registry is back.
 */
public class RegistryUnavailableException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public RegistryUnavailableException(String message) {
        super(message);
    }
}
