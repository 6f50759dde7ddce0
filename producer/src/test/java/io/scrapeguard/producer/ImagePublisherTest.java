package io.scrapeguard.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.RecordLimit;
import io.scrapeguard.schemas.Topics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The producer against the real embedded broker and registry. */
class ImagePublisherTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();
    @TempDir Path dir;

    private void png(String rel, int w, int h, int seed) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (seed * 7919 + x * 31 + y * 17) & 0xFFFFFF);
            }
        }
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        ImageIO.write(img, "png", p.toFile());
    }

    @Test
    void publishesAFolderKeyedBySha256AndRefusesBadFilesBeforeSending() throws Exception {
        for (int i = 0; i < 20; i++) {
            png("in/label-" + (i % 3) + "/img" + i + ".png", 16, 16, i);
        }
        Files.copy(dir.resolve("in/label-0/img0.png"), dir.resolve("in/label-1/copy-of-img0.png"));
        png("in/label-2/big.png", 300, 300, 99); // over the pixel limit below
        Files.write(dir.resolve("in/label-2/empty.png"), new byte[0]);
        Files.write(dir.resolve("in/label-2/fake.jpg"), "not a jpeg".getBytes());
        Files.writeString(dir.resolve("in/label-2/README.txt"), "hello");

        String topic = "guard.images.raw.publisher";
        var stack = STACK.stack();
        var listing = ImageSources.list(List.of(dir.resolve("in")), null);
        PublishSummary summary;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (Topics topics = Topics.forRegistry(stack.registryUrl());
                KafkaProducer<String, RawImage> producer =
                        new KafkaProducer<>(
                                ProducerSettings.with(
                                        stack.bootstrapServers(), Map.of("linger.ms", "5")),
                                new StringSerializer(),
                                topics.rawImages().valueSerde().serializer());
                ProgressBar bar =
                        new ProgressBar(new PrintStream(progress), listing.items().size(), false)) {
            summary =
                    new ImagePublisher(
                                    producer, topic, new ImageLimits(50_000, 1 << 20), 4096, "test")
                            .publish(listing.items(), bar);
        }
        listing.skipped().forEach(s -> summary.skipped(s.reason()));
        assertThat(summary.lastLine()).isEqualTo("sent=20 skipped=2 failed=3");
        assertThat(summary.failedByReason())
                .containsOnly(
                        Map.entry("image-too-large", 1L),
                        Map.entry("empty-payload", 1L),
                        Map.entry("unsupported-format", 1L));
        assertThat(summary.skippedByReason())
                .containsOnly(Map.entry("duplicate", 1L), Map.entry("not an image file", 1L));
        assertThat(progress.toString())
                .contains(listing.items().size() + "/" + listing.items().size());

        List<ConsumerRecord<String, RawImage>> records =
                read(stack.bootstrapServers(), stack.registryUrl(), topic, 20);
        assertThat(records).hasSize(20);
        for (var r : records) {
            RawImage raw = r.value();
            byte[] bytes = new byte[raw.getImage().remaining()];
            raw.getImage().duplicate().get(bytes);
            assertThat(r.key()).isEqualTo(raw.getImageId()).isEqualTo(ImageIds.sha256(bytes));
            assertThat(raw.getWidth()).isEqualTo(16);
            assertThat(raw.getHeight()).isEqualTo(16);
            assertThat(raw.getChannels()).isEqualTo(3);
            assertThat(raw.getContentType()).isEqualTo("image/png");
            assertThat(raw.getLabel()).matches("label-[012]");
        }
    }

    @Test
    void aFileWhoseRecordTheTopicWouldRefuseIsRefusedBeforeSendingWithTheLimit() throws Exception {
        var stack = STACK.stack();
        String topic = "guard.images.raw.small-records";
        try (Admin admin = Admin.create(stack.adminConfig())) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(topic, 1, (short) 1)
                                            .configs(Map.of("max.message.bytes", "40000"))))
                    .all()
                    .get();
        }
        RecordLimit limit = RecordLimit.read(stack.adminConfig(), topic, note -> {});
        assertThat(limit.maxMessageBytes()).isEqualTo(40_000);
        List<String> notes = new ArrayList<>();
        assertThat(RecordLimit.read(stack.adminConfig(), "no-such-topic", notes::add))
                .as("a topic not created yet: ScrapeGuard's own limit, quietly")
                .isEqualTo(RecordLimit.defaultFor("no-such-topic"));
        assertThat(notes).isEmpty();

        png("in/a/small.png", 16, 16, 1);
        java.util.Random random = new java.util.Random(7);
        BufferedImage noise = new BufferedImage(200, 200, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 200; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ImageIO.write(noise, "png", dir.resolve("in/a/noise.png").toFile());
        assertThat(Files.size(dir.resolve("in/a/noise.png")))
                .as("under the image byte limit, over the topic's record limit")
                .isBetween(40_000L, ImageLimits.DEFAULT.maxBytes());

        var listing = ImageSources.list(List.of(dir.resolve("in")), null);
        PublishSummary summary;
        try (Topics topics = Topics.forRegistry(stack.registryUrl());
                KafkaProducer<String, RawImage> producer =
                        new KafkaProducer<>(
                                ProducerSettings.with(stack.bootstrapServers(), Map.of()),
                                new StringSerializer(),
                                topics.rawImages().valueSerde().serializer());
                ProgressBar bar =
                        new ProgressBar(new PrintStream(new ByteArrayOutputStream()), 2, false)) {
            summary =
                    new ImagePublisher(producer, topic, ImageLimits.DEFAULT, limit, 1 << 20, "test")
                            .publish(listing.items(), bar);
        }
        assertThat(summary.lastLine()).isEqualTo("sent=1 skipped=0 failed=1");
        assertThat(summary.failedByReason())
                .as("refused here, not by the broker after the upload (send-error)")
                .containsOnly(Map.entry(ImagePublisher.RECORD_TOO_LARGE, 1L));
        assertThat(summary.details())
                .contains("record-too-large: 1", topic + " takes records up to 40000 bytes");
        assertThat(read(stack.bootstrapServers(), stack.registryUrl(), topic, 1)).hasSize(1);
    }

    private static List<ConsumerRecord<String, RawImage>> read(
            String bootstrap, String registry, String topic, int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<ConsumerRecord<String, RawImage>> out = new ArrayList<>();
        try (Topics topics = Topics.forRegistry(registry);
                KafkaConsumer<String, RawImage> c =
                        new KafkaConsumer<>(
                                p,
                                new StringDeserializer(),
                                topics.rawImages().valueSerde().deserializer())) {
            var parts =
                    c.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
