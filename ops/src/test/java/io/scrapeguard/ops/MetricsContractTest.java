package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The helpers the structure tests rely on read PromQL and docs/metrics.md correctly. */
class MetricsContractTest {

    @Test
    void promQlMetricNamesSkipFunctionsLabelsDurationsAndVariables() {
        assertThat(
                        PromQl.metricNames(
                                "histogram_quantile(0.95, sum by (le)"
                                    + " (rate(guard_image_processing_seconds_bucket[$__rate_interval])))"))
                .containsExactly("guard_image_processing_seconds_bucket");
        assertThat(
                        PromQl.metricNames(
                                """
                                (time() - guard_audit_last_completed > 1800)
                                unless on(job, instance) (process_uptime_seconds < 1800)\
                                """))
                .containsExactlyInAnyOrder("guard_audit_last_completed", "process_uptime_seconds");
        assertThat(
                        PromQl.metricNames(
                                "sum by (job, reason) (rate(x_total{reason=~\"a|b\"}[10m])) /"
                                        + " on(job) group_left sum(rate(y_total[1m])) > 0.05"))
                .containsExactlyInAnyOrder("x_total", "y_total");
        assertThat(PromQl.metricNames("up{job=\"poisoner\"} == 0 or absent(up{job=\"poisoner\"})"))
                .containsExactly("up");
    }

    @Test
    void contractNamesFollowMicrometersPrometheusNaming() {
        MetricsContract c = MetricsContract.load();
        // counters get _total, timers _seconds_*, summaries _count/_sum/_max, gauges their name
        assertThat(c.contains("guard_images_in_total")).isTrue();
        assertThat(c.contains("guard_images_dead_lettered_total")).isTrue();
        assertThat(c.contains("guard_image_processing_seconds_bucket")).isTrue();
        assertThat(c.contains("guard_perturbation_delivered_ratio_sum")).isTrue();
        assertThat(c.contains("guard_audit_protection_score")).isTrue();
        assertThat(c.contains("guard_audit_runs_total")).isTrue();
        assertThat(c.contains("guard_audit_interval_seconds")).isTrue();
        assertThat(c.contains("kafka_consumer_fetch_manager_records_lag_max")).isTrue();
        assertThat(c.contains("jvm_memory_used_bytes")).isTrue();
        // names the contract does not promise
        assertThat(c.contains("guard_audit_protection_score_total")).isFalse();
        assertThat(c.contains("guard_images_in")).isFalse();
        assertThat(c.contains("guard_audit_interval")).isFalse();
        assertThat(c.contains("guard_image_processing_bucket")).isFalse();
        assertThat(c.contains("guard_audit_canary_accuracy_percent")).isFalse();
    }
}
