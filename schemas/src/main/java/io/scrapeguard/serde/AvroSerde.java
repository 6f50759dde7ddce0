package io.scrapeguard.serde;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka (Streams) {@link Serde} over {@link AvroSerializer} and {@link AvroDeserializer}. Use
 * {@link #specific(SchemaRegistryClient, Class, Map)} or {@link #generic(SchemaRegistryClient,
 * Map)} for ready, configured instances (Kafka Streams does not call {@code configure} on serdes
 * handed to {@code Consumed.with}/{@code Produced.with}), or the no-argument constructor plus
 * {@code configure} as a default serde class in the Streams config.
 */
public class AvroSerde<T> implements Serde<T> {
    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /** For reflective construction (default.value.serde): configure before use. */
    public AvroSerde() {
        this(new AvroSerializer<>(), new AvroDeserializer<>());
    }

    private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /** A configured serde of generated class {@code type}, sharing {@code client}. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(
            SchemaRegistryClient client, Class<T> type, Map<String, ?> configs, boolean isKey) {
        AvroSerde<T> serde =
                new AvroSerde<>(new AvroSerializer<>(client), new AvroDeserializer<>(client, type));
        serde.configure(configs, isKey);
        return serde;
    }

    /** A configured value serde of generated class {@code type}, sharing {@code client}. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(
            SchemaRegistryClient client, Class<T> type, Map<String, ?> configs) {
        return specific(client, type, configs, false);
    }

    /** A configured generic value serde, sharing {@code client}. */
    public static AvroSerde<GenericRecord> generic(
            SchemaRegistryClient client, Map<String, ?> configs) {
        AvroSerde<GenericRecord> serde =
                new AvroSerde<>(new AvroSerializer<>(client), new AvroDeserializer<>(client));
        serde.configure(configs, false);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
