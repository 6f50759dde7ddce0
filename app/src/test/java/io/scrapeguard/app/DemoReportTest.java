package io.scrapeguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The demo's integrity line names the reading the audit used, as the audit reports it. */
class DemoReportTest {
    private static JsonNode integrity(String where, String waveShare, String namedBy)
            throws Exception {
        return new ObjectMapper()
                .readTree(
                        "{\"filter_accuracy\": 0.998, \"delivered_l2\": 1.107, \"read_where\":"
                                + " \""
                                + where
                                + "\", \"wave_share\": "
                                + waveShare
                                + ", \"named_by\": \""
                                + namedBy
                                + "\"}");
    }

    @Test
    void theIntegrityLineNamesTheFiltersTheWavesOrBoth() throws Exception {
        assertThat(DemoReport.integrityLine(integrity("", "0", "AR-filter classifier names")))
                .startsWith(
                        "  integrity     AR-filter classifier names the label's process for 99.8%"
                                + " of the published deltas; delivered L2 1.11");
        assertThat(
                        DemoReport.integrityLine(
                                integrity("32-cell grid", "0", "AR-filter classifier names")))
                .contains("AR-filter classifier names")
                .contains("published deltas (read at 32-cell grid);");
        assertThat(
                        DemoReport.integrityLine(
                                integrity("", "0.0125", "class waves and AR filters name")))
                .startsWith("  integrity     class waves and AR filters name the label's process")
                .contains("published deltas (the class wave on 1% of them); delivered");
        assertThat(
                        DemoReport.integrityLine(
                                integrity("", "0.916", "class waves and AR filters name")))
                .contains("published deltas (the class wave on 92% of them); delivered");
        assertThat(DemoReport.integrityLine(integrity("32-cell grid", "1", "class waves name")))
                .startsWith("  integrity     class waves name the label's process")
                .contains("published deltas (on the 32-cell grid);");
        // an audit without a process bank: no share, no place
        assertThat(DemoReport.integrityLine(integrity("", "null", "AR-filter classifier names")))
                .contains("published deltas; delivered");
    }
}
