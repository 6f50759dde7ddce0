package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The auditor exports the interval it was configured with, in seconds, for AuditStale. */
class AuditMetricsTest {

    @Test
    void exportsTheConfiguredIntervalInSeconds() {
        String series = "guard_audit_interval_seconds{profile=\"cpu-small\"} ";
        assertThat(scrape("90s")).contains(series + "90.0");
        assertThat(scrape("2h")).contains(series + "7200.0");
        assertThat(scrape("0")).as("off").contains(series + "0.0");
    }

    private static String scrape(String interval) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AuditorConfig config =
                AuditorConfig.from(
                        Map.of("auditor.profile", "cpu-small", "auditor.interval", interval));
        new AuditMetrics(registry, config.settings().profile().name()).interval(config.interval());
        System.gc(); // the gauge must not lose its value to the collector
        return registry.scrape();
    }
}
