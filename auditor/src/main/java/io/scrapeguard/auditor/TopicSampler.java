package io.scrapeguard.auditor;

import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.PublishingKey;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the raw and the protected topics from the beginning into a {@link PairReservoir}: either up
 * to the end offsets of the moment ({@link #readToEnd}, for {@code ./guard audit --now}) or
 * continuously ({@link #run}, the auditor service). Partitions are assigned, not subscribed: no
 * consumer group, nothing committed, every start rebuilds the sample from the topics.
 */
public final class TopicSampler implements AutoCloseable {
    public static final String UNDECODABLE_RECORD = "undecodable-record";

    /** A protected record without a valid MAC of the publishing key: never counted. */
    public static final String FORGED_RECORD = "forged-record";

    /** A record whose handling threw an Error (out of memory on a hostile image): skipped. */
    public static final String RECORD_ERROR = "record-error";

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<RawImage> rawValues;
    private final Deserializer<ProtectedImage> protectedValues;
    private final PairReservoir reservoir;
    private final SkipCounts recordErrors = new SkipCounts();
    private final PublishingKey publishingKey;
    private volatile boolean running = true;
    private volatile java.util.function.BiConsumer<String, Throwable> faults = (w, t) -> {};
    private volatile Consumer<ConsumerRecord<String, byte[]>> beforeEach = r -> {};

    /** {@code kafkaConfig}: {@code bootstrap.servers} and the client settings (security). */
    public TopicSampler(Map<String, Object> kafkaConfig, Topics topics, PairReservoir reservoir) {
        this(kafkaConfig, topics, reservoir, PublishingKey.fromEnvironment().orElse(null));
    }

    /** {@code publishingKey}: protected records must carry its MAC (null: not checked). */
    public TopicSampler(
            Map<String, Object> kafkaConfig,
            Topics topics,
            PairReservoir reservoir,
            PublishingKey publishingKey) {
        this.publishingKey = publishingKey;
        Properties p = new Properties();
        p.putAll(kafkaConfig);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "guard-auditor-sampler");
        // an aborted transaction's outputs are not images the platform will ever publish
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer =
                new KafkaConsumer<>(
                        p,
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new ByteArrayDeserializer());
        this.rawValues = topics.rawImages().valueSerde().deserializer();
        this.protectedValues = topics.protectedImages().valueSerde().deserializer();
        this.reservoir = reservoir;
    }

    private List<TopicPartition> assignFromBeginning(Duration timeout) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(Topics.RAW_IMAGES, Topics.PROTECTED_IMAGES)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "topic "
                                + topic
                                + " does not exist (is the"
                                + " stack running and has anything been published?)");
            }
            infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return parts;
    }

    /** Reads everything published up to now; returns the number of records read. */
    public long readToEnd(Duration timeout, Consumer<String> progress) {
        List<TopicPartition> parts = assignFromBeginning(timeout);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts, timeout));
        long total = end.values().stream().mapToLong(Long::longValue).sum();
        long read = 0, nextReport = 1000;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp(end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "timed out reading the topics after " + read + " of " + total + " records");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                accept(r);
                read++;
            }
            if (read >= nextReport) {
                progress.accept(
                        "audit: read "
                                + read
                                + " of "
                                + total
                                + " records, "
                                + reservoir.joined()
                                + " pairs joined");
                nextReport += 1000;
            }
        }
        return read;
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Follows both topics until {@link #close()}; for a dedicated thread. */
    public void run() {
        try {
            assignFromBeginning(Duration.ofSeconds(30));
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        accept(r);
                    }
                } catch (WakeupException e) {
                    if (running) {
                        faults.accept("sampler", e);
                    }
                } catch (Throwable e) {
                    // the next poll may work (broker back); a dead sampler never would
                    faults.accept("sampler", e);
                    pauseAfterFault();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            beforeEach.accept(r);
            if (r.topic().equals(Topics.RAW_IMAGES)) {
                RawImage raw = rawValues.deserialize(r.topic(), r.value());
                reservoir.offerRaw(raw.getImageId(), raw.getLabel(), bytes(raw.getImage()));
            } else {
                ProtectedImage p = protectedValues.deserialize(r.topic(), r.value());
                if (publishingKey != null && !publishingKey.verifies(p, r.headers())) {
                    recordErrors.add(FORGED_RECORD);
                    return;
                }
                reservoir.offerProtected(p.getImageId(), p.getLabel(), bytes(p.getImage()));
            }
        } catch (RuntimeException e) {
            recordErrors.add(UNDECODABLE_RECORD);
        } catch (Error e) {
            // one hostile record must not take the sampler down with it
            recordErrors.add(RECORD_ERROR);
            faults.accept("sampler", e);
        }
    }

    /** Where the Throwables that {@link #run} survives are reported (the service's status). */
    void onFault(java.util.function.BiConsumer<String, Throwable> sink) {
        this.faults = sink;
    }

    /** Runs before each record is handled: where a test plants a fault. */
    void beforeEach(Consumer<ConsumerRecord<String, byte[]>> hook) {
        this.beforeEach = hook;
    }

    private void pauseAfterFault() {
        try {
            Thread.sleep(1000); // a broken broker must not be polled in a busy loop
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Records that could not be read as images of their topic's schema. */
    public SkipCounts recordErrors() {
        return recordErrors;
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** Stops {@link #run} from another thread. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    /** For {@link #readToEnd} users (the {@link #run} thread closes its own consumer). */
    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
