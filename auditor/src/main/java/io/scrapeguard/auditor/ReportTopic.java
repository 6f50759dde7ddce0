package io.scrapeguard.auditor;

import io.scrapeguard.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates {@code guard.audit-reports} when a stack has not (brokers may not auto-create). */
final class ReportTopic {
    private ReportTopic() {}

    static void ensure(Map<String, Object> kafkaConfig) {
        try (Admin admin = Admin.create(kafkaConfig)) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(Topics.AUDIT_REPORTS, 1, (short) 1)
                                            .configs(Topics.topicConfig())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // not allowed to create: on a secured cluster the operator creates the topics
            if (!(e.getCause() instanceof TopicExistsException
                    || e.getCause() instanceof TopicAuthorizationException)) {
                throw new IllegalStateException(
                        "cannot create " + Topics.AUDIT_REPORTS + ": " + e.getCause().getMessage(),
                        e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "cannot create "
                            + Topics.AUDIT_REPORTS
                            + ": the cluster did not answer in 30 s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
