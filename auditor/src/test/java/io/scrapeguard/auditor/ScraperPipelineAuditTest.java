package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit under scraper pipelines: the delivered delta after each pipeline decides its row, the
 * worst row of the threat model decides the audit and its reason names the pipeline.
 */
class ScraperPipelineAuditTest {
    @TempDir static Path tmp;
    static Path raw;
    static Path ar;

    @BeforeAll
    static void data() throws Exception {
        raw = Fixtures.dataset(tmp.resolve("raw"), 10, 30, 32);
        ar = Fixtures.protect(raw, tmp.resolve("ar"), Fixtures.ar(), false);
    }

    /** Integrity and probes only: no canaries, one probe seed. */
    static Auditor.Settings cheap(String... scrapers) {
        return OfflineAuditTest.minimal()
                .withScrapers(List.of(scrapers))
                .withCanaryMaxResolution(0);
    }

    static AuditResult audit(Path prot, Auditor.Settings settings) throws Exception {
        PairedFolders.Pairing p = PairedFolders.pair(raw, prot, 1000, 1, l -> {});
        return Auditor.audit(
                p.pairs(), p.skipped(), BankClassifiers.load(null), settings, System.out::println);
    }

    static ScraperResult row(AuditResult r, String name) {
        return r.scrapers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aDownscalingScraperStripsTheProtectionAndTheVerdictNamesIt() throws Exception {
        AuditResult r = audit(ar, cheap("native", "resize:64", "resize:16"));

        assertThat(r.threatModel()).containsExactly("native", "resize:64", "resize:16");
        assertThat(row(r, "native").verdict().level()).isEqualTo(Verdict.Level.PROTECTED);
        // Upscaled x2 the AR delta is still read, at half scale.
        assertThat(row(r, "resize:64").imageShape()).isEqualTo("64x64x3");
        assertThat(row(r, "resize:64").integrity().filterAccuracy()).isGreaterThan(0.9);
        assertThat(row(r, "resize:64").integrity().scale()).isEqualTo(2);
        ScraperResult small = row(r, "resize:16");
        assertThat(small.imageShape()).isEqualTo("16x16x3");
        assertThat(small.integrity().filterAccuracy()).isLessThan(0.9);
        assertThat(small.verdict().level()).isNotEqualTo(Verdict.Level.PROTECTED);
        assertThat(r.verdict().level()).isEqualTo(small.verdict().level());
        assertThat(r.verdict().reason()).startsWith("resize:16: ");
        assertThat(r.verdict().brief()).startsWith("resize:16: ");
        assertThat(small.verdict().reason())
                .contains("efficacy not measured")
                .doesNotContain("protection score");
        // The top-level figures stay native's.
        assertThat(r.integrity().filterAccuracy()).isGreaterThanOrEqualTo(0.99);

        JsonNode json = new ObjectMapper().readTree(ReportJson.write(r));
        assertThat(json.get("threat_model")).hasSize(3);
        JsonNode rows = json.get("scrapers");
        assertThat(rows).hasSize(3);
        JsonNode last = rows.get(2);
        assertThat(last.get("name").asText()).isEqualTo("resize:16");
        for (String key :
                List.of(
                        "verdict",
                        "verdict_signal",
                        "delivered_l2",
                        "integrity.filter_accuracy",
                        "separability.probe_accuracy",
                        "separability.control_accuracy")) {
            assertThat(OfflineAuditTest.at(last, key)).as(key).isNotNull();
        }
        assertThat(last.has("canary")).as("no canaries ran").isFalse();
        assertThat(json.get("verdict").asText()).isEqualTo(last.get("verdict").asText());

        Path dir = tmp.resolve("report");
        String html = Files.readString(HtmlReport.write(r, dir));
        assertThat(html).contains("resize:16", "efficacy not measured", "scraper-2.png");
        assertThat(javax.imageio.ImageIO.read(dir.resolve("scraper-2.png").toFile()).getWidth())
                .as("clean, protected and delta, 16 px drawn at 96")
                .isEqualTo(3 * 96 + 8);
        assertThat(AuditSummary.text(r)).contains("resize:16", "resize:64");
    }

    @Test
    void multiscaleImagesAreReadOnTheirGridWhereNoBoxFactorReachesIt() throws Exception {
        // At 48x48 ar-multiscale's strongest component lives on a 32-cell grid: 1.5-pixel cells
        Path raw48 = Fixtures.dataset(tmp.resolve("raw48"), 10, 16, 48);
        Path multi =
                Fixtures.protect(
                        raw48,
                        tmp.resolve("multi48"),
                        ArVariants.create(
                                "ar-multiscale",
                                ProcessBank.paperDefault(),
                                Fixtures.KEY,
                                Budget.defaultL2()),
                        false);
        PairedFolders.Pairing p = PairedFolders.pair(raw48, multi, 1000, 1, l -> {});
        AuditResult r =
                Auditor.audit(
                        p.pairs(),
                        p.skipped(),
                        BankClassifiers.load(null),
                        cheap("native", "resize:64"),
                        System.out::println);

        assertThat(row(r, "native").integrity().readAt()).isEqualTo("32-cell grid");
        assertThat(row(r, "native").integrity().filterAccuracy()).isGreaterThanOrEqualTo(0.9);
        // scraped to 64 the 32-cell grid is half the image: a box factor reads it
        assertThat(row(r, "resize:64").integrity().readAt()).isEqualTo("1/2 scale");
        assertThat(row(r, "resize:64").integrity().filterAccuracy()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void withOnlyNativeInTheThreatModelTheSameImagesAreProtected() throws Exception {
        AuditResult r = audit(ar, cheap("native"));

        assertThat(r.scrapers()).extracting(ScraperResult::name).containsExactly("native");
        assertThat(r.verdict().level()).isEqualTo(Verdict.Level.PROTECTED);
        assertThat(r.verdict().reason()).contains("efficacy not measured");
    }

    @Test
    void classFreeNoiseFailsOnEveryPipeline() throws Exception {
        Path noise = Fixtures.protect(raw, tmp.resolve("noise"), Fixtures.noise(10), false);
        AuditResult r = audit(noise, cheap("native", "jpeg:95", "gray"));

        assertThat(r.scrapers())
                .hasSize(3)
                .allSatisfy(
                        s ->
                                assertThat(s.verdict().level())
                                        .as(s.name())
                                        .isEqualTo(Verdict.Level.FAILING));
        assertThat(r.verdict().level()).isEqualTo(Verdict.Level.FAILING);
        assertThat(r.verdict().reason()).startsWith("native: ");
    }

    @Test
    void aPipelineThatChangesNothingReusesTheRowItDuplicates() throws Exception {
        AuditResult r = audit(ar, cheap("resize:32", "native"));

        assertThat(r.threatModel()).containsExactly("resize:32", "native");
        assertThat(row(r, "resize:32").sameAs()).isEqualTo("native");
        assertThat(row(r, "resize:32").integrity()).isSameAs(row(r, "native").integrity());
    }

    @Test
    void dilutedCanariesTrainUnderNativeWithTheirShareOfProtectedImages() throws Exception {
        AuditResult r =
                audit(
                        ar,
                        OfflineAuditTest.minimal()
                                .withScrapers(List.of("native"))
                                .withDilution(List.of(1.0, 0.5)));

        assertThat(r.dilution())
                .extracting(AuditResult.Dilution::fraction)
                .containsExactly(1.0, 0.5);
        assertThat(r.dilution()).allSatisfy(d -> assertThat(d.pipeline()).isEqualTo("native"));
        JsonNode json = new ObjectMapper().readTree(ReportJson.write(r));
        assertThat(json.get("dilution").get(1).get("fraction").asDouble()).isEqualTo(0.5);
        assertThat(json.get("dilution").get(1).has("protection_score_final")).isTrue();
    }
}
