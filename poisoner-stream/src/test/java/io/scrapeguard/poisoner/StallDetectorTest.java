package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Readiness from samples of committed offsets, on an injected clock. */
class StallDetectorTest {
    private final AtomicLong now = new AtomicLong();
    private final StallDetector detector = new StallDetector(Duration.ofSeconds(10), now::get);

    private void after(long seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void offsetsThatStayPutWithRecordsWaitingAreAStallOnceTheThresholdHasPassed() {
        detector.observe(Map.of("p0", 100L), 50);
        after(9);
        detector.observe(Map.of("p0", 100L), 50);
        assertThat(detector.status().up()).isTrue();
        after(1);
        detector.observe(Map.of("p0", 100L), 60);
        assertThat(detector.status().up()).isFalse();
        assertThat(detector.status().reason()).contains("not advanced for 10 s", "60 records");

        detector.observe(Map.of("p0", 101L), 59);
        assertThat(detector.status().up()).as("one commit is progress").isTrue();
    }

    @Test
    void nothingWaitingIsNeverAStall() {
        detector.observe(Map.of("p0", 100L), 0);
        after(3600);
        detector.observe(Map.of("p0", 100L), 0);
        assertThat(detector.status().up()).isTrue();
    }

    @Test
    void anyPartitionMovingIsProgress() {
        detector.observe(Map.of("p0", 100L, "p1", 7L), 10);
        after(60);
        detector.observe(Map.of("p0", 100L, "p1", 8L), 10);
        assertThat(detector.status().up()).isTrue();
    }

    @Test
    void offsetsThatCannotBeReadForTheThresholdAreNotReady() {
        detector.observe(Map.of("p0", 1L), 0);
        after(5);
        detector.observeFailure("TimeoutException: broker away");
        assertThat(detector.status().up()).isTrue();
        after(5);
        assertThat(detector.status().up()).isFalse();
        assertThat(detector.status().reason()).contains("cannot read", "broker away");
        detector.observe(Map.of("p0", 1L), 0);
        assertThat(detector.status().up()).isTrue();
    }
}
