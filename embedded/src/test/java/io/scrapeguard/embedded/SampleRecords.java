package io.scrapeguard.embedded;

import io.scrapeguard.schemas.AuditFigure;
import io.scrapeguard.schemas.AuditReport;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.RawImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Realistic sample records of every ScrapeGuard schema, for tests. */
public final class SampleRecords {
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private SampleRecords() {}

    public static RawImage rawImage(int i) {
        return RawImage.newBuilder()
                .setImageId("img-" + i)
                .setLabel("class-" + (i % 10))
                .setContentType("image/png")
                .setWidth(32)
                .setHeight(32)
                .setChannels(3)
                .setImage(ByteBuffer.wrap(bytes(i, 2048)))
                .setSource("/uploads/img-" + i + ".png")
                .setIngestTime(T0.plusSeconds(i).truncatedTo(ChronoUnit.MILLIS))
                .setAttributes(Map.of("uploader", "user-" + i, "license", "CC-BY-4.0"))
                .build();
    }

    public static ProtectedImage protectedImage(int i) {
        return ProtectedImage.newBuilder()
                .setImageId("img-" + i)
                .setLabel("class-" + (i % 10))
                .setContentType("image/png")
                .setWidth(32)
                .setHeight(32)
                .setImage(ByteBuffer.wrap(bytes(i + 1000, 2100)))
                .setMethod("ar-l2")
                .setBudget(1.0)
                .setBankVersion("cifar10-v1")
                .setProcessedTime(T0.plusSeconds(i + 1))
                .build();
    }

    public static AuditReport auditReport(int i) {
        return AuditReport.newBuilder()
                .setReportId("report-" + i)
                .setTime(T0.plusSeconds(60L * i))
                .setProfile("quick")
                .setProtectedSamples(512)
                .setCleanSamples(256)
                .setClasses(10)
                .setVerdict(i % 2 == 0 ? "PROTECTED" : "DEGRADED")
                .setDecidingSignal(i % 2 == 0 ? null : "canary.clean.accuracy")
                .setFigures(
                        List.of(
                                AuditFigure.newBuilder()
                                        .setName("canary.clean.accuracy")
                                        .setValue(0.21)
                                        .setThreshold(0.4)
                                        .setHigherIsBetter(false)
                                        .setPassed(true)
                                        .build(),
                                AuditFigure.newBuilder()
                                        .setName("probe.linear.separability")
                                        .setValue(0.97)
                                        .setThreshold(null)
                                        .setHigherIsBetter(true)
                                        .setPassed(null)
                                        .build()))
                .setDetails(Map.of("model", "resnet-tiny", "epochs", "5"))
                .build();
    }

    /** The same record as a GenericRecord (through Avro binary, so logical types become longs). */
    public static GenericRecord toGeneric(SpecificRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(
                            record.getSchema(), SpecificData.getForSchema(record.getSchema()))
                    .write(record, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericRecord>(record.getSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}
