package io.scrapeguard.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated classes or {@link org.apache.avro.generic.GenericRecord}) in the
 * Confluent wire format, registering (or, with {@code auto.register.schemas=false}, looking up) the
 * schema under the subject named by the subject name strategy (default: {@code <topic>-value}).
 *
 * <p>Throws {@link RegistryUnavailableException} (retriable) when the registry cannot be reached,
 * {@link IncompatibleSchemaException} when the registry refuses the schema, {@link
 * SerializationException} when the record cannot be encoded. Thread-safe.
 */
public class AvroSerializer<T> implements Serializer<T> {
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean isKey;
    private boolean autoRegister = true;
    private SubjectNameStrategy strategy = SubjectNameStrategy.TOPIC_NAME;
    private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
    // the last record's size: a stream of image records is written without regrowing the buffer
    private volatile int sizeHint = 256;

    /** For Kafka's reflective construction: call {@link #configure} before use. */
    public AvroSerializer() {}

    /**
     * A serializer sharing {@code client} (not closed by {@link #close()}); configured as a value
     * serializer with auto-registration and the topic-name strategy.
     */
    public AvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    /** A ready serializer sharing {@code client}, configured from {@code configs}. */
    public AvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this.client = client;
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs);
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
        this.strategy = config.subjectNameStrategy(isKey);
        if (client == null) {
            client = new SchemaRegistryClient(config);
            ownsClient = true;
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroSerializer is not configured: call configure()");
        }
        if (!(data instanceof GenericContainer container)) {
            throw new SerializationException(
                    "AvroSerializer writes Avro records; got " + data.getClass().getName());
        }
        Schema schema = container.getSchema();
        String subject = strategy.subject(topic, isKey, schema);
        int id = autoRegister ? client.register(subject, schema) : lookup(subject, schema);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
            ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
            WireFormat.writeHeader(header, id);
            out.write(header.array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(schema, data).write(data, encoder);
            encoder.flush();
            int size = out.size();
            sizeHint = size + size / 8 + 64;
            return out.toByteArray();
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            throw new SerializationException(
                    "Cannot encode "
                            + schema.getFullName()
                            + " for topic "
                            + topic
                            + " with schema id "
                            + id
                            + ": "
                            + e,
                    e);
        }
    }

    private int lookup(String subject, Schema schema) {
        try {
            return client.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException(
                        "Schema "
                                + schema.getFullName()
                                + " is not registered under subject '"
                                + subject
                                + "' and auto.register.schemas=false: register it first"
                                + " ("
                                + e.getMessage()
                                + ")",
                        e);
            }
            throw e;
        }
    }

    private DatumWriter<Object> writer(Schema schema, Object data) {
        // A generated class and a GenericRecord of the same schema need different writers: the
        // generated class carries logical-type conversions (e.g. Instant), the generic one longs.
        return data instanceof SpecificRecord
                ? specificWriters.computeIfAbsent(
                        schema, s -> new SpecificDatumWriter<>(s, SpecificData.getForSchema(s)))
                : genericWriters.computeIfAbsent(schema, GenericDatumWriter::new);
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
