package io.scrapeguard.poisoner;

import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.RawImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The poisoner's real topology ({@link PoisonerTopology#buildTopology}, {@link
 * PoisonerTopology#streamsConfig}) on a {@link TopologyTestDriver}: raw records in, the protected
 * and dead-letter topics out. What the topology tests share; each builds its own pipeline.
 */
final class PoisonerDriver implements AutoCloseable {
    static final PoisonerTopics TOPICS = PoisonerTopics.DEFAULT;

    private static final PlainAvroSerde<RawImage> RAW_SERDE = new PlainAvroSerde<>(RawImage.class);
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> raw;

    /** What the poisoner published. */
    final TestOutputTopic<String, ProtectedImage> published;

    /** Its dead letters: the original bytes, the reason in the headers. */
    final TestOutputTopic<String, byte[]> dead;

    PoisonerDriver(ImagePipeline pipeline, PoisonerMetrics metrics, Path stateDir) {
        this(pipeline, metrics, stateDir, null);
    }

    /** With a deserializer of its own for the raw records (null: the plain Avro one). */
    PoisonerDriver(
            ImagePipeline pipeline,
            PoisonerMetrics metrics,
            Path stateDir,
            Deserializer<RawImage> deserializer) {
        PlainAvroSerde<ProtectedImage> outSerde = new PlainAvroSerde<>(ProtectedImage.class);
        driver =
                new TopologyTestDriver(
                        PoisonerTopology.buildTopology(
                                TOPICS,
                                deserializer == null ? RAW_SERDE.deserializer() : deserializer,
                                outSerde,
                                pipeline,
                                metrics),
                        PoisonerTopology.streamsConfig("test", "dummy:9092", stateDir, 1));
        raw =
                driver.createInputTopic(
                        TOPICS.raw(), new ByteArraySerializer(), new ByteArraySerializer());
        published =
                driver.createOutputTopic(
                        TOPICS.protectedImages(),
                        new StringDeserializer(),
                        outSerde.deserializer());
        dead =
                driver.createOutputTopic(
                        TOPICS.deadLetters(),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
    }

    /** A raw record's value as the producer writes it: a PNG with its id and label. */
    static byte[] rawRecord(String id, String label, byte[] png) {
        return RAW_SERDE.serializer().serialize(TOPICS.raw(), Harness.raw(id, label, png));
    }

    void send(String key, byte[] value) {
        send(key, value, new RecordHeaders());
    }

    void send(String key, byte[] value, Headers headers) {
        raw.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), value, headers));
    }

    @Override
    public void close() {
        driver.close();
    }
}
