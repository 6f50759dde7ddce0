package io.scrapeguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.embedded.SampleRecords;
import io.scrapeguard.embedded.StackClients;
import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./guard export}: what was and was not published, as files people can look at. */
class TopicExporterTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();

    @TempDir Path tmp;

    @Test
    void protectedImagesByLabelAndDeadLettersByReasonWithTheirOriginalBytes() throws Exception {
        var stack = STACK.stack();
        String protectedTopic = "export.protected";
        String deadTopic = "export.dead";
        stack.createTopics(
                List.of(
                        new NewTopic(protectedTopic, 2, (short) 1),
                        new NewTopic(deadTopic, 1, (short) 1)));
        try (Topics topics = Topics.forRegistry(stack.registryUrl())) {
            var serializer = topics.protectedImages().valueSerde().serializer();
            List<ProducerRecord<String, byte[]>> published = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ProtectedImage img = SampleRecords.protectedImage(i);
                published.add(
                        new ProducerRecord<>(
                                protectedTopic,
                                img.getImageId(),
                                serializer.serialize(protectedTopic, img)));
            }
            StackClients.produce(
                    stack, new StringSerializer(), new ByteArraySerializer(), published);

            List<ProducerRecord<String, byte[]>> dead = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                var headers =
                        DeadLetterHeaders.write(
                                new RecordHeaders(),
                                i == 0 ? "truncated-image" : "corrupt-image",
                                DeadLetterHeaders.STAGE_DECODE,
                                Instant.now(),
                                "guard.images.raw",
                                0,
                                i,
                                null);
                dead.add(
                        new ProducerRecord<>(
                                deadTopic, null, "bad/" + i, ("garbage " + i).getBytes(), headers));
            }
            StackClients.produce(stack, new StringSerializer(), new ByteArraySerializer(), dead);

            Path out = tmp.resolve("export");
            var pub =
                    TopicExporter.exportProtected(
                            stack.bootstrapServers(),
                            topics,
                            protectedTopic,
                            out.resolve("pub"),
                            Duration.ofSeconds(30));
            assertThat(pub.total()).isEqualTo(12);
            assertThat(pub.perFolder())
                    .containsEntry("class-0", 2)
                    .containsEntry("class-3", 1); // img-0 and img-10
            ProtectedImage three = SampleRecords.protectedImage(3);
            assertThat(Files.readAllBytes(out.resolve("pub/class-3/img-3.png")))
                    .isEqualTo(bytes(three.getImage()));

            var dlq =
                    TopicExporter.exportDeadLetters(
                            stack.bootstrapServers(),
                            deadTopic,
                            out.resolve("dead"),
                            Duration.ofSeconds(30));
            assertThat(dlq.total()).isEqualTo(3);
            assertThat(dlq.perFolder()).containsEntry("corrupt-image", 2);
            // the key's slash cannot climb out of the reason's folder
            try (var files = Files.walk(out.resolve("dead"))) {
                assertThat(files.filter(Files::isRegularFile).toList())
                        .hasSize(3)
                        .allSatisfy(
                                f ->
                                        assertThat(f.getParent().getParent())
                                                .isEqualTo(out.resolve("dead")));
            }
            assertThat(
                            TopicExporter.countCommitted(
                                    stack.bootstrapServers(),
                                    protectedTopic,
                                    Duration.ofSeconds(30)))
                    .isEqualTo(12);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
