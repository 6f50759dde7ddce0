package io.scrapeguard.poisoner;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.MultiscaleArFilter;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.imaging.ImageRejectedException;
import io.scrapeguard.imaging.TestImages;
import io.scrapeguard.schemas.LabelAssignment;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.HealthStatus;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the integration tests share: the real AR protection, raw records, reading topics back. */
final class Harness {
    static final ProcessBank BANK = ProcessBank.paperDefault();
    static final SeedingKey KEY = SeedingKey.developmentDefault();
    static final Budget BUDGET = Budget.defaultL2();

    private Harness() {}

    static Protector protection() {
        return new Protector(ArVariants.create(ArVariants.DEFAULT, BANK, KEY, BUDGET));
    }

    static PoisonerOptions options(EmbeddedStack stack, String suffix, Path stateDir) {
        return PoisonerOptions.defaults(stack.bootstrapServers(), stack.registryUrl(), stateDir)
                .withTopics(PoisonerTopics.withSuffix(suffix))
                .withApplicationId("test-poisoner" + suffix)
                .withStreamsOverrides(fastFailover());
    }

    /** A crashed member leaves the group after 6 s instead of 45 s. */
    static Map<String, Object> fastFailover() {
        return Map.of(
                "consumer.session.timeout.ms", 6000,
                "consumer.heartbeat.interval.ms", 1000);
    }

    static Poisoner start(PoisonerOptions options) {
        Poisoner p = Poisoner.start(options, protection(), new SimpleMeterRegistry());
        p.awaitRunning(Duration.ofSeconds(90));
        return p;
    }

    static RawImage raw(String id, String label, byte[] image) {
        return RawImage.newBuilder()
                .setImageId(id)
                .setLabel(label)
                .setContentType("image/png")
                .setWidth(0)
                .setHeight(0)
                .setChannels(3)
                .setImage(ByteBuffer.wrap(image))
                .setSource("test")
                .setIngestTime(Instant.now())
                .setAttributes(Map.of())
                .build();
    }

    /** Sends raw records (values already serialised, so garbage can be planted too). */
    static void send(EmbeddedStack stack, String topic, List<Map.Entry<String, byte[]>> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (var r : records) {
                producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue()));
            }
            producer.flush();
        }
    }

    /**
     * What the chaos tests compare with: the same pipeline without Kafka, label "cats" on process
     * 0.
     */
    static ImagePipeline undisturbed() {
        return ImagePipeline.png(
                protection(),
                LabelPolicy.OPEN,
                label -> new LabelAssignment(label, 0, 0),
                ImageLimits.DEFAULT);
    }

    /** Raw "cats" records by id, and the bytes the undisturbed run publishes for each id. */
    record CatImages(Map<String, byte[]> expected, List<Map.Entry<String, byte[]>> records) {}

    /**
     * {@code n} square PNGs of {@code side} px ({@code TestImages.png} seeds {@code firstSeed} on),
     * ids {@code idPrefix + i}, serialized for {@code rawTopic}.
     */
    static CatImages catImages(
            Topics topics, String rawTopic, String idPrefix, int n, int side, int firstSeed)
            throws ImageRejectedException {
        ImagePipeline undisturbed = undisturbed();
        Map<String, byte[]> expected = new HashMap<>();
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = idPrefix + i;
            byte[] png = TestImages.png(side, side, firstSeed + i);
            expected.put(id, undisturbed.process(id, "cats", png).encoded());
            records.add(Map.entry(id, serialize(topics, rawTopic, raw(id, "cats", png))));
        }
        return new CatImages(expected, records);
    }

    static byte[] serialize(Topics topics, String topic, RawImage raw) {
        return topics.rawImages().valueSerde().serializer().serialize(topic, raw);
    }

    /**
     * Committed records of a topic, until {@code expected} are there, plus a grace period for
     * extras.
     */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            EmbeddedStack stack, String topic, int expected, Duration timeout, Duration grace) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            long graceEnd = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, graceEnd)) {
                for (var r : c.poll(Duration.ofMillis(100))) {
                    out.add(r);
                }
                if (out.size() >= expected && graceEnd == Long.MAX_VALUE) {
                    graceEnd = System.nanoTime() + grace.toNanos();
                }
            }
        }
        return out;
    }

    /** Committed records counted so far (quick look, for deciding when to kill). */
    /**
     * Records (not offsets: transaction markers take offsets too) readable with read_committed now,
     * read up to the last stable offset of every partition.
     */
    static long countCommittedRecords(EmbeddedStack stack, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts); // the last stable offsets
            long n = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " up to " + end);
                }
                n += c.poll(Duration.ofMillis(200)).count();
            }
            return n;
        }
    }

    static Map<String, ProtectedImage> protectedById(
            Topics topics, String topic, List<ConsumerRecord<byte[], byte[]>> records) {
        var d = topics.protectedImages().valueSerde().deserializer();
        Map<String, ProtectedImage> out = new HashMap<>();
        for (var r : records) {
            ProtectedImage img = d.deserialize(topic, r.value());
            out.put(img.getImageId(), img);
        }
        return out;
    }

    /**
     * What a disturbed run published is what an undisturbed one did: every image once, and each
     * byte for byte ({@code expected}: image id to the undisturbed run's bytes).
     */
    static void assertSameAsUndisturbed(
            Topics topics,
            String topic,
            List<ConsumerRecord<byte[], byte[]>> published,
            Map<String, byte[]> expected) {
        org.assertj.core.api.Assertions.assertThat(published)
                .as("exactly once")
                .hasSize(expected.size());
        Map<String, ProtectedImage> byId = protectedById(topics, topic, published);
        org.assertj.core.api.Assertions.assertThat(byId.keySet()).isEqualTo(expected.keySet());
        byId.forEach(
                (id, img) ->
                        org.assertj.core.api.Assertions.assertThat(bytes(img.getImage()))
                                .as("%s byte-identical to the undisturbed run", id)
                                .isEqualTo(expected.get(id)));
    }

    static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    static Image8 decode(byte[] png) throws Exception {
        return ImageCodec.decode(png, ImageLimits.DEFAULT);
    }

    static int classify(Image8 clean, Image8 prot) {
        return MultiscaleArFilter.of(protection().method(), BANK)
                .classify(Perturbation.delta(clean, prot));
    }

    /** Polls a readiness status every 100 ms until it is the wanted one; fails after timeout. */
    static HealthStatus awaitReadiness(
            Supplier<HealthStatus> status, Predicate<HealthStatus> wanted, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HealthStatus s = status.get();
        while (!wanted.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("readiness stayed " + s + " for " + timeout);
            }
            Thread.sleep(100);
            s = status.get();
        }
        return s;
    }
}
