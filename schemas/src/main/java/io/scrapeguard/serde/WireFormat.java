package io.scrapeguard.serde;

import java.nio.ByteBuffer;

/**
 * Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the Avro binary encoding
 * of the record (no Avro container header).
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0x0;
    public static final int ID_SIZE = 4;
    public static final int HEADER_SIZE = 1 + ID_SIZE;

    private WireFormat() {}

    /** Writes the 5-byte header for {@code schemaId} into {@code buffer}. */
    public static void writeHeader(ByteBuffer buffer, int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }

    /**
     * Checks the header of {@code payload} and returns its schema id.
     *
     * @throws InvalidPayloadException when the payload is empty, shorter than the header or has a
     *     magic byte other than 0
     */
    public static int schemaId(String topic, byte[] payload) {
        if (payload.length == 0) {
            throw new InvalidPayloadException(
                    "Empty payload in topic "
                            + topic
                            + ": no magic byte and no schema id (a Confluent-format Avro record"
                            + " starts with magic byte 0x00 and a 4-byte schema id)",
                    -1,
                    -1);
        }
        int magic = payload[0] & 0xff;
        int id = payload.length >= HEADER_SIZE ? ByteBuffer.wrap(payload, 1, ID_SIZE).getInt() : -1;
        if (magic != MAGIC_BYTE) {
            throw new InvalidPayloadException(
                    String.format(
                            "Unknown magic byte 0x%02x (expected 0x00) in a %d-byte payload from"
                                    + " topic %s; schema id field reads %s: not a Confluent-format"
                                    + " Avro record",
                            magic, payload.length, topic, id < 0 ? "(missing)" : id),
                    magic,
                    id);
        }
        if (id < 0) {
            throw new InvalidPayloadException(
                    String.format(
                            "Truncated header in topic %s: magic byte 0x00 but only %d bytes, no"
                                    + " room for the 4-byte schema id",
                            topic, payload.length),
                    magic,
                    -1);
        }
        return id;
    }
}
