package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./guard audit} as a user runs it. */
class AuditCommandTest {

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    cmd.getErr().println("guard: error: " + e.getMessage());
                    return 1;
                });
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void offlineAuditPrintsJsonAndWritesTheReport(@TempDir Path tmp) throws Exception {
        Path raw = Fixtures.dataset(tmp.resolve("raw"), 3, 10, 16);
        Path prot = Fixtures.protect(raw, tmp.resolve("ar"), Fixtures.ar(), false);
        Run r =
                run(
                        "--raw",
                        raw.toString(),
                        "--protected",
                        prot.toString(),
                        "--json",
                        "--profile",
                        "cpu-small",
                        "--epochs",
                        "1",
                        "--seeds",
                        "1",
                        "--no-defences",
                        "--scraper",
                        "native",
                        "--scraper",
                        "jpeg:75",
                        "--report-dir",
                        tmp.resolve("report").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("pairs").asInt()).isEqualTo(30);
        assertThat(json.get("profile").asText()).isEqualTo("cpu-small");
        assertThat(json.get("integrity").get("filter_accuracy").asDouble()).isGreaterThan(0.99);
        assertThat(json.get("threat_model").toString()).isEqualTo("[\"native\",\"jpeg:75\"]");
        assertThat(json.get("scrapers").get(1).get("name").asText()).isEqualTo("jpeg:75");
        assertThat(r.err()).contains("audit: stage canaries took", "epoch 1/1");
        String page = Files.readString(tmp.resolve("report/index.html"));
        assertThat(page).contains("decided by", "Cost");
        assertThat(page)
                .as("no clean/protected samples unless asked for: they give away the deltas")
                .doesNotContain("samples.png")
                .contains("--delta-pictures");
        assertThat(tmp.resolve("report/samples.png")).doesNotExist();
        assertThat(tmp.resolve("report/report.json")).exists();
    }

    @Test
    void anAuditThatCannotRunSaysWhyWithExitCode3(@TempDir Path tmp) throws Exception {
        Path raw = Fixtures.dataset(tmp.resolve("raw"), 2, 3, 16);
        Path prot = Fixtures.protect(raw, tmp.resolve("ar"), Fixtures.ar(), false);
        Files.delete(raw.resolve("circle").resolve("circle-00000.png"));
        Run r =
                run(
                        "--raw",
                        raw.toString(),
                        "--protected",
                        prot.toString(),
                        "--report-dir",
                        tmp.resolve("report").toString(),
                        "--quiet");
        assertThat(r.exit()).isEqualTo(AuditCommand.EXIT_NOT_RUN);
        assertThat(r.out())
                .contains("audit skipped", "missing-original=1", "label-too-few-pairs=5");
        assertThat(Files.readString(tmp.resolve("report/index.html"))).contains("SKIPPED");
    }

    @Test
    void wrongUseIsAOneLineError(@TempDir Path tmp) {
        Run none = run();
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("--raw DIR and --protected DIR");
        Run missing = run("--raw", tmp.resolve("nope").toString(), "--protected", tmp.toString());
        assertThat(missing.err().strip())
                .startsWith("guard: error: --raw")
                .contains("is not a folder")
                .doesNotContain("Exception");
        Run profile =
                run("--raw", tmp.toString(), "--protected", tmp.toString(), "--profile", "huge");
        assertThat(profile.err()).contains("unknown profile 'huge'");
        Run threshold =
                run(
                        "--raw",
                        tmp.toString(),
                        "--protected",
                        tmp.toString(),
                        "--threshold",
                        "bogus=1");
        assertThat(threshold.err()).contains("unknown threshold 'bogus'");
        Run scraper =
                run(
                        "--raw",
                        tmp.toString(),
                        "--protected",
                        tmp.toString(),
                        "--scraper",
                        "resize:abc");
        assertThat(scraper.err().strip())
                .startsWith("guard: error:")
                .contains("resize:abc")
                .doesNotContain("Exception");
    }

    @Test
    void theServiceTakesItsThreatModelAndDilutionFromSettings() {
        AuditorConfig c =
                AuditorConfig.from(
                        java.util.Map.of(
                                "auditor.scrapers",
                                "native, resize:224+jpeg:95",
                                "auditor.dilution",
                                "1.0,0.25",
                                "auditor.canary-max-resolution",
                                "32"));
        assertThat(c.settings().pipelines(500))
                .extracting(p -> p.name())
                .containsExactly("native", "resize:224+jpeg:95");
        assertThat(c.settings().dilution()).containsExactly(1.0, 0.25);
        assertThat(c.settings().canaryMaxResolution()).isEqualTo(32);
        assertThat(AuditorConfig.from(java.util.Map.of()).settings().pipelines(500))
                .extracting(p -> p.name())
                .containsExactly(
                        "native",
                        "jpeg:95",
                        "jpeg:75",
                        "resize:32",
                        "resize:64",
                        "gray",
                        "resize:224+jpeg:95");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> AuditorConfig.from(java.util.Map.of("auditor.scrapers", "blur:3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blur");
    }

    @Test
    void aScraperThatFlipsItsTrainingImagesCanBeModelled() {
        // most training recipes flip; cpu-small does not unless asked, paper does unless told not
        // to
        AuditCommand plain = new AuditCommand();
        new CommandLine(plain)
                .parseArgs("--raw", "r", "--protected", "p", "--profile", "cpu-small");
        assertThat(plain.settings().profile().flip()).isFalse();
        AuditCommand flipping = new AuditCommand();
        new CommandLine(flipping)
                .parseArgs(
                        "--raw",
                        "r",
                        "--protected",
                        "p",
                        "--profile",
                        "cpu-small",
                        "--canary-flip");
        assertThat(flipping.settings().profile().flip()).isTrue();
        assertThat(flipping.settings().profile().describe()).contains("crop + flip");
        AuditCommand paperNoFlip = new AuditCommand();
        new CommandLine(paperNoFlip)
                .parseArgs(
                        "--raw", "r", "--protected", "p", "--profile", "paper", "--no-canary-flip");
        assertThat(paperNoFlip.settings().profile().flip()).isFalse();
        assertThat(
                        AuditorConfig.from(
                                        java.util.Map.of(
                                                "auditor.profile",
                                                "cpu-small",
                                                "auditor.canary-flip",
                                                "true"))
                                .settings()
                                .profile()
                                .flip())
                .isTrue();
    }
}
