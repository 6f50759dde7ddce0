package io.scrapeguard.poisoner;

import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.PublishingKey;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The poisoner's topology, in the style of Kafka's {@code streams/examples}: {@link #buildTopology}
 * and {@link #streamsConfig} are what the app runs and what the tests reuse.
 *
 * <pre>
 *   raw-images (bytes) --poison--+--> protected-images: protected topic (ProtectedImage, Avro)
 *                                +--> dead-letters: dead-letter topic (original bytes + reason headers)
 * </pre>
 *
 * Both sinks belong to the same task, so under {@code exactly_once_v2} a raw record, its output and
 * its offset commit are one transaction: each input ends protected or dead-lettered exactly once.
 */
public final class PoisonerTopology {
    public static final String APPLICATION_ID = "scrapeguard-poisoner";

    private PoisonerTopology() {}

    /** Processor and sink names: the poison processor forwards each outcome to one sink. */
    static final String SOURCE = "raw-images";

    static final String POISON = "poison";
    static final String PROTECTED_SINK = "protected-images";
    static final String DEAD_LETTER_SINK = "dead-letters";

    public static Topology buildTopology(
            PoisonerTopics topics,
            Deserializer<RawImage> rawDeserializer,
            Serde<ProtectedImage> protectedSerde,
            ImagePipeline pipeline,
            PoisonerMetrics metrics) {
        return buildTopology(
                topics,
                rawDeserializer,
                protectedSerde,
                pipeline,
                metrics,
                new RecordAttempts(RecordAttempts.DEFAULT_MAX_ATTEMPTS),
                null);
    }

    /**
     * {@code attempts}: shared by the instance's threads, so a replaced thread sees the count; each
     * protected record signed with {@code publishingKey} (null: unsigned).
     */
    public static Topology buildTopology(
            PoisonerTopics topics,
            Deserializer<RawImage> rawDeserializer,
            Serde<ProtectedImage> protectedSerde,
            ImagePipeline pipeline,
            PoisonerMetrics metrics,
            RecordAttempts attempts,
            PublishingKey publishingKey) {
        // the Processor API: the processor forwards straight to the sink an outcome belongs to,
        // with no branch and map nodes in between (measurable at thousands of images a second)
        Topology topology = new Topology();
        topology.addSource(
                SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.raw());
        topology.addProcessor(
                POISON,
                () ->
                        new PoisonProcessor(
                                rawDeserializer, pipeline, metrics, attempts, publishingKey),
                SOURCE);
        topology.addSink(
                PROTECTED_SINK,
                topics.protectedImages(),
                new ByteArraySerializer(),
                protectedSerde.serializer(),
                POISON);
        topology.addSink(
                DEAD_LETTER_SINK,
                topics.deadLetters(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                POISON);
        return topology;
    }

    /** How often a transaction commits: what is protected becomes visible within this. */
    public static final int COMMIT_INTERVAL_MS = 500;

    /** Raw records buffered per input partition: bounds the heap when images are large. */
    public static final int BUFFERED_RECORDS_PER_PARTITION = 64;

    /**
     * Exactly-once v2, byte-array default serdes (the topology deserialises inside), and settings
     * measured with {@code ./guard bench pipeline} (docs/benchmarks.md): a transaction costs
     * several broker round trips and a produce request is verified against its transaction, so
     * commits every {@value #COMMIT_INTERVAL_MS} ms and requests that carry a whole commit's worth
     * of images (linger up to the commit, 1 MiB batches) instead of a few each; no compression, as
     * PNG and JPEG bytes do not compress and the broker would decompress every batch to check it;
     * fetches of a few MiB and a short input buffer, so large images do not fill the heap (a record
     * over a fetch limit is still fetched, alone).
     */
    public static Properties streamsConfig(
            String applicationId, String bootstrapServers, Path stateDir, int threads) {
        return streamsConfig(
                applicationId,
                bootstrapServers,
                stateDir,
                threads,
                PipelineLimits.DEFAULT_TIME_BUDGET);
    }

    /**
     * As above, with the transaction timeout and poll interval well above {@code imageTimeBudget}:
     * an image that takes its whole budget ends as a dead letter inside its transaction instead of
     * outliving it (Kafka's default transaction timeout, 10 s, would fence the thread again and
     * again on the same image).
     */
    public static Properties streamsConfig(
            String applicationId,
            String bootstrapServers,
            Path stateDir,
            int threads,
            java.time.Duration imageTimeBudget) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        p.put(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG, BUFFERED_RECORDS_PER_PARTITION);
        p.put(
                "processing.exception.handler.global.enabled",
                true); // no global state; silences a warning
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Topics.MAX_MESSAGE_BYTES + 1024 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), COMMIT_INTERVAL_MS);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 1024 * 1024);
        p.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                4 * 1024 * 1024);
        p.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG),
                16 * 1024 * 1024);
        // images are heavy: fewer records per poll keeps a poll loop well inside max.poll.interval
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 200);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        long budgetMs = imageTimeBudget.toMillis();
        p.put(
                StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) Math.max(60_000, 4 * budgetMs));
        p.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
                (int) Math.max(300_000, 4 * budgetMs));
        return p;
    }
}
