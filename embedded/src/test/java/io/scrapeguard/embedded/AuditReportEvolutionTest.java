package io.scrapeguard.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.schemas.AuditReport;
import io.scrapeguard.serde.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The AuditReport with scraper pipelines (threatModel, scrapers, dilution) is a BACKWARD change of
 * the schema before them: the registry accepts it over the old version, and a report written with
 * the old schema reads with the new one, the new fields at their defaults.
 */
class AuditReportEvolutionTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();

    static Schema before() throws IOException {
        try (InputStream in =
                AuditReportEvolutionTest.class.getResourceAsStream(
                        "/avro/AuditReport-before-scrapers.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void theRegistryAcceptsTheNewSchemaOverTheOldUnderBackward() throws Exception {
        String subject = "audit-report-evolution-value";
        try (SchemaRegistryClient client = new SchemaRegistryClient(STACK.stack().registryUrl())) {
            int v1 = client.register(subject, before());
            client.setCompatibility(subject, "BACKWARD");
            assertThat(client.isCompatible(subject, AuditReport.getClassSchema())).isTrue();
            int v2 = client.register(subject, AuditReport.getClassSchema());
            assertThat(v2).isNotEqualTo(v1);
            assertThat(client.versions(subject)).hasSize(2);
        }
    }

    @Test
    void anOldReportReadsWithTheNewSchemaWithEmptyPipelines() throws Exception {
        Schema old = before();
        GenericRecord r = new GenericData.Record(old);
        r.put("reportId", "audit-1");
        r.put("time", Instant.parse("2025-01-01T00:00:00Z").toEpochMilli());
        r.put("profile", "cpu-small");
        r.put("protectedSamples", 100);
        r.put("cleanSamples", 100);
        r.put("classes", 10);
        r.put("verdict", "PROTECTED");
        r.put("decidingSignal", "integrity+separability");
        r.put("figures", List.of());
        r.put("details", Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(old).write(r, enc);
        enc.flush();

        AuditReport read =
                new SpecificDatumReader<AuditReport>(old, AuditReport.getClassSchema())
                        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        assertThat(read.getVerdict()).isEqualTo("PROTECTED");
        assertThat(read.getThreatModel()).isEmpty();
        assertThat(read.getScrapers()).isEmpty();
        assertThat(read.getDilution()).isEmpty();
    }
}
