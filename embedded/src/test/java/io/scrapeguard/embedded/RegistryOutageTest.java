package io.scrapeguard.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scrapeguard.schemas.AuditReport;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.serde.AvroDeserializer;
import io.scrapeguard.serde.AvroSerializer;
import io.scrapeguard.serde.RegistryUnavailableException;
import io.scrapeguard.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry stops mid-run: retriable errors, nothing dropped, everything flows once it is back. */
class RegistryOutageTest {
    @RegisterExtension
    static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();

    private static final String IMAGES = "outage-images";
    private static final String REPORTS = "outage-reports";

    @Test
    void registryDownGivesRetriableErrorsAndNoRecordIsLostOnceItIsBack() throws Exception {
        EmbeddedStack stack = STACK.stack();
        assumeTrue(stack.isEmbedded(), "needs the embedded registry to stop it");
        EmbeddedSchemaRegistry registry = stack.registry().orElseThrow();
        stack.createTopics(IMAGES, REPORTS);

        Set<String> sent = new TreeSet<>();
        try (SchemaRegistryClient producerClient = new SchemaRegistryClient(stack.registryUrl());
                KafkaProducer<String, Object> producer = new KafkaProducer<>(stack.producerConfig(),
                        new StringSerializer(), new AvroSerializer<>(producerClient))) {
            for (int i = 0; i < 5; i++) {
                send(producer, IMAGES, SampleRecords.rawImage(i));
                sent.add("img-" + i);
            }

            registry.stop();
            assertThat(registry.isReady()).isFalse();

            // A serializer that knows its schema keeps working without the registry.
            for (int i = 5; i < 10; i++) {
                send(producer, IMAGES, SampleRecords.rawImage(i));
                sent.add("img-" + i);
            }
            // A schema it has never registered cannot be written: retriable, not a data error.
            List<AuditReport> pending = List.of(SampleRecords.auditReport(1), SampleRecords.auditReport(2));
            for (AuditReport report : pending) {
                Throwable failure = catchThrowable(() -> send(producer, REPORTS, report));
                assertThat(rootOfType(failure, RegistryUnavailableException.class))
                        .as("send while the registry is down").isNotNull()
                        .isInstanceOf(RetriableException.class)
                        .isNotInstanceOf(SerializationException.class)
                        .hasMessageContaining("unreachable");
            }

            // A fresh reader cannot resolve the schema id: retriable, and the consumer stays put.
            try (SchemaRegistryClient readerClient = new SchemaRegistryClient(stack.registryUrl());
                    KafkaConsumer<String, RawImage> consumer = new KafkaConsumer<>(
                            stack.consumerConfig("outage-reader"), new StringDeserializer(),
                            new AvroDeserializer<>(readerClient, RawImage.class))) {
                consumer.subscribe(List.of(IMAGES));
                Throwable failure = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (failure == null && System.nanoTime() < deadline) {
                    failure = catchThrowable(() -> consumer.poll(Duration.ofMillis(200)));
                }
                assertThat(failure).isInstanceOf(RecordDeserializationException.class);
                assertThat(rootOfType(failure, RegistryUnavailableException.class)).isNotNull();
                assertThat(((RecordDeserializationException) failure).offset()).isZero();

                registry.restart();

                // The same consumer, retrying, now reads everything from where it stopped.
                Set<String> read = new TreeSet<>();
                deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read.size() < 10 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, RawImage> r : consumer.poll(Duration.ofMillis(200))) {
                        read.add(r.value().getImageId());
                    }
                }
                assertThat(read).isEqualTo(sent);
            }

            // The failed sends succeed on retry, with the ids the registry kept across the restart.
            for (AuditReport report : pending) {
                send(producer, REPORTS, report);
            }
        }
        List<ConsumerRecord<String, AuditReport>> reports = StackClients.consume(stack, REPORTS,
                new StringDeserializer(), new AvroDeserializer<AuditReport>(
                        new SchemaRegistryClient(stack.registryUrl()), AuditReport.class),
                2, Duration.ofSeconds(30));
        assertThat(reports).extracting(ConsumerRecord::value)
                .containsExactly(SampleRecords.auditReport(1), SampleRecords.auditReport(2));
    }

    private static RecordMetadata send(KafkaProducer<String, Object> producer, String topic, Object value)
            throws InterruptedException {
        String key = value instanceof RawImage r ? r.getImageId() : "quick";
        try {
            Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topic, key, value));
            return ack.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    private static <T extends Throwable> T rootOfType(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

}
