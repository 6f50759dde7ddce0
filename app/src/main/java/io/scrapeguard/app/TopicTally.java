package io.scrapeguard.app;

import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the outside world sees: the committed records (read_committed) on the protected and
 * dead-letter topics, by image id, until every published image is accounted for. Counting the
 * topics rather than the poisoner's meters is what proves fail-closed: aborted transactions never
 * show here, and an image both protected and dead-lettered would.
 */
final class TopicTally {

    /** What the topics held at the end. */
    record Result(
            Set<String> protectedIds,
            Set<String> deadLetterIds,
            Map<String, Integer> deadLetterReasons,
            int duplicates,
            double seconds,
            boolean complete) {

        int accounted() {
            Set<String> all = new HashSet<>(protectedIds);
            all.addAll(deadLetterIds);
            return all.size();
        }

        /** Ids that are on both topics: must be none. */
        Set<String> both() {
            Set<String> b = new HashSet<>(protectedIds);
            b.retainAll(deadLetterIds);
            return b;
        }
    }

    private TopicTally() {}

    /**
     * Reads both topics from the beginning until {@code expected} distinct images are on them, or
     * the timeout; a progress line every few seconds.
     */
    static Result await(
            String bootstrap,
            long expected,
            Duration timeout,
            long startNanos,
            Consumer<String> progress) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "guard-demo-tally");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
        Set<String> prot = new HashSet<>();
        Set<String> dead = new HashSet<>();
        Map<String, Integer> reasons = new TreeMap<>();
        int duplicates = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastLine = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : List.of(Topics.PROTECTED_IMAGES, Topics.DEAD_LETTERS)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    String id =
                            r.key() == null
                                    ? "offset-" + r.offset()
                                    : new String(r.key(), StandardCharsets.UTF_8);
                    boolean added;
                    if (r.topic().equals(Topics.PROTECTED_IMAGES)) {
                        added = prot.add(id);
                    } else {
                        added = dead.add(id);
                        if (added) {
                            reasons.merge(reason(r), 1, Integer::sum);
                        }
                    }
                    duplicates += added ? 0 : 1;
                }
                long now = System.nanoTime();
                long done = prot.size() + dead.size();
                boolean complete = done >= expected;
                if (complete || now - lastLine >= 3_000_000_000L) {
                    lastLine = now;
                    double secs = (now - startNanos) / 1e9;
                    progress.accept(
                            String.format(
                                    Locale.ROOT,
                                    "%d/%d accounted for: %d protected, %d dead-lettered (%.0f"
                                            + " img/s since the first image was sent)",
                                    done,
                                    expected,
                                    prot.size(),
                                    dead.size(),
                                    done / Math.max(secs, 1e-3)));
                }
                if (complete || now > deadline) {
                    return new Result(
                            prot, dead, reasons, duplicates, (now - startNanos) / 1e9, complete);
                }
            }
        }
    }

    private static String reason(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(DeadLetterHeaders.REASON);
        return h == null ? "unknown" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
