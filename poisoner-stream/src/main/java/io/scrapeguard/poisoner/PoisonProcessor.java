package io.scrapeguard.poisoner;

import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.imaging.ImageRejectedException;
import io.scrapeguard.imaging.RejectReason;
import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.PublishingKey;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.serde.InvalidPayloadException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw bytes in; a protected image or a dead letter out, never neither. Deserialising here (not in
 * the source) means garbage Avro is a dead letter like any other data error, written by the same
 * task in the same transaction. Retriable failures (registry or Kafka unreachable) propagate: the
 * record is not committed, the thread is replaced, the record is processed again.
 */
final class PoisonProcessor implements Processor<byte[], byte[], byte[], Object> {
    private static final Logger LOG = LoggerFactory.getLogger(PoisonProcessor.class);

    private final Deserializer<RawImage> rawDeserializer;
    private final ImagePipeline pipeline;
    private final PoisonerMetrics metrics;
    private final RecordAttempts attempts;
    private final PublishingKey publishingKey;
    private ProcessorContext<byte[], Object> context;

    PoisonProcessor(
            Deserializer<RawImage> rawDeserializer,
            ImagePipeline pipeline,
            PoisonerMetrics metrics,
            RecordAttempts attempts,
            PublishingKey publishingKey) {
        this.rawDeserializer = rawDeserializer;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.attempts = attempts;
        this.publishingKey = publishingKey;
    }

    /** Unsigned records (no publishing key). */
    PoisonProcessor(
            Deserializer<RawImage> rawDeserializer,
            ImagePipeline pipeline,
            PoisonerMetrics metrics,
            RecordAttempts attempts) {
        this(rawDeserializer, pipeline, metrics, attempts, null);
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String at =
                meta == null
                        ? null
                        : RecordAttempts.key(meta.topic(), meta.partition(), meta.offset());
        if (at != null && attempts.exhausted(at)) {
            deadLetter(
                    record,
                    RejectReason.POISON_PILL,
                    DeadLetterHeaders.STAGE_PROTECT,
                    new IllegalStateException(
                            "processing this record killed the stream thread "
                                    + attempts.maxAttempts()
                                    + " times"));
            attempts.done(at);
            return;
        }
        try {
            protectOrDeadLetter(record);
        } catch (RetriableException | StreamsException e) {
            throw e; // an outage or a rebalance, not this record's fault: tried again, not counted
        } catch (RuntimeException | Error e) {
            if (at != null) {
                LOG.error(
                        "processing {} failed ({} of {} attempts before it is a poison-pill): {}",
                        at,
                        attempts.failed(at),
                        attempts.maxAttempts(),
                        e.toString());
            }
            throw e;
        }
        if (at != null) {
            attempts.done(at);
        }
    }

    private void protectOrDeadLetter(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("?");
        RawImage raw;
        try {
            if (record.value() == null || record.value().length == 0) {
                throw new InvalidPayloadException("the record has no value", -1, -1);
            }
            raw = rawDeserializer.deserialize(topic, record.value());
        } catch (OutOfMemoryError | StackOverflowError e) {
            // one record's allocation or recursion failed; the heap and stack are fine again
            deadLetter(
                    record,
                    RejectReason.DESERIALIZATION_ERROR,
                    DeadLetterHeaders.STAGE_DESERIALIZE,
                    new IllegalStateException("reading the record ran out of memory or stack", e));
            return;
        } catch (InvalidPayloadException e) {
            deadLetter(
                    record,
                    RejectReason.DESERIALIZATION_ERROR,
                    DeadLetterHeaders.STAGE_DESERIALIZE,
                    e);
            return;
        }
        long start = System.nanoTime();
        PipelineResult result;
        try {
            result = pipeline.process(raw.getImageId(), raw.getLabel(), bytes(raw.getImage()));
        } catch (ImageRejectedException e) {
            deadLetter(record, e.reason(), stageOf(e.reason()), e);
            return;
        } catch (RetriableException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // a bug, an image that breaks an assumption or one allocation too many: fail closed,
            // never publish unprotected, and keep the thread (other Errors still kill it)
            LOG.error("processing-error for image {}: {}", raw.getImageId(), e.toString());
            deadLetter(record, RejectReason.PROCESSING_ERROR, DeadLetterHeaders.STAGE_PROTECT, e);
            return;
        }
        metrics.recordProcessing(System.nanoTime() - start);
        PerturbationMethod method = pipeline.method();
        ProtectedImage out =
                ProtectedImage.newBuilder()
                        .setImageId(raw.getImageId())
                        .setLabel(raw.getLabel())
                        .setContentType(result.contentType())
                        .setWidth(result.width())
                        .setHeight(result.height())
                        .setImage(ByteBuffer.wrap(result.encoded()))
                        .setMethod(method.publishedName())
                        .setBudget(method.budget().epsilon())
                        .setBankVersion(method.bankVersion())
                        .setProcessedTime(Instant.now())
                        .build();
        if (firstOutcome()) {
            metrics.imageIn();
            metrics.protectedImage(method.name(), result);
        }
        // published records carry no header of the upload: nothing of it leaks but the pixels
        RecordHeaders headers = new RecordHeaders();
        if (publishingKey != null) {
            publishingKey.sign(out, headers);
        }
        context.forward(
                new Record<byte[], Object>(
                        raw.getImageId().getBytes(StandardCharsets.UTF_8),
                        out,
                        record.timestamp(),
                        headers),
                PoisonerTopology.PROTECTED_SINK);
    }

    private void deadLetter(
            Record<byte[], byte[]> record, RejectReason reason, String stage, Throwable cause) {
        if (firstOutcome()) {
            metrics.imageIn();
            metrics.deadLettered(reason);
        }
        RecordMetadata meta = context.recordMetadata().orElse(null);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.write(
                headers,
                reason.tag(),
                stage,
                Instant.now(),
                meta == null ? "?" : meta.topic(),
                meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(),
                cause);
        context.forward(
                new Record<byte[], Object>(
                        record.key(), record.value(), record.timestamp(), headers),
                PoisonerTopology.DEAD_LETTER_SINK);
    }

    /** Counted once per input offset: a replay after an aborted transaction is not a new input. */
    private boolean firstOutcome() {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        return meta == null || metrics.firstOutcome(meta.topic(), meta.partition(), meta.offset());
    }

    private static String stageOf(RejectReason reason) {
        return switch (reason) {
            case UNKNOWN_LABEL, BANK_EXHAUSTED, INVALID_LABEL -> DeadLetterHeaders.STAGE_VALIDATE;
            case OUTPUT_TOO_LARGE -> DeadLetterHeaders.STAGE_ENCODE;
            case DESERIALIZATION_ERROR -> DeadLetterHeaders.STAGE_DESERIALIZE;
            case PROCESSING_ERROR, BUDGET_SHORTFALL -> DeadLetterHeaders.STAGE_PROTECT;
            default -> DeadLetterHeaders.STAGE_DECODE;
        };
    }

    /** The buffer's bytes; its backing array when that is exactly them (Avro's usual case). */
    private static byte[] bytes(ByteBuffer b) {
        if (b.hasArray()
                && b.arrayOffset() == 0
                && b.position() == 0
                && b.remaining() == b.array().length) {
            return b.array();
        }
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
