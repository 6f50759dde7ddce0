package io.scrapeguard.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro records: the writer schema comes from the registry by the id in
 * the payload and is resolved against the reader schema (a generated class's schema, a given reader
 * schema, or the writer schema itself for generic reading).
 *
 * <p>Modes: generic ({@link GenericRecord}); specific from the writer schema's name ({@code
 * specific.avro.reader=true}); or a fixed generated class ({@link #AvroDeserializer(
 * SchemaRegistryClient, Class)}), which also reads records written with newer or older compatible
 * schemas.
 *
 * <p>Errors: a bad payload (empty, wrong magic byte, unknown schema id, undecodable Avro) is an
 * {@link InvalidPayloadException} naming the magic byte and schema id; an unreachable registry is a
 * {@link RegistryUnavailableException} (retriable). Thread-safe.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean specific;
    private final Class<? extends SpecificRecord> targetClass;
    private final Schema readerSchema;
    private final Map<Integer, Reader> readers = new ConcurrentHashMap<>();

    /** The writer's schema (what bounds the payload) and the reader resolving it. */
    private record Reader(Schema writer, DatumReader<Object> datum) {}

    /** For Kafka's reflective construction: call {@link #configure} before use. */
    public AvroDeserializer() {
        this(null, null, null);
    }

    /** A generic deserializer sharing {@code client} (not closed by {@link #close()}). */
    public AvroDeserializer(SchemaRegistryClient client) {
        this(client, null, null);
    }

    /** A deserializer returning {@code targetClass} instances, sharing {@code client}. */
    public AvroDeserializer(
            SchemaRegistryClient client, Class<? extends SpecificRecord> targetClass) {
        this(client, targetClass, null);
    }

    /**
     * A generic deserializer that resolves every record to {@code readerSchema} (an old or new
     * version of the writer's schema).
     */
    public AvroDeserializer(SchemaRegistryClient client, Schema readerSchema) {
        this(client, null, readerSchema);
    }

    private AvroDeserializer(
            SchemaRegistryClient client,
            Class<? extends SpecificRecord> targetClass,
            Schema readerSchema) {
        this.client = client;
        this.targetClass = targetClass;
        this.readerSchema = readerSchema;
        this.specific = targetClass != null;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs);
        this.specific = targetClass != null || config.specificAvroReader();
        if (client == null) {
            client = new SchemaRegistryClient(config);
            ownsClient = true;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer is not configured: call configure()");
        }
        int id = WireFormat.schemaId(topic, payload);
        Reader reader = reader(topic, id);
        try {
            // lengths first: Avro allocates what a length declares before reading the data
            AvroBounds.check(
                    reader.writer(),
                    payload,
                    WireFormat.HEADER_SIZE,
                    payload.length - WireFormat.HEADER_SIZE);
            BinaryDecoder decoder =
                    DecoderFactory.get()
                            .binaryDecoder(
                                    payload,
                                    WireFormat.HEADER_SIZE,
                                    payload.length - WireFormat.HEADER_SIZE,
                                    null);
            Object value = reader.datum().read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException("bytes left over after the record: the payload is corrupt");
            }
            return (T) value;
        } catch (AvroTypeException e) {
            throw new InvalidPayloadException(
                    String.format(
                            "Cannot read Avro record from topic %s (magic byte 0x00, schema id %d)"
                                    + " with the reader's schema: the writer's schema does not"
                                    + " resolve to it: %s",
                            topic, id, e.getMessage()),
                    0,
                    id,
                    e);
        } catch (IOException | RuntimeException e) {
            throw new InvalidPayloadException(
                    String.format(
                            "Cannot decode Avro record from topic %s (magic byte 0x00, schema id"
                                    + " %d, %d bytes): truncated or corrupt data: %s",
                            topic, id, payload.length, e),
                    0,
                    id,
                    e);
        }
    }

    private Reader reader(String topic, int id) {
        Reader cached = readers.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = client.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new InvalidPayloadException(
                        String.format(
                                "Unknown schema id %d (magic byte 0x00) in record from topic %s:"
                                        + " the registry at %s has no schema with this id",
                                id, topic, client.baseUrl()),
                        0,
                        id,
                        e);
            }
            // the registry answered about this id (not Avro, not parseable, refused): the
            // record's id is the problem, so a data error; outages are RegistryUnavailable
            throw new InvalidPayloadException(
                    String.format(
                            "Schema id %d (magic byte 0x00) in record from topic %s cannot be"
                                    + " read as Avro: %s",
                            id, topic, e.getMessage()),
                    0,
                    id,
                    e);
        }
        DatumReader<Object> datum;
        try {
            datum = newReader(writer, id);
        } catch (SerializationException e) {
            throw new InvalidPayloadException(e.getMessage(), 0, id, e);
        }
        Reader reader = new Reader(writer, datum);
        readers.putIfAbsent(id, reader);
        return reader;
    }

    private DatumReader<Object> newReader(Schema writer, int id) {
        if (!specific) {
            return new GenericDatumReader<>(writer, readerSchema != null ? readerSchema : writer);
        }
        Class<?> type = targetClass;
        if (type == null) {
            type = SpecificData.get().getClass(writer);
            if (type == null
                    || type == Object.class
                    || !SpecificRecord.class.isAssignableFrom(type)) {
                throw new SerializationException(
                        "specific.avro.reader=true but no generated class for "
                                + writer.getFullName()
                                + " (schema id "
                                + id
                                + ") is on the classpath");
            }
        }
        SpecificData model = SpecificData.getForClass(type);
        return new SpecificDatumReader<>(writer, model.getSchema(type), model);
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
