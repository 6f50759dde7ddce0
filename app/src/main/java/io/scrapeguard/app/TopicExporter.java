package io.scrapeguard.app;

import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.PublishingKey;
import io.scrapeguard.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Writes the records of the protected or dead-letter topic to a folder, one file per record, so
 * people and tests can look at what was published and what was not: protected images as {@code
 * <label>/<image id>.png}, dead letters as {@code <reason>/<image id or offset>} holding the
 * original bytes. Reads committed records only, from the beginning to the end offsets found at the
 * start.
 */
public final class TopicExporter {
    private TopicExporter() {}

    /** Files written, per folder (label or reason). */
    public record Result(Map<String, Integer> perFolder, int total) {
        /** Protected records without a valid MAC: read, not written. */
        public int forged() {
            return perFolder.getOrDefault(FORGED, 0);
        }

        /** Files written. */
        public int written() {
            return total - forged();
        }
    }

    /** The folder name under which forged records are counted (never written). */
    public static final String FORGED = "(forged: no valid " + PublishingKey.HEADER + ")";

    public static Result exportProtected(
            String bootstrap, Topics topics, String topic, Path out, Duration timeout) {
        return exportProtected(bootstrapOnly(bootstrap), topics, topic, out, timeout, null);
    }

    /** {@code kafkaConfig}: {@code bootstrap.servers} and the client settings (security). */
    public static Result exportProtected(
            Map<String, Object> kafkaConfig,
            Topics topics,
            String topic,
            Path out,
            Duration timeout,
            PublishingKey publishingKey) {
        var deserializer = topics.protectedImages().valueSerde().deserializer();
        return export(
                kafkaConfig,
                topic,
                timeout,
                (record, counts) -> {
                    ProtectedImage img = deserializer.deserialize(topic, record.value());
                    if (publishingKey != null && !publishingKey.verifies(img, record.headers())) {
                        counts.merge(FORGED, 1, Integer::sum); // not ours: never exported
                        return;
                    }
                    String ext = img.getContentType().equals("image/jpeg") ? ".jpg" : ".png";
                    write(
                            out.resolve(safe(img.getLabel())).resolve(safe(img.getImageId()) + ext),
                            bytes(img.getImage()));
                    counts.merge(img.getLabel(), 1, Integer::sum);
                });
    }

    public static Result exportDeadLetters(
            String bootstrap, String topic, Path out, Duration timeout) {
        return exportDeadLetters(bootstrapOnly(bootstrap), topic, out, timeout);
    }

    public static Result exportDeadLetters(
            Map<String, Object> kafkaConfig, String topic, Path out, Duration timeout) {
        return export(
                kafkaConfig,
                topic,
                timeout,
                (record, counts) -> {
                    DeadLetterHeaders.DeadLetter dl = DeadLetterHeaders.read(record.headers());
                    String reason = dl.reason() == null ? "unknown" : dl.reason();
                    String name =
                            record.key() != null && record.key().length > 0
                                    ? safe(new String(record.key(), StandardCharsets.UTF_8))
                                    : "p" + record.partition() + "-o" + record.offset();
                    byte[] value = record.value() == null ? new byte[0] : record.value();
                    write(out.resolve(safe(reason)).resolve(name), value);
                    counts.merge(reason, 1, Integer::sum);
                });
    }

    /**
     * The number of committed records on a topic, read from the beginning to its end offsets as the
     * exports read it (up to {@code timeout}), without writing anything.
     */
    public static int countCommitted(String bootstrap, String topic, Duration timeout) {
        return export(bootstrapOnly(bootstrap), topic, timeout, (record, counts) -> {}).total();
    }

    private static Map<String, Object> bootstrapOnly(String bootstrap) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }

    interface Sink {
        void accept(ConsumerRecord<byte[], byte[]> record, Map<String, Integer> counts);
    }

    private static Result export(
            Map<String, Object> kafkaConfig, String topic, Duration timeout, Sink sink) {
        Properties p = new Properties();
        p.putAll(kafkaConfig);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // looking must not create
        p.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Topics.MAX_MESSAGE_BYTES + 1024 * 1024);
        Map<String, Integer> counts = new TreeMap<>();
        int total = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist (yet)");
            }
            List<TopicPartition> parts =
                    infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts, timeout));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    sink.accept(r, counts);
                    total++;
                }
            }
        }
        return new Result(counts, total);
    }

    private static boolean done(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** A file name that cannot escape its folder. */
    static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._=-]", "_");
        if (t.isEmpty() || t.equals(".") || t.equals("..")) {
            return "_" + t;
        }
        return t.length() > 128 ? t.substring(0, 128) : t;
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
