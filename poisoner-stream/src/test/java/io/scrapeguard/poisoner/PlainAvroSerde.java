package io.scrapeguard.poisoner;

import io.scrapeguard.serde.InvalidPayloadException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plain Avro binary without a registry, for TopologyTestDriver tests only (the integration tests
 * use the real Confluent-format serde against the real registry). Garbage fails with the same
 * {@link InvalidPayloadException} as the real serde.
 */
final class PlainAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final Class<T> type;

    PlainAvroSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
                new SpecificDatumWriter<T>(type).write(data, enc);
                enc.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            try {
                BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, null);
                T value = new SpecificDatumReader<T>(type).read(null, dec);
                if (!dec.isEnd()) {
                    throw new IOException("bytes left over");
                }
                return value;
            } catch (IOException | RuntimeException e) {
                throw new InvalidPayloadException(
                        "not a " + type.getSimpleName() + ": " + e, -1, -1);
            }
        };
    }
}
