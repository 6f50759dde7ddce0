package io.scrapeguard.schemas;

import org.apache.kafka.common.errors.RetriableException;

/** Kafka did not answer a label claim in time: retriable, the record is processed again. */
public final class LabelAssignmentTimeoutException extends RetriableException {
    public LabelAssignmentTimeoutException(String message) {
        super(message);
    }
}
