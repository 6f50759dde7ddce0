package io.scrapeguard.poisoner;

import io.scrapeguard.service.HealthStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples the application's committed offsets on the raw topic and its lag, on a thread of its own
 * (health checks must be cheap), into a {@link StallDetector}.
 */
final class ProgressWatch implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final String groupId;
    private final String topic;
    private final StallDetector detector;
    private final ScheduledExecutorService thread;

    ProgressWatch(Map<String, Object> kafkaConfig, String groupId, String topic, Duration stall) {
        Properties p = new Properties();
        p.putAll(kafkaConfig);
        p.put("client.id", groupId + "-progress-watch");
        this.admin = Admin.create(p);
        this.groupId = groupId;
        this.topic = topic;
        this.detector = new StallDetector(stall, System::nanoTime);
        this.thread =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "guard-poisoner-progress-watch");
                            t.setDaemon(true);
                            return t;
                        });
        // several samples per threshold, so a stall is seen soon after it becomes one
        long period = Math.max(100, Math.min(5000, stall.toMillis() / 4));
        thread.scheduleWithFixedDelay(this::sampleOnce, 0, period, TimeUnit.MILLISECONDS);
    }

    HealthStatus status() {
        return detector.status();
    }

    private void sampleOnce() {
        try {
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach(
                            (tp, om) -> {
                                if (tp.topic().equals(topic) && om != null) {
                                    committed.put(tp, om.offset());
                                }
                            });
            var partitions =
                    admin.describeTopics(java.util.List.of(topic))
                            .allTopicNames()
                            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .get(topic)
                            .partitions();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (var info : partitions) {
                TopicPartition tp = new TopicPartition(topic, info.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            }
            var options = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            var ends = admin.listOffsets(latest, options).all().get(10, TimeUnit.SECONDS);
            var starts = admin.listOffsets(earliest, options).all().get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition tp : latest.keySet()) {
                long from = committed.getOrDefault(tp, starts.get(tp).offset());
                lag += Math.max(0, ends.get(tp).offset() - from);
            }
            detector.observe(committed, lag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // the broker away is what this watch must report, not a reason to stop watching
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            detector.observeFailure(cause.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(CALL_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
