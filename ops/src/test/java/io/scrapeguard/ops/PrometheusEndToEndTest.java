package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus with the deployment's config and rules scrapes services exporting the metrics
 * contract through Micrometer: every dashboard query returns data, the healthy run fires nothing,
 * and a planted protection failure fires ProtectionLearnable in /api/v1/alerts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusEndToEndTest {
    private ContractMetricsService poisoner;
    private ContractMetricsService auditor;
    private PrometheusServer prometheus;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        poisoner = ContractMetricsService.poisoner();
        auditor = ContractMetricsService.auditor();
        prometheus =
                new PrometheusServer(
                        dir,
                        Map.of(
                                "poisoner", List.of("127.0.0.1:" + poisoner.port()),
                                "auditor", List.of("127.0.0.1:" + auditor.port())));
        prometheus.await(
                "both services scraped twice",
                Duration.ofSeconds(30),
                () -> prometheus.query("count_over_time(up[1m]) >= 3 and up == 1").size(),
                n -> n >= 3);
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (poisoner != null) {
            poisoner.close();
        }
        if (auditor != null) {
            auditor.close();
        }
    }

    @Test
    @Order(1)
    void everyRuleIsLoadedAndHealthy() throws Exception {
        Set<String> loaded = new HashSet<>();
        for (JsonNode group : prometheus.get("/api/v1/rules").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("health").asText())
                        .as("rule %s: %s", rule.path("name"), rule.path("lastError"))
                        .isIn("ok", "unknown");
                loaded.add(rule.path("name").asText());
            }
        }
        assertThat(loaded).containsAll(PrometheusRulesTest.alertRules().keySet());
    }

    @Test
    @Order(2)
    void everyDashboardQueryReturnsData() throws Exception {
        List<Dashboards.Query> queries = Dashboards.queries();
        assertThat(queries).hasSizeGreaterThan(20);
        List<String> empty =
                prometheus.await(
                        "every dashboard query to return data",
                        Duration.ofSeconds(40),
                        () -> {
                            List<String> missing = new ArrayList<>();
                            for (Dashboards.Query q : queries) {
                                if (prometheus.query(q.forPrometheus("10s")).isEmpty()) {
                                    missing.add(q.toString());
                                }
                            }
                            return missing;
                        },
                        List::isEmpty);
        assertThat(empty).isEmpty();
    }

    @Test
    @Order(3)
    void healthyRunFiresNoAlert() throws Exception {
        // a few evaluation rounds after the data is complete
        Thread.sleep(3000);
        assertThat(prometheus.firing()).as("firing alerts on a healthy run").isEmpty();
        for (JsonNode a : prometheus.alerts()) {
            assertThat(a.path("labels").path("alertname").asText())
                    .as("pending on a healthy run")
                    .isNotIn(
                            "ProtectionLearnable",
                            "SeparabilityLost",
                            "PoisonerDown",
                            "AuditorDown");
        }
    }

    @Test
    @Order(4)
    void plantedUnprotectedImagesFireTheProtectionAlert() throws Exception {
        auditor.plantUnprotectedImages();
        List<String> firing =
                prometheus.await(
                        "ProtectionLearnable and SeparabilityLost firing",
                        Duration.ofSeconds(30),
                        prometheus::firing,
                        f -> f.contains("ProtectionLearnable") && f.contains("SeparabilityLost"));
        assertThat(firing).doesNotContain("PoisonerDown", "AuditorDown", "AuditStale");
        for (JsonNode a : prometheus.alerts()) {
            if ("ProtectionLearnable".equals(a.path("labels").path("alertname").asText())) {
                assertThat(a.path("labels").path("severity").asText()).isEqualTo("critical");
                assertThat(a.path("labels").path("service").asText()).isEqualTo("auditor");
                assertThat(a.path("labels").path("profile").asText()).isEqualTo("cpu-small");
                assertThat(a.path("annotations").path("summary").asText()).contains("learnable");
            }
        }
    }

    @Test
    @Order(5)
    void aStaleAuditFiresAuditStaleMeasuredInTheAuditorsOwnInterval() throws Exception {
        // a minute without an audit: stale at a 2-second interval (and an uptime over 3 of them),
        // not at a 1-hour one
        auditor.auditsStopped(Duration.ofMinutes(1), Duration.ofSeconds(2));
        prometheus.await(
                "AuditStale firing",
                Duration.ofSeconds(30),
                prometheus::firing,
                f -> f.contains("AuditStale"));
        auditor.auditsStopped(Duration.ofMinutes(1), Duration.ofHours(1));
        prometheus.await(
                "AuditStale resolved",
                Duration.ofSeconds(30),
                prometheus::firing,
                f -> !f.contains("AuditStale"));
    }
}
