package io.scrapeguard.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {

    @Test
    void writesAndReadsReasonStageTimeAndOrigin() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        Instant when = Instant.parse("2026-11-22T12:00:00.123Z");
        DeadLetterHeaders.write(
                headers,
                "image too large: 30000x30000 pixels",
                DeadLetterHeaders.STAGE_VALIDATE,
                when,
                Topics.RAW_IMAGES,
                3,
                4711L,
                new IllegalArgumentException("30000x30000"));
        DeadLetterHeaders.DeadLetter dl = DeadLetterHeaders.read(headers);
        assertThat(dl.reason()).isEqualTo("image too large: 30000x30000 pixels");
        assertThat(dl.stage()).isEqualTo("validate");
        assertThat(dl.time()).isEqualTo(when);
        assertThat(dl.exception()).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(dl.sourceTopic()).isEqualTo("guard.images.raw");
        assertThat(dl.sourcePartition()).isEqualTo(3);
        assertThat(dl.sourceOffset()).isEqualTo(4711L);
        // the original headers stay
        assertThat(DeadLetterHeaders.string(headers, "trace-id")).contains("abc");
        // writing again replaces rather than duplicates
        DeadLetterHeaders.write(headers, "second", "protect", when, "t", 0, 1, null);
        assertThat(headers.headers(DeadLetterHeaders.REASON)).hasSize(1);
        assertThat(DeadLetterHeaders.read(headers).reason()).isEqualTo("second");
    }

    @Test
    void readsKafkaStreamsOwnDeadLetterHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                "__streams.errors.exception",
                bytes("org.apache.kafka.common.errors.SerializationException"));
        headers.add("__streams.errors.message", bytes("Unknown magic byte 0x7b"));
        headers.add("__streams.errors.stacktrace", bytes("..."));
        headers.add("__streams.errors.topic", bytes("guard.images.raw"));
        headers.add("__streams.errors.partition", bytes("0"));
        headers.add("__streams.errors.offset", bytes("12"));
        DeadLetterHeaders.DeadLetter dl = DeadLetterHeaders.read(headers);
        assertThat(dl.reason()).isEqualTo("Unknown magic byte 0x7b");
        assertThat(dl.exception()).endsWith("SerializationException");
        assertThat(dl.sourceTopic()).isEqualTo("guard.images.raw");
        assertThat(dl.sourceOffset()).isEqualTo(12L);
        assertThat(dl.stage()).isNull();
        assertThat(dl.time()).isNull();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
