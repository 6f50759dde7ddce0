package io.scrapeguard.producer;

import io.scrapeguard.imaging.ImageHeader;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.imaging.ImageProbe;
import io.scrapeguard.imaging.ImageRejectedException;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.RecordLimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes images to the raw topic, keyed by image id (default: SHA-256 of the bytes).
 *
 * <p>Each file is checked from its header before it is sent: format, dimensions against the pixel
 * limit (decompression bombs), size against the byte limit and the topic's record limit,
 * completeness. Sends are asynchronous; a semaphore bounds the bytes in flight so a folder of large
 * images never fills the heap. The same bytes twice in one run are sent once (skipped: duplicate);
 * across runs the poisoner's output is keyed by the same id, so re-publishing is recognisable
 * downstream.
 */
public final class ImagePublisher {
    /** The summary's reason for a file whose record the topic would refuse. */
    public static final String RECORD_TOO_LARGE = "record-too-large";

    private final Producer<String, RawImage> producer;
    private final String topic;
    private final ImageLimits limits;
    private final RecordLimit recordLimit;
    private final long maxInFlightBytes;
    private final String source;

    public ImagePublisher(
            Producer<String, RawImage> producer,
            String topic,
            ImageLimits limits,
            long maxInFlightBytes,
            String source) {
        this(producer, topic, limits, RecordLimit.defaultFor(topic), maxInFlightBytes, source);
    }

    /** As above, refusing records over {@code recordLimit} (the topic's) before sending. */
    public ImagePublisher(
            Producer<String, RawImage> producer,
            String topic,
            ImageLimits limits,
            RecordLimit recordLimit,
            long maxInFlightBytes,
            String source) {
        if (maxInFlightBytes < 1 || maxInFlightBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("max in-flight bytes must be in 1..2^31-1");
        }
        this.producer = producer;
        this.topic = topic;
        this.limits = limits;
        this.recordLimit = recordLimit;
        this.maxInFlightBytes = maxInFlightBytes;
        this.source = source;
    }

    /** Sends every item; returns once every send is acknowledged or failed. */
    public PublishSummary publish(List<PublishItem> items, ProgressBar progress) {
        PublishSummary summary = new PublishSummary();
        Semaphore inFlight = new Semaphore((int) maxInFlightBytes);
        AtomicReference<Exception> firstSendError = new AtomicReference<>();
        Set<String> seen = new HashSet<>();
        for (PublishItem item : items) {
            byte[] bytes;
            try {
                long size = Files.size(item.path());
                if (size > limits.maxBytes()) {
                    summary.failed("image-too-large");
                    progress.step(0);
                    continue;
                }
                if (!recordLimit.fits(size)) { // not read: it cannot be sent anyway
                    summary.failed(RECORD_TOO_LARGE, recordLimit.describe());
                    progress.step(0);
                    continue;
                }
                bytes = Files.readAllBytes(item.path());
            } catch (IOException e) {
                summary.failed("unreadable-file");
                progress.step(0);
                continue;
            }
            ImageHeader header;
            try {
                header = ImageProbe.probe(bytes, limits);
            } catch (ImageRejectedException e) {
                summary.failed(e.reason().tag());
                progress.step(bytes.length);
                continue;
            }
            String id = ImageIds.sha256(bytes);
            if (!seen.add(id)) {
                summary.skipped("duplicate");
                progress.step(bytes.length);
                continue;
            }
            RawImage value = toRawImage(item, bytes, header, id);
            if (!recordLimit.fits(bytes.length + metadataBytes(value))) {
                summary.failed(RECORD_TOO_LARGE, recordLimit.describe());
                progress.step(bytes.length);
                continue;
            }
            int permits = (int) Math.min(bytes.length, maxInFlightBytes);
            try {
                inFlight.acquire(permits);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing", e);
            }
            final int len = bytes.length;
            producer.send(
                    new ProducerRecord<>(topic, id, value),
                    (meta, error) -> {
                        inFlight.release(permits);
                        if (error == null) {
                            summary.sent(len);
                        } else {
                            firstSendError.compareAndSet(null, error);
                            summary.failed("send-error");
                        }
                        progress.step(len);
                    });
        }
        producer.flush();
        return summary;
    }

    /** An upper bound of the Avro envelope around the image bytes (lengths and strings). */
    private static long metadataBytes(RawImage v) {
        long n =
                64
                        + utf8(v.getImageId())
                        + utf8(v.getLabel())
                        + utf8(v.getContentType())
                        + utf8(v.getSource());
        for (var e : v.getAttributes().entrySet()) {
            n += 10 + utf8(e.getKey()) + utf8(e.getValue());
        }
        return n;
    }

    private static long utf8(CharSequence s) {
        return s == null ? 0 : s.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private RawImage toRawImage(PublishItem item, byte[] bytes, ImageHeader header, String id) {
        return RawImage.newBuilder()
                .setImageId(id)
                .setLabel(item.label())
                .setContentType(header.format().contentType())
                .setWidth(header.width())
                .setHeight(header.height())
                .setChannels(header.channels())
                .setImage(java.nio.ByteBuffer.wrap(bytes))
                .setSource(source + ":" + item.path())
                .setIngestTime(Instant.now())
                .setAttributes(Map.of("file", item.path().getFileName().toString()))
                .build();
    }
}
