package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessBankTest {
    @TempDir Path dir;

    @Test
    void paperDefaultHoldsTheTenPublishedProcesses() {
        ProcessBank b = ProcessBank.paperDefault();
        assertThat(b.size()).isEqualTo(10);
        // Appendix A.10, class 0 channel 0 row 0, and class 9's last channel
        assertThat(b.process(0).window(0)[0]).containsExactly(0.1561, -0.0710, 0.3743);
        for (ArProcess p : b.processes()) {
            for (int c = 0; c < 3; c++) {
                assertThat(p.coefficient(c, 2, 2)).isZero();
                assertThat(p.coefficientSum(c)).isCloseTo(1.0, within(3e-4));
                assertThat(p.filter(c)[2][2]).isEqualTo(-1.0);
            }
        }
        assertThat(b.fingerprint()).matches("[0-9a-f]{12}");
    }

    @Test
    void saveAndLoadRoundTripKeepsTheFingerprint() {
        Path f = dir.resolve("sub/bank.json");
        ProcessBank.paperDefault().save(f);
        ProcessBank back = ProcessBank.load(f);
        assertThat(back).isEqualTo(ProcessBank.paperDefault());
        assertThat(back.fingerprint()).isEqualTo(ProcessBank.paperDefault().fingerprint());
        ProcessBank five = new ProcessBank(ProcessBank.paperDefault().processes().subList(0, 5));
        assertThat(five.fingerprint()).isNotEqualTo(back.fingerprint());
        assertThat(back.toString()).doesNotContain("0.1561");
    }

    @Test
    void malformedJsonAndWrongShapesGiveClearErrors() throws Exception {
        assertThatThrownBy(() -> ProcessBank.fromJson("{\"processes\": [[[1,2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed bank JSON");
        assertThatThrownBy(() -> ProcessBank.fromJson("[1,2]"))
                .hasMessageContaining("\"processes\"");
        assertThatThrownBy(() -> ProcessBank.fromJson("{\"processes\": []}"))
                .hasMessageContaining("no processes");
        String twoChannels =
                "{\"processes\": [[[[0,0,0],[0,0,0],[0,0,0]],[[0,0,0],[0,0,0],[0,0,0]]]]}";
        assertThatThrownBy(() -> ProcessBank.fromJson(twoChannels))
                .hasMessageContaining("process 0 must have 3 entries, got 2");
        String shortRow =
                "{\"processes\": [[[[0,0,0],[0,0],[0,0,0]],[[0,0,0],[0,0,0],[0,0,0]],"
                        + "[[0,0,0],[0,0,0],[0,0,0]]]]}";
        assertThatThrownBy(() -> ProcessBank.fromJson(shortRow))
                .hasMessageContaining("process 0 channel 0 row 1 must have 3 entries, got 2");
        String centre =
                "{\"processes\": [[[[0,0,0],[0,0,0],[0,0,0.5]],[[0,0,0],[0,0,0],[0,0,0]],"
                        + "[[0,0,0],[0,0,0],[0,0,0]]]]}";
        assertThatThrownBy(() -> ProcessBank.fromJson(centre)).hasMessageContaining("[2][2]");
        String text =
                "{\"processes\": [[[[0,\"a\",0],[0,0,0],[0,0,0]],[[0,0,0],[0,0,0],[0,0,0]],"
                        + "[[0,0,0],[0,0,0],[0,0,0]]]]}";
        assertThatThrownBy(() -> ProcessBank.fromJson(text)).hasMessageContaining("not a number");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "not json");
        assertThatThrownBy(() -> ProcessBank.load(bad))
                .hasMessageContaining("bad.json")
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> ProcessBank.load(dir.resolve("none.json")))
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> ProcessBank.paperDefault().process(10))
                .hasMessageContaining("class 10");
    }
}
