package io.scrapeguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The demo's integrity line names the reading the audit used, as the audit reports it. */
class DemoReportTest {
    private static JsonNode integrity(String readAt, String namedBy) throws Exception {
        return new ObjectMapper()
                .readTree(
                        "{\"filter_accuracy\": 0.998, \"delivered_l2\": 1.107, \"read_at\": \""
                                + readAt
                                + "\", \"named_by\": \""
                                + namedBy
                                + "\"}");
    }

    @Test
    void theIntegrityLineNamesTheFiltersTheWavesOrBoth() throws Exception {
        assertThat(DemoReport.integrityLine(integrity("", "AR-filter classifier names")))
                .startsWith(
                        "  integrity     AR-filter classifier names the label's process for 99.8%"
                                + " of the published deltas; delivered L2 1.11");
        assertThat(
                        DemoReport.integrityLine(
                                integrity("32-cell grid", "AR-filter classifier names")))
                .contains("AR-filter classifier names")
                .contains("published deltas (read at 32-cell grid);");
        assertThat(
                        DemoReport.integrityLine(
                                integrity(
                                        "class wave or AR filters",
                                        "class waves and AR filters name")))
                .startsWith("  integrity     class waves and AR filters name the label's process")
                .contains("published deltas; delivered");
        assertThat(
                        DemoReport.integrityLine(
                                integrity("class wave on the 32-cell grid", "class waves name")))
                .startsWith("  integrity     class waves name the label's process")
                .contains("published deltas (on the 32-cell grid);");
    }
}
