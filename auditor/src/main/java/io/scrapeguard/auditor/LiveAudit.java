package io.scrapeguard.auditor;

import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.Endpoints;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code ./guard audit --now}: reads everything on the raw and protected topics of a running stack,
 * joins it by image id into the same bounded per-label sample the service keeps, audits it and
 * publishes the report record.
 */
public final class LiveAudit {
    private LiveAudit() {}

    public static AuditResult now(
            Endpoints endpoints,
            Auditor.Settings settings,
            DeltaClassifier classifier,
            Duration readTimeout,
            Consumer<String> progress) {
        try (Topics topics = Topics.fromConfig(endpoints.registryConfig())) {
            PairReservoir reservoir =
                    new PairReservoir(
                            settings.profile().maxPairsPerLabel(), 1_000_000, settings.seed());
            SkipCounts skipped;
            try (TopicSampler sampler =
                    new TopicSampler(endpoints.kafkaConfig(), topics, reservoir)) {
                long read = sampler.readToEnd(readTimeout, progress);
                progress.accept(
                        "audit: read "
                                + read
                                + " records from "
                                + Topics.RAW_IMAGES
                                + " and "
                                + Topics.PROTECTED_IMAGES
                                + ": "
                                + reservoir.joined()
                                + " pairs joined");
                skipped = reservoir.skipped();
                skipped.addAll(sampler.recordErrors());
            }
            AuditResult report =
                    Auditor.audit(reservoir.snapshot(), skipped, classifier, settings, progress);
            publish(endpoints, topics, report);
            return report;
        }
    }

    static void publish(Endpoints endpoints, Topics topics, AuditResult report) {
        ReportTopic.ensure(endpoints.kafkaConfig());
        Properties p = new Properties();
        p.putAll(endpoints.kafkaConfig());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "guard-audit-now");
        var t = topics.auditReports();
        try (KafkaProducer<String, io.scrapeguard.schemas.AuditReport> producer =
                new KafkaProducer<>(p, t.keySerde().serializer(), t.valueSerde().serializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    t.name(),
                                    report.profile().name(),
                                    AuditRecords.toRecord(report)))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not publish the audit report on "
                            + Topics.AUDIT_REPORTS
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the audit report", e);
        }
    }
}
