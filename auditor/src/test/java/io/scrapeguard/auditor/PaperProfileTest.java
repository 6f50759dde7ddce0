package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paper profile (ResNet-18, SGD, crop + flip, lr drop) runs end to end on CPU for 2 epochs. */
class PaperProfileTest {

    @Test
    void twoEpochPaperRunOnCpu(@TempDir Path tmp) throws Exception {
        Path raw = Fixtures.dataset(tmp.resolve("raw"), 10, 8, 16);
        Path prot = Fixtures.protect(raw, tmp.resolve("ar"), Fixtures.ar(), false);
        AuditProfile paper = AuditProfile.paper().withEpochs(2).withSeeds(1);
        assertThat(paper.lrDropEpoch()).isEqualTo(1);
        assertThat(paper.describe())
                .contains("ResNet-18", "SGD lr 0.1", "momentum 0.9", "batch 128", "flip");

        PairedFolders.Pairing p = PairedFolders.pair(raw, prot, 1000, 1, System.out::println);
        AuditResult r =
                Auditor.audit(
                        p.pairs(),
                        p.skipped(),
                        BankClassifiers.load(null),
                        Auditor.Settings.of(paper).withDefences(false),
                        System.out::println);

        assertThat(r.completed()).isTrue();
        assertThat(r.profile().name()).isEqualTo("paper");
        assertThat(r.clean().runs().get(0).accuracy()).hasSize(2);
        double[] loss = r.protectedCanary().runs().get(0).loss();
        assertThat(loss).hasSize(2);
        assertThat(java.util.Arrays.stream(loss).allMatch(Double::isFinite)).isTrue();
        assertThat(r.clean().finalAccuracy()).isBetween(0.0, 1.0);
        assertThat(r.integrity().filterAccuracy()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.verdict()).isNotNull();
        assertThat(ReportJson.write(r)).contains("\"profile\" : \"paper\"");
    }
}
