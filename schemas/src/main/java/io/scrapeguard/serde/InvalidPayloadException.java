package io.scrapeguard.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes are not a readable Confluent-format Avro payload: empty or too short, a wrong
 * magic byte, a schema id the registry does not know, or Avro data that does not decode. A data
 * error: the record belongs on the dead-letter topic. The message names the magic byte and the
 * schema id found (or that they were missing).
 */
public class InvalidPayloadException extends SerializationException {
    private static final long serialVersionUID = 1L;

    private final int magicByte;
    private final int schemaId;

    /**
     * @param magicByte the first byte (0..255), or -1 when the payload was empty
     * @param schemaId the schema id read from bytes 1..4, or -1 when the payload was too short
     */
    public InvalidPayloadException(String message, int magicByte, int schemaId, Throwable cause) {
        super(message, cause);
        this.magicByte = magicByte;
        this.schemaId = schemaId;
    }

    public InvalidPayloadException(String message, int magicByte, int schemaId) {
        this(message, magicByte, schemaId, null);
    }

    /** The first byte of the payload (0..255), or -1 when it was empty. */
    public int magicByte() {
        return magicByte;
    }

    /** The schema id in the payload, or -1 when the payload was too short to hold one. */
    public int schemaId() {
        return schemaId;
    }
}
