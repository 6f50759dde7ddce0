package io.scrapeguard.serde;

import org.apache.kafka.common.KafkaException;

/**
 * The registry answered with an error (4xx or 500): the request itself is wrong, e.g. an invalid
 * schema or an unknown subject. Not retriable. {@link #status()} is the HTTP status and {@link
 * #errorCode()} the registry's {@code error_code} (Confluent codes, e.g. 40401 subject not found,
 * 40403 schema not found, 409 incompatible, 42201 invalid schema), or -1 when absent.
 */
public class SchemaRegistryException extends KafkaException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    /** True when the registry says the subject, version or schema does not exist. */
    public boolean isNotFound() {
        return status == 404;
    }
}
