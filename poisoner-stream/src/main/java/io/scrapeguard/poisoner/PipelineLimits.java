package io.scrapeguard.poisoner;

import io.scrapeguard.imaging.ImageRejectedException;
import io.scrapeguard.imaging.RejectReason;
import io.scrapeguard.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What one image may cost the pipeline beyond the decoder's limits: wall time from decode to
 * encoded output ({@code image-too-expensive}), the published record's size ({@code
 * output-too-large}, checked before sending: the broker would refuse it and stop the client) and
 * the label's length ({@code invalid-label}: a label is claimed on a compact log). The clock is
 * injected, so tests reach the budget by events, not by a slow machine.
 */
public record PipelineLimits(
        Duration timeBudget, long maxOutputBytes, int maxLabelBytes, LongSupplier nanoClock) {
    /** Ample for the largest image the default pixel limit admits on a slow core. */
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(30);

    /**
     * Room the Avro fields, the key and Kafka's record and batch headers take besides the image.
     */
    static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    public static final int DEFAULT_MAX_LABEL_BYTES = 256;

    public static final PipelineLimits DEFAULT =
            new PipelineLimits(
                    DEFAULT_TIME_BUDGET,
                    Topics.MAX_MESSAGE_BYTES,
                    DEFAULT_MAX_LABEL_BYTES,
                    System::nanoTime);

    public PipelineLimits {
        if (timeBudget.isNegative()
                || timeBudget.isZero()
                || maxOutputBytes < 1
                || maxLabelBytes < 1) {
            throw new IllegalArgumentException("pipeline limits must be positive");
        }
    }

    public PipelineLimits withTimeBudget(Duration budget) {
        return new PipelineLimits(budget, maxOutputBytes, maxLabelBytes, nanoClock);
    }

    public PipelineLimits withClock(LongSupplier clock) {
        return new PipelineLimits(timeBudget, maxOutputBytes, maxLabelBytes, clock);
    }

    public PipelineLimits withMaxOutputBytes(long bytes) {
        return new PipelineLimits(timeBudget, bytes, maxLabelBytes, nanoClock);
    }

    /** A label that is too long or holds control characters is an upload error, not a class. */
    void checkLabel(String label) throws ImageRejectedException {
        if (label == null) {
            return; // the label policy names a missing label
        }
        int bytes = label.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxLabelBytes) {
            throw new ImageRejectedException(
                    RejectReason.INVALID_LABEL,
                    "the label has " + bytes + " bytes, over the limit of " + maxLabelBytes);
        }
        if (label.chars().anyMatch(Character::isISOControl)) {
            throw new ImageRejectedException(
                    RejectReason.INVALID_LABEL, "the label holds control characters");
        }
    }

    /** Started when the image's work starts; {@link Deadline#check} after each stage. */
    Deadline start() {
        return new Deadline(nanoClock.getAsLong());
    }

    /** The output record must fit the topic, with the key, label and fields around it. */
    void checkOutput(int encodedBytes, String imageId, String label) throws ImageRejectedException {
        long record =
                (long) encodedBytes
                        + 2L * (imageId == null ? 0 : imageId.length() * 3L)
                        + (label == null ? 0 : label.length() * 3L)
                        + RECORD_OVERHEAD_BYTES;
        if (record > maxOutputBytes) {
            throw new ImageRejectedException(
                    RejectReason.OUTPUT_TOO_LARGE,
                    "the protected image encodes to "
                            + encodedBytes
                            + " bytes: with the record around it over the topic's limit of "
                            + maxOutputBytes
                            + " bytes (publish JPEG or lower the pixel limit)");
        }
    }

    /** The time an image has taken so far, against the budget. */
    final class Deadline {
        private final long start;

        private Deadline(long start) {
            this.start = start;
        }

        void check(String stage) throws ImageRejectedException {
            long spent = nanoClock.getAsLong() - start;
            if (spent > timeBudget.toNanos()) {
                throw new ImageRejectedException(
                        RejectReason.IMAGE_TOO_EXPENSIVE,
                        "the image took "
                                + spent / 1_000_000
                                + " ms up to the end of its "
                                + stage
                                + ", over the budget of "
                                + timeBudget.toMillis()
                                + " ms");
            }
        }
    }
}
