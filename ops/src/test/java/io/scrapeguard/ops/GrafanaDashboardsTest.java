package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grafana: the provisioned datasource and dashboards are complete and query real metrics. */
class GrafanaDashboardsTest {

    @Test
    void everyPanelHasAQueryOnTheProvisionedDatasource() {
        String datasourceUid = provisionedDatasourceUid();
        Set<String> uids = new HashSet<>();
        assertThat(Dashboards.files()).hasSizeGreaterThanOrEqualTo(2);
        for (Path file : Dashboards.files()) {
            JsonNode d = Repo.json(Repo.relative(file));
            String name = Repo.relative(file);
            assertThat(d.path("uid").asText()).as("%s uid", name).isNotBlank();
            assertThat(uids.add(d.path("uid").asText())).as("%s uid unique", name).isTrue();
            assertThat(d.path("title").asText()).as("%s title", name).isNotBlank();
            List<JsonNode> panels = Dashboards.panels(d);
            assertThat(panels).as("%s panels", name).isNotEmpty();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : panels) {
                String panel = name + " / " + p.path("title").asText();
                assertThat(p.path("title").asText()).as("%s has a title", panel).isNotBlank();
                assertThat(ids.add(p.path("id").asInt())).as("%s id unique", panel).isTrue();
                assertThat(p.path("datasource").path("uid").asText())
                        .as("%s datasource", panel)
                        .isEqualTo(datasourceUid);
                assertThat(p.path("targets").size()).as("%s has a query", panel).isPositive();
                for (JsonNode t : p.path("targets")) {
                    assertThat(t.path("expr").asText()).as("%s query", panel).isNotBlank();
                    // every poisoner reports the one shared bank: a sum counts it once per replica
                    assertThat(t.path("expr").asText())
                            .as("%s query", panel)
                            .doesNotContainPattern("sum\\s*\\(\\s*guard_bank_");
                    assertThat(t.path("datasource").path("uid").asText())
                            .as("%s target datasource", panel)
                            .isEqualTo(datasourceUid);
                }
                JsonNode pos = p.path("gridPos");
                assertThat(pos.path("w").asInt()).as("%s width", panel).isPositive();
                assertThat(pos.path("x").asInt() + pos.path("w").asInt())
                        .as("%s fits 24 columns", panel)
                        .isLessThanOrEqualTo(24);
            }
            assertNoOverlap(name, panels);
        }
    }

    @Test
    void dashboardsCarryFiringAlertsAsAnnotations() {
        for (Path file : Dashboards.files()) {
            JsonNode d = Repo.json(Repo.relative(file));
            boolean alerts = false;
            for (JsonNode a : d.path("annotations").path("list")) {
                alerts |=
                        a.path("enable").asBoolean()
                                && a.path("expr").asText().contains("ALERTS{")
                                && a.path("expr").asText().contains("alertstate=\"firing\"");
            }
            assertThat(alerts)
                    .as("%s shows firing alerts as annotations", file.getFileName())
                    .isTrue();
        }
    }

    @Test
    void dashboardsShowWhatOperatorsNeed() {
        Map<String, String> byPanel =
                Dashboards.queries().stream()
                        .collect(
                                Collectors.toMap(
                                        q -> q.dashboard() + " / " + q.panel(),
                                        Dashboards.Query::expr,
                                        (a, b) -> a + "\n" + b));
        String all = String.join("\n", byPanel.values());
        // pipeline: throughput, latency, lag, dead letters by reason, delivered perturbation
        assertThat(all)
                .contains(
                        "rate(guard_images_in_total[",
                        "rate(guard_images_protected_total[",
                        "histogram_quantile(0.95, sum by (le)"
                                + " (rate(guard_image_processing_seconds_bucket[",
                        "kafka_consumer_fetch_manager_records_lag_max",
                        "sum by (reason) (rate(guard_images_dead_lettered_total[",
                        "guard_perturbation_delivered_ratio_sum");
        // protection over time: canary clean vs protected, score, probes
        assertThat(all)
                .contains(
                        "guard_audit_canary_accuracy{stat=\"peak\"}",
                        "guard_audit_protection_score",
                        "guard_audit_probe_accuracy",
                        "guard_audit_filter_accuracy",
                        "guard_audit_verdict");
        assertThat(byPanel.keySet())
                .anyMatch(k -> k.contains("Dead letters by reason"))
                .anyMatch(k -> k.contains("clean vs protected"));
    }

    @Test
    void queriesUseOnlyMetricsOfTheContract() {
        MetricsContract contract = MetricsContract.load();
        Set<String> unknown = new TreeSet<>();
        for (Dashboards.Query q : Dashboards.queries()) {
            for (String metric : PromQl.metricNames(q.expr())) {
                if (!contract.contains(metric)) {
                    unknown.add(q.dashboard() + " / " + q.panel() + ": " + metric);
                }
            }
        }
        assertThat(unknown).as("dashboard metrics missing from docs/metrics.md").isEmpty();
    }

    /** promtool parses every query (as a recording rule), so no panel ships broken PromQL. */
    @Test
    void everyQueryIsValidPromQl(@TempDir Path dir) throws IOException {
        StringBuilder rules =
                new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int i = 0;
        for (Dashboards.Query q : Dashboards.queries()) {
            rules.append("      - record: dashboard:query_")
                    .append(i++)
                    .append('\n')
                    .append("        expr: ")
                    .append(yamlString(q.forPrometheus("1m")))
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("queries.yml"), rules);
        Tools.Result r = Tools.promtool(dir, "check", "rules", file.toString());
        assertThat(r.exitCode())
                .as("promtool on the dashboards' queries:\n%s", r.output())
                .isZero();
        assertThat(r.output()).contains("SUCCESS: " + i + " rules found");
    }

    @Test
    void provisioningPointsGrafanaAtPrometheusAndTheDashboardsFolder() {
        Map<String, Object> ds =
                Repo.asMap(
                        Repo.asList(
                                        Repo.yaml(
                                                        "ops/grafana/provisioning/datasources/prometheus.yml")
                                                .get("datasources"))
                                .get(0));
        assertThat(ds.get("type")).isEqualTo("prometheus");
        assertThat(ds.get("url")).isEqualTo("http://prometheus:9090");

        Map<String, Object> provider =
                Repo.asMap(
                        Repo.asList(
                                        Repo.yaml(
                                                        "ops/grafana/provisioning/dashboards/scrapeguard.yml")
                                                .get("providers"))
                                .get(0));
        String path = (String) Repo.asMap(provider.get("options")).get("path");
        // compose mounts the repository's dashboards exactly where the provider reads them
        Map<String, Object> grafana =
                Repo.asMap(
                        Repo.asMap(Repo.yaml("docker-compose.yml").get("services")).get("grafana"));
        assertThat(Repo.asList(grafana.get("volumes")))
                .contains("./ops/grafana/dashboards:" + path + ":ro")
                .contains(
                        "./ops/grafana/provisioning/datasources:/etc/grafana/provisioning/datasources:ro")
                .contains(
                        "./ops/grafana/provisioning/dashboards:/etc/grafana/provisioning/dashboards:ro");
    }

    static String provisionedDatasourceUid() {
        Map<String, Object> ds =
                Repo.asMap(
                        Repo.asList(
                                        Repo.yaml(
                                                        "ops/grafana/provisioning/datasources/prometheus.yml")
                                                .get("datasources"))
                                .get(0));
        return (String) ds.get("uid");
    }

    private static void assertNoOverlap(String name, List<JsonNode> panels) {
        for (int i = 0; i < panels.size(); i++) {
            for (int j = i + 1; j < panels.size(); j++) {
                JsonNode a = panels.get(i).path("gridPos");
                JsonNode b = panels.get(j).path("gridPos");
                boolean overlap =
                        a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
                assertThat(overlap)
                        .as(
                                "%s: panels '%s' and '%s' overlap",
                                name,
                                panels.get(i).path("title").asText(),
                                panels.get(j).path("title").asText())
                        .isFalse();
            }
        }
    }

    private static String yamlString(String s) {
        return "'" + s.replace("'", "''").replace("\n", " ") + "'";
    }
}
