package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.Protector;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.imaging.TestImages;
import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.RawImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records built to stop, stall or slip past the poisoner (issue 18), through the real topology:
 * each ends as a dead letter with its reason, and the images after it are still protected.
 */
class HostileRecordsTopologyTest {
    private final PlainAvroSerde<RawImage> rawSerde = new PlainAvroSerde<>(RawImage.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> claimed = new ArrayList<>();
    @TempDir Path stateDir;
    private PoisonerDriver poisoner;
    private TestOutputTopic<String, ProtectedImage> published;
    private TestOutputTopic<String, byte[]> dead;

    private void start(Protector protector, PipelineLimits costs) {
        InMemoryLabels labels = new InMemoryLabels(10);
        LabelResolver recording =
                label -> {
                    claimed.add(label);
                    return labels.assign(label);
                };
        ImagePipeline pipeline =
                ImagePipeline.png(
                        protector, LabelPolicy.OPEN, recording, ImageLimits.DEFAULT, costs);
        poisoner = new PoisonerDriver(pipeline, new PoisonerMetrics(registry), stateDir);
        published = poisoner.published;
        dead = poisoner.dead;
    }

    @AfterEach
    void close() {
        if (poisoner != null) {
            poisoner.close();
        }
    }

    @Test
    void everyHostileImageAndLabelIsADeadLetterWithItsReasonAndGoodImagesStillPass() {
        start(FakeMethod.protector(10), PipelineLimits.DEFAULT);
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        hostile.put("corrupt-image", record("two-ihdr", "cats", TestImages.doubleIhdrPng()));
        hostile.put(
                "image-too-expensive",
                record("scan-bomb", "cats", TestImages.jpegScanBomb(64, 48, 200)));
        hostile.put("invalid-label", record("long", "x".repeat(2 << 20), TestImages.png(8, 8, 1)));
        byte[] control = record("ctl", "cats\u0000dogs", TestImages.png(8, 8, 2));

        send("good-1", record("good-1", "cats", TestImages.png(16, 16, 3)));
        hostile.forEach(this::send);
        send("control", control);
        send("good-2", record("good-2", "dogs", TestImages.png(16, 16, 4)));

        assertThat(published.readKeyValuesToList())
                .extracting(kv -> kv.key)
                .containsExactly("good-1", "good-2");
        Map<String, String> reasons = new LinkedHashMap<>();
        for (TestRecord<String, byte[]> r : dead.readRecordsToList()) {
            reasons.put(r.key(), DeadLetterHeaders.read(r.headers()).reason());
        }
        Map<String, String> expected = new LinkedHashMap<>();
        hostile.keySet().forEach(reason -> expected.put(reason, reason));
        expected.put("control", "invalid-label");
        assertThat(reasons).containsExactlyEntriesOf(expected);
        assertThat(claimed).as("labels claimed").containsExactly("cats", "dogs");
        assertCountsAddUp(6);
    }

    @Test
    void anImageOverItsTimeBudgetIsADeadLetterNotAFencedLoop() {
        AtomicLong clock = new AtomicLong();
        // the perturbation of "slow" takes 31 s by the clock the pipeline reads: an event, not
        // a slow machine
        Protector protector =
                new Protector(
                        new FakeMethod(10) {
                            @Override
                            public Perturbation perturbation(
                                    int classIndex, String imageId, int h, int w, int c) {
                                if (imageId.equals("slow")) {
                                    clock.addAndGet(Duration.ofSeconds(31).toNanos());
                                }
                                return super.perturbation(classIndex, imageId, h, w, c);
                            }
                        });
        start(protector, PipelineLimits.DEFAULT.withClock(clock::get));

        send("slow", record("slow", "cats", TestImages.png(16, 16, 5)));
        send("fast", record("fast", "cats", TestImages.png(16, 16, 6)));

        TestRecord<String, byte[]> letter = dead.readRecord();
        assertThat(letter.key()).isEqualTo("slow");
        assertThat(DeadLetterHeaders.read(letter.headers()).reason())
                .isEqualTo("image-too-expensive");
        assertThat(DeadLetterHeaders.string(letter.headers(), DeadLetterHeaders.MESSAGE))
                .hasValueSatisfying(m -> assertThat(m).contains("31000 ms").contains("30000 ms"));
        assertThat(published.readKeyValuesToList())
                .extracting(kv -> kv.key)
                .containsExactly("fast");
        assertCountsAddUp(2);
    }

    @Test
    void theTransactionAndPollTimeoutsLieWellAboveTheBudget() {
        var config =
                PoisonerTopology.streamsConfig("t", "b:9092", stateDir, 1, Duration.ofSeconds(90));
        assertThat(config.get("producer.transaction.timeout.ms")).isEqualTo(360_000);
        assertThat(config.get("consumer.max.poll.interval.ms")).isEqualTo(360_000);
        var defaults = PoisonerTopology.streamsConfig("t", "b:9092", stateDir, 1);
        assertThat((int) defaults.get("producer.transaction.timeout.ms"))
                .isGreaterThan(3 * (int) PipelineLimits.DEFAULT_TIME_BUDGET.toMillis());
    }

    @Test
    void anOutputOverTheTopicLimitIsADeadLetterBeforeItIsSent() {
        PipelineLimits small =
                PipelineLimits.DEFAULT.withMaxOutputBytes(
                        PipelineLimits.RECORD_OVERHEAD_BYTES + 2000);
        start(FakeMethod.protector(10), small);

        send("big", record("big", "cats", TestImages.png(64, 64, 7)));
        send("small", record("small", "cats", TestImages.png(4, 4, 8)));

        TestRecord<String, byte[]> letter = dead.readRecord();
        assertThat(letter.key()).isEqualTo("big");
        assertThat(DeadLetterHeaders.read(letter.headers()).reason()).isEqualTo("output-too-large");
        assertThat(published.readKeyValuesToList())
                .extracting(kv -> kv.key)
                .containsExactly("small");
    }

    @Test
    void runningOutOfMemoryOnOneImageIsAProcessingErrorAndTheThreadGoesOn() {
        Protector protector =
                new Protector(
                        new FakeMethod(10) {
                            @Override
                            public Perturbation perturbation(
                                    int classIndex, String imageId, int h, int w, int c) {
                                if (imageId.equals("oom")) {
                                    throw new OutOfMemoryError("Java heap space");
                                }
                                return super.perturbation(classIndex, imageId, h, w, c);
                            }
                        });
        start(protector, PipelineLimits.DEFAULT);

        send("oom", record("oom", "cats", TestImages.png(16, 16, 9)));
        send("next", record("next", "cats", TestImages.png(16, 16, 10)));

        TestRecord<String, byte[]> letter = dead.readRecord();
        assertThat(letter.key()).isEqualTo("oom");
        assertThat(DeadLetterHeaders.read(letter.headers()).reason()).isEqualTo("processing-error");
        assertThat(published.readKeyValuesToList())
                .extracting(kv -> kv.key)
                .containsExactly("next");
    }

    @Test
    void aRecordThatKillsItsThreadEveryTimeEndsAsAPoisonPill() {
        Protector protector =
                new Protector(
                        new FakeMethod(10) {
                            @Override
                            public Perturbation perturbation(
                                    int classIndex, String imageId, int h, int w, int c) {
                                throw new LinkageError("a class the engine needs is broken");
                            }
                        });
        ImagePipeline pipeline =
                ImagePipeline.png(
                        protector, LabelPolicy.OPEN, new InMemoryLabels(10), ImageLimits.DEFAULT);
        RecordAttempts attempts = new RecordAttempts(3);
        PoisonProcessor processor =
                new PoisonProcessor(
                        rawSerde.deserializer(), pipeline, new PoisonerMetrics(registry), attempts);
        MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
        processor.init(context);
        byte[] value = record("pill", "cats", TestImages.png(8, 8, 11));
        Record<byte[], byte[]> pill = new Record<>("pill".getBytes(), value, 0L);

        // the same record at the same offset, as a replaced stream thread reads it again
        context.setRecordMetadata(PoisonerDriver.TOPICS.raw(), 2, 41L);
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThatThrownBy(() -> processor.process(pill)).isInstanceOf(LinkageError.class);
            // the thread is replaced every time, the last time to dead-letter the record
            assertThat(attempts.anyPending()).isTrue();
        }
        processor.process(pill);
        assertThat(attempts.anyPending()).isFalse();

        var forwarded = context.forwarded();
        assertThat(forwarded).hasSize(1);
        assertThat(forwarded.get(0).childName()).hasValue(PoisonerTopology.DEAD_LETTER_SINK);
        var headers = forwarded.get(0).record().headers();
        assertThat(DeadLetterHeaders.read(headers).reason()).isEqualTo("poison-pill");
        assertThat(DeadLetterHeaders.read(headers).sourceOffset()).isEqualTo(41L);
        assertThat(forwarded.get(0).record().value()).isEqualTo(value);
        assertThat(attempts.exhausted(RecordAttempts.key(PoisonerDriver.TOPICS.raw(), 2, 41L)))
                .isFalse();
    }

    @Test
    void aRecordMetAgainAfterAnAbortedTransactionIsNotCountedTwice() {
        ImagePipeline pipeline =
                ImagePipeline.png(
                        FakeMethod.protector(10),
                        LabelPolicy.OPEN,
                        new InMemoryLabels(10),
                        ImageLimits.DEFAULT);
        PoisonerMetrics metrics = new PoisonerMetrics(registry);
        RecordAttempts attempts = new RecordAttempts(3);
        MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
        // the processor a fenced or replaced thread builds anew, sharing the instance's metrics
        PoisonProcessor first =
                new PoisonProcessor(rawSerde.deserializer(), pipeline, metrics, attempts);
        PoisonProcessor again =
                new PoisonProcessor(rawSerde.deserializer(), pipeline, metrics, attempts);
        first.init(context);
        again.init(context);
        Record<byte[], byte[]> good =
                new Record<>(new byte[0], record("g", "cats", TestImages.png(8, 8, 12)), 0L);
        Record<byte[], byte[]> bad = new Record<>(new byte[0], "garbage".getBytes(), 0L);

        context.setRecordMetadata(PoisonerDriver.TOPICS.raw(), 0, 7L);
        first.process(good);
        context.setRecordMetadata(PoisonerDriver.TOPICS.raw(), 0, 8L);
        first.process(bad);
        // the transaction aborts: both offsets are read again
        context.setRecordMetadata(PoisonerDriver.TOPICS.raw(), 0, 7L);
        again.process(good);
        context.setRecordMetadata(PoisonerDriver.TOPICS.raw(), 0, 8L);
        again.process(bad);
        context.setRecordMetadata(
                PoisonerDriver.TOPICS.raw(), 1, 8L); // another partition, same offset
        again.process(good);

        assertThat(context.forwarded()).hasSize(5);
        assertThat(registry.counter("guard.images.reprocessed").count()).isEqualTo(2);
        assertCountsAddUp(3);
    }

    /** in = protected + dead-lettered, from the meters users read. */
    private void assertCountsAddUp(int records) {
        double in = registry.counter("guard.images.in").count();
        double out =
                registry.find("guard.images.protected").counters().stream()
                                .mapToDouble(c -> c.count())
                                .sum()
                        + registry.find("guard.images.dead.lettered").counters().stream()
                                .mapToDouble(c -> c.count())
                                .sum();
        assertThat(in).isEqualTo(records);
        assertThat(out).isEqualTo(in);
    }

    private byte[] record(String id, String label, byte[] image) {
        return PoisonerDriver.rawRecord(id, label, image);
    }

    private void send(String key, byte[] value) {
        poisoner.send(key, value);
    }
}
