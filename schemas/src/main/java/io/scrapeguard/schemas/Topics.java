package io.scrapeguard.schemas;

import io.scrapeguard.serde.AvroSerde;
import io.scrapeguard.serde.SchemaRegistryClient;
import io.scrapeguard.serde.SerdeConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every ScrapeGuard topic, in one place, each paired with its configured serdes.
 *
 * <pre>{@code
 * try (Topics topics = Topics.forRegistry(stack.registryUrl())) {
 *     Topics.Topic<String, RawImage> raw = topics.rawImages();
 *     builder.stream(raw.name(), Consumed.with(raw.keySerde(), raw.valueSerde()));
 * }
 * }</pre>
 *
 * Keys are the image id as a UTF-8 string (audit reports: the profile name). Values are
 * Confluent-format Avro registered under {@code <topic>-value}, except the dead-letter topic, whose
 * values are the original record bytes, unchanged, with the reason in headers (see {@link
 * DeadLetterHeaders}).
 *
 * <p>One {@link SchemaRegistryClient} (and its cache) is shared by all serdes of an instance;
 * {@link #close()} closes it.
 */
public final class Topics implements AutoCloseable {
    public static final String RAW_IMAGES = "guard.images.raw";
    public static final String PROTECTED_IMAGES = "guard.images.protected";
    public static final String DEAD_LETTERS = "guard.images.dead-letter";
    public static final String AUDIT_REPORTS = "guard.audit-reports";

    /** Largest record the topics accept (topic {@code max.message.bytes}): large images fit. */
    public static final int MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

    /** A topic name with its key and value serdes. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}

    private final Map<String, Object> serdeConfig;
    private final SchemaRegistryClient client;

    private Topics(Map<String, ?> serdeConfig) {
        this.serdeConfig = new HashMap<>(serdeConfig);
        this.client = new SchemaRegistryClient(new SerdeConfig(serdeConfig));
    }

    /**
     * Topics whose serdes talk to the registry at {@code registryUrl} (Confluent-compatible base
     * URL).
     */
    public static Topics forRegistry(String registryUrl) {
        return new Topics(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl));
    }

    /** Topics whose serdes are configured from {@code serdeConfig} (see {@link SerdeConfig}). */
    public static Topics fromConfig(Map<String, ?> serdeConfig) {
        return new Topics(serdeConfig);
    }

    /** Every topic name. */
    public static List<String> names() {
        return List.of(RAW_IMAGES, PROTECTED_IMAGES, DEAD_LETTERS, AUDIT_REPORTS);
    }

    /** Topic-level configs every ScrapeGuard topic is created with. */
    public static Map<String, String> topicConfig() {
        return Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES));
    }

    public Topic<String, RawImage> rawImages() {
        return new Topic<>(RAW_IMAGES, Serdes.String(), avro(RawImage.class));
    }

    public Topic<String, ProtectedImage> protectedImages() {
        return new Topic<>(PROTECTED_IMAGES, Serdes.String(), avro(ProtectedImage.class));
    }

    /**
     * Values are the original, unchanged bytes; reason and origin are in {@link DeadLetterHeaders}.
     */
    public Topic<String, byte[]> deadLetters() {
        return new Topic<>(DEAD_LETTERS, Serdes.String(), Serdes.ByteArray());
    }

    public Topic<String, AuditReport> auditReports() {
        return new Topic<>(AUDIT_REPORTS, Serdes.String(), avro(AuditReport.class));
    }

    /** The shared registry client (e.g. to set compatibility levels). */
    public SchemaRegistryClient registryClient() {
        return client;
    }

    /** The serde configuration, e.g. to pass on to Kafka clients. */
    public Map<String, Object> serdeConfig() {
        return Map.copyOf(serdeConfig);
    }

    private <T extends SpecificRecord> AvroSerde<T> avro(Class<T> type) {
        return AvroSerde.specific(client, type, serdeConfig);
    }

    @Override
    public void close() {
        client.close();
    }
}
