package io.scrapeguard.producer;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Producer defaults tuned for image payloads, each overridable ({@code --producer-property k=v}).
 *
 * <ul>
 *   <li>idempotent, {@code acks=all}: a retry never duplicates an image;
 *   <li>{@code batch.size} 1 MiB and {@code linger.ms} 20: many small images share a request, a
 *       large one goes in a batch of its own;
 *   <li>{@code compression.type=lz4}: PNG/JPEG bytes barely compress, lz4 costs next to nothing and
 *       still shrinks the Avro envelope and synthetic/flat images;
 *   <li>{@code max.request.size} 64 MiB, matching the image byte limit with room for the envelope.
 * </ul>
 */
public final class ProducerSettings {
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 64L * 1024 * 1024;

    private ProducerSettings() {}

    public static Properties defaults(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1024 * 1024));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(64 * 1024 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(2 * DEFAULT_MAX_IN_FLIGHT_BYTES));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "guard-publish");
        return p;
    }

    public static Properties with(String bootstrapServers, Map<String, String> overrides) {
        Properties p = defaults(bootstrapServers);
        p.putAll(overrides);
        return p;
    }
}
