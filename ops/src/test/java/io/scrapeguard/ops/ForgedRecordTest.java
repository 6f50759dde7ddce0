package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.app.TopicExporter;
import io.scrapeguard.auditor.PairReservoir;
import io.scrapeguard.auditor.TopicSampler;
import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.dataset.SyntheticDataset;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.poisoner.PoisonerGuardService;
import io.scrapeguard.poisoner.PoisonerOptions;
import io.scrapeguard.producer.PublishCommand;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.PublishingKey;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.ServiceHost;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Anyone who can reach the broker can write a well-formed {@code ProtectedImage} to the protected
 * topic. The poisoner signs what it publishes with the publishing key; {@code export} and the
 * auditor's sampler recognise a record without a valid MAC (none, or one of another key) as forged:
 * counted and reported, never exported, never paired as protected.
 */
class ForgedRecordTest {
    private static final int IMAGES = 6;
    private static final PublishingKey KEY = PublishingKey.of("forged-record-test-publishing-key");

    @TempDir Path dir;

    @Test
    void forgedRecordsAreReportedAndNeverCountedAsProtected() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start();
                Topics topics = Topics.forRegistry(stack.registryUrl())) {
            stack.createTopics(Topics.names(), 1);
            Path images = dir.resolve("uploads");
            new SyntheticDataset(2, 32, 3).write(images, IMAGES / 2, line -> {});
            assertThat(
                            new CommandLine(new PublishCommand())
                                    .execute(
                                            images.toString(),
                                            "--bootstrap-servers",
                                            stack.bootstrapServers(),
                                            "--schema-registry",
                                            stack.registryUrl()))
                    .isZero();
            try (ServiceHost poisoner =
                    new ServiceHost(
                            stack.bootstrapServers(),
                            stack.registryUrl(),
                            dir.resolve("data"),
                            "127.0.0.1",
                            0,
                            Map.of())) {
                poisoner.start(
                        List.of(
                                new PoisonerGuardService(
                                        PoisonerOptions.defaults(
                                                        stack.bootstrapServers(),
                                                        stack.registryUrl(),
                                                        dir.resolve("state"))
                                                .withPublishingKey(KEY),
                                        new Protector(
                                                new ArPerturbationMethod(
                                                        ProcessBank.paperDefault(),
                                                        SeedingKey.of("forged-test"),
                                                        Budget.l2(1.0))),
                                        Duration.ofSeconds(10))));
                awaitProtected(stack, topics, IMAGES);
            }
            String victim = firstExported(dir.resolve("probe"));
            forge(stack, topics, victim, null); // an unprotected image as "protected", no MAC
            forge(stack, topics, victim, PublishingKey.of("some-other-key-of-16-bytes"));

            TopicExporter.Result export =
                    TopicExporter.exportProtected(
                            Map.of("bootstrap.servers", stack.bootstrapServers()),
                            topics,
                            Topics.PROTECTED_IMAGES,
                            dir.resolve("export"),
                            Duration.ofSeconds(30),
                            KEY);
            assertThat(export.forged()).isEqualTo(2);
            assertThat(export.written()).isEqualTo(IMAGES);
            assertThat(Files.readAllBytes(find(dir.resolve("export"), victim)))
                    .as("the exported file is the poisoner's, not the forgery")
                    .isNotEqualTo(new byte[] {1, 2, 3});

            PairReservoir reservoir = new PairReservoir(100, 1000, 1);
            try (TopicSampler sampler =
                    new TopicSampler(
                            Map.of("bootstrap.servers", stack.bootstrapServers()),
                            topics,
                            reservoir,
                            KEY)) {
                sampler.readToEnd(Duration.ofSeconds(30), line -> {});
                assertThat(sampler.recordErrors().asMap())
                        .containsEntry(TopicSampler.FORGED_RECORD, 2);
            }
            assertThat(reservoir.joined()).as("only the signed records pair").isEqualTo(IMAGES);
        }
    }

    private void awaitProtected(EmbeddedStack stack, Topics topics, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int written = 0;
        while (written < n && System.nanoTime() < deadline) {
            written =
                    TopicExporter.exportProtected(
                                    Map.of("bootstrap.servers", stack.bootstrapServers()),
                                    topics,
                                    Topics.PROTECTED_IMAGES,
                                    dir.resolve("probe"),
                                    Duration.ofSeconds(5),
                                    KEY)
                            .written();
        }
        assertThat(written).as("signed protected records").isEqualTo(n);
    }

    private String firstExported(Path folder) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            Path f = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            String name = f.getFileName().toString();
            return name.substring(0, name.lastIndexOf('.'));
        }
    }

    private static Path find(Path folder, String id) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith(id + "."))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** A well-formed ProtectedImage for an existing id, signed with {@code key} or not at all. */
    private static void forge(EmbeddedStack stack, Topics topics, String id, PublishingKey key)
            throws Exception {
        ProtectedImage fake =
                ProtectedImage.newBuilder()
                        .setImageId(id)
                        .setLabel("0")
                        .setContentType("image/png")
                        .setWidth(1)
                        .setHeight(1)
                        .setImage(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .setMethod("ar")
                        .setBudget(1.0)
                        .setBankVersion("forged")
                        .setProcessedTime(Instant.now())
                        .build();
        var t = topics.protectedImages();
        try (KafkaProducer<String, ProtectedImage> producer =
                new KafkaProducer<>(
                        Map.of("bootstrap.servers", stack.bootstrapServers()),
                        new StringSerializer(),
                        t.valueSerde().serializer())) {
            ProducerRecord<String, ProtectedImage> r = new ProducerRecord<>(t.name(), id, fake);
            if (key != null) {
                key.sign(fake, r.headers());
            }
            producer.send(r).get();
        }
    }
}
