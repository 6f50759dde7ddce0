package io.scrapeguard.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Test helpers: write records to and read records from a stack's topics. */
public final class StackClients {
    private StackClients() {}

    /** Sends {@code records} and waits until the broker has acknowledged every one. */
    public static <K, V> void produce(
            EmbeddedStack stack,
            Serializer<K> keys,
            Serializer<V> values,
            List<ProducerRecord<K, V>> records) {
        try (KafkaProducer<K, V> producer =
                new KafkaProducer<>(stack.producerConfig(), keys, values)) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (ProducerRecord<K, V> record : records) {
                acks.add(producer.send(record));
            }
            for (var ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("send failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Reads {@code topic} from the beginning (fresh consumer group) until {@code count} records
     * arrived or {@code timeout} passed; returns what arrived.
     */
    public static <K, V> List<ConsumerRecord<K, V>> consume(
            EmbeddedStack stack,
            String topic,
            Deserializer<K> keys,
            Deserializer<V> values,
            int count,
            Duration timeout) {
        Map<String, Object> config = stack.consumerConfig("test-" + UUID.randomUUID());
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
