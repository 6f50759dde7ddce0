package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapeguard.core.Budget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline audit of the "What it must show": AR protection against its originals,
 * class-free noise of the same norm, JPEG-75 re-encodings of the protected images.
 */
class OfflineAuditTest {
    static final int CLASSES = 10;
    static final int PER_CLASS = 30;

    @TempDir static Path tmp;
    static Path raw;
    static Path ar;

    @BeforeAll
    static void data() throws Exception {
        raw = Fixtures.dataset(tmp.resolve("raw"), CLASSES, PER_CLASS, 32);
        ar = Fixtures.protect(raw, tmp.resolve("ar"), Fixtures.ar(), false);
    }

    static AuditResult audit(Path prot, Auditor.Settings settings) throws Exception {
        List<String> lines = new ArrayList<>();
        java.util.function.Consumer<String> progress =
                l -> {
                    lines.add(l);
                    System.out.println(l);
                };
        PairedFolders.Pairing p = PairedFolders.pair(raw, prot, 1000, 1, progress);
        AuditResult r =
                Auditor.audit(
                        p.pairs(), p.skipped(), BankClassifiers.load(null), settings, progress);
        assertThat(lines).as("progress lines").anyMatch(l -> l.contains("epoch"));
        return r;
    }

    static Auditor.Settings quick(int epochs) {
        return Auditor.Settings.of(AuditProfile.cpuSmall().withEpochs(epochs))
                .withSeed(1)
                .withScrapers(List.of("native"));
    }

    /** One seed, one epoch, no defences: for cases decided by integrity and the probes. */
    static Auditor.Settings minimal() {
        return Auditor.Settings.of(AuditProfile.cpuSmall().withEpochs(1).withSeeds(1))
                .withSeed(1)
                .withDefences(false)
                .withScrapers(List.of("native"));
    }

    @Test
    void arProtectionIsIntactSeparableAndProtected() throws Exception {
        AuditResult r = audit(ar, quick(2).withSamplePictures(true));

        assertThat(r.completed()).isTrue();
        assertThat(r.pairs()).isEqualTo(CLASSES * PER_CLASS);
        assertThat(r.integrity().filterAccuracy()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.separability().probeAccuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(r.separability().controlAccuracy()).isLessThanOrEqualTo(0.2);
        assertThat(r.verdict().level()).isEqualTo(Verdict.Level.PROTECTED);
        assertThat(r.clean().runs()).hasSize(2);
        assertThat(r.defences()).containsKeys("jpeg75", "grayscale");

        Path dir = tmp.resolve("report-ar");
        Path html = HtmlReport.write(r, dir);
        assertThat(Files.readString(html)).contains("PROTECTED", "samples.png", "loss.png");
        for (String png :
                List.of("samples.png", "loss.png", "accuracy.png", "follow.png", "probe.png")) {
            assertThat(javax.imageio.ImageIO.read(dir.resolve(png).toFile())).as(png).isNotNull();
        }
        JsonNode json = new ObjectMapper().readTree(ReportJson.write(r));
        for (String key :
                List.of(
                        "verdict",
                        "profile",
                        "pairs",
                        "integrity.filter_accuracy",
                        "separability.probe_accuracy",
                        "separability.control_accuracy",
                        "separability.linear_train_accuracy",
                        "separability.linear_heldout_accuracy",
                        "canary.clean.final_accuracy",
                        "canary.clean.peak_accuracy",
                        "canary.protected.final_accuracy",
                        "canary.protected.peak_accuracy",
                        "canary.clean.follow_rate",
                        "canary.protected.follow_rate",
                        "efficacy.protection_score_final",
                        "efficacy.protection_score_peak",
                        "defences.jpeg75.protected_final_accuracy")) {
            JsonNode n = at(json, key);
            assertThat(n).as(key).isNotNull();
            assertThat(n.isNull()).as(key).isFalse();
            if (key.contains("accuracy") || key.contains("rate")) {
                assertThat(n.asDouble()).as(key).isBetween(0.0, 1.0);
            }
        }
        assertThat(at(json, "canary.clean").has("epochs_to_loss_0_5")).isTrue();
        assertThat(at(json, "canary.protected").has("epochs_to_loss_0_5")).isTrue();
        assertThat(json.get("profile").asText()).isEqualTo("cpu-small");
        assertThat(json.get("cost_seconds").has("canaries")).isTrue();
    }

    @Test
    void classFreeNoiseOfTheSameNormFails() throws Exception {
        Path prot = Fixtures.protect(raw, tmp.resolve("noise"), Fixtures.noise(CLASSES), false);
        AuditResult r = audit(prot, minimal());

        assertThat(r.integrity().filterAccuracy()).isLessThan(0.3);
        assertThat(r.separability().probeAccuracy()).isLessThan(0.35);
        assertThat(r.verdict().level()).isEqualTo(Verdict.Level.FAILING);
        assertThat(r.verdict().signal()).isEqualTo("integrity");
        assertThat(r.integrity().meanL2())
                .isBetween(0.8 * Budget.DEFAULT_L2, 1.05 * Budget.DEFAULT_L2);
    }

    @Test
    void jpeg75ReencodingDropsIntegrityAndTheReportSaysSo() throws Exception {
        Path prot = Fixtures.protect(raw, tmp.resolve("jpeg"), Fixtures.ar(), true);
        AuditResult r = audit(prot, minimal());

        assertThat(r.pairs()).as("png originals pair with jpg").isEqualTo(CLASSES * PER_CLASS);
        // Flat synthetic shapes keep more of the delta through JPEG than photos (CIFAR: ~23%).
        assertThat(r.integrity().filterAccuracy()).isLessThan(0.9);
        assertThat(r.verdict().level()).isNotEqualTo(Verdict.Level.PROTECTED);
        assertThat(HtmlReport.html(r)).contains("Integrity dropped");
        assertThat(r.verdict().reason()).contains("delivered deltas");
    }

    static JsonNode at(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String part : dotted.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n;
    }
}
