package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, {@code ./guard demo}, end to end through the real script on a small
 * generated set: every image accounted for, one audit through the auditor, the report with its
 * signals and verdict, the HTML report on disk, exit 0, and nothing left running. The noise control
 * must end FAILING (and the demo still exits 0: it showed what it should).
 */
class DemoScriptIT {
    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern HTML = Pattern.compile("HTML report +(\\S+index\\.html)");

    @TempDir Path tmp;

    @Test
    void demoProtectsEveryImageAndTheAuditGivesTheThreatModelsVerdict() {
        Path data = tmp.resolve("demo");
        GuardScript.Result r =
                GuardScript.of(
                                tmp,
                                "demo",
                                "--per-class",
                                "20",
                                "--epochs",
                                "2",
                                "--data-dir",
                                data.toString())
                        .run(Duration.ofMinutes(8));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout())
                .as(r.toString())
                .contains("ScrapeGuard demo report: AR perturbation")
                .contains(
                        "200 published: 200 protected + 0 dead-lettered = 200 (every image"
                                + " accounted for)")
                .contains("images/s end to end")
                .containsPattern(
                        "clean-trained baseline \\d+\\.\\d%, trained on the published"
                                + " images \\d+\\.\\d%")
                .containsPattern(
                        "perturbation-only CNN \\d+\\.\\d% held-out \\(control on"
                                + " class-free noise \\d+\\.\\d%\\)")
                // 2 epochs on 200 images: the clean canary learns too little to decide, so
                // integrity and the probe do; the verdict is the threat model's (native, jpeg:95)
                .containsPattern(
                        "VERDICT       (PROTECTED|WEAK) \\(decided by [a-z+:-]+\\) against the"
                                + " threat model \\(native, jpeg:95\\)")
                .containsPattern("(?m)^ +native +PROTECTED ")
                .containsPattern("(?m)^ +jpeg:95 +(PROTECTED|WEAK|FAILING) ")
                // the few shapes with a photo's texture carry the class wave, read by it
                .containsPattern(
                        "(AR-filter classifier names|class waves and AR filters name) the"
                                + " label's process for 100\\.0%");
        for (int step = 1; step <= 6; step++) {
            assertThat(r.stderr()).contains("demo: [" + step + "/6");
        }
        assertThat(r.stderr()).contains("demo:   OK: ").doesNotContain("\tat ");
        assertHtmlReport(r);
        assertNothingLeft(r, data);
    }

    @Test
    void classFreeNoiseControlEndsFailing() {
        Path data = tmp.resolve("demo-noise");
        GuardScript.Result r =
                GuardScript.of(
                                tmp,
                                "demo",
                                "--control",
                                "noise",
                                "--classes",
                                "5",
                                "--per-class",
                                "20",
                                "--epochs",
                                "1",
                                "--data-dir",
                                data.toString())
                        .run(Duration.ofMinutes(8));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout())
                .as(r.toString())
                .contains("ScrapeGuard demo report: CONTROL: class-free Gaussian noise")
                .contains("100 published: 100 protected + 0 dead-lettered = 100")
                .contains("VERDICT       FAILING (decided by integrity)");
        assertThat(r.stderr()).contains("(FAILING)").doesNotContain("\tat ");
        assertNothingLeft(r, data);
    }

    private static void assertHtmlReport(GuardScript.Result r) {
        Matcher m = HTML.matcher(r.stdout());
        assertThat(m.find()).as(r.stdout()).isTrue();
        Path html = Path.of(m.group(1));
        assertThat(html).isRegularFile();
        assertThat(html.resolveSibling("report.json")).isRegularFile();
        try (var files = Files.list(html.getParent())) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).count())
                    .as("pictures beside the report")
                    .isPositive();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** No child process alive, no port of the run still open, the endpoints file removed. */
    private static void assertNothingLeft(GuardScript.Result r, Path data) {
        assertThat(GuardScript.allGone(r.descendants(), Duration.ofSeconds(30)))
                .as("child processes of the demo: " + r.descendants())
                .isTrue();
        String addresses =
                r.stderr()
                        .lines()
                        .filter(
                                l ->
                                        l.startsWith("  kafka ")
                                                || l.startsWith("  schema registry ")
                                                || l.startsWith("  metrics "))
                        .reduce("", (a, b) -> a + b + "\n");
        Matcher m = PORT.matcher(addresses);
        int ports = 0;
        while (m.find()) {
            ports++;
            assertThat(GuardScript.listening(Integer.parseInt(m.group(1))))
                    .as("port " + m.group(1) + " closed after the demo")
                    .isFalse();
        }
        assertThat(ports).as("addresses printed:\n" + r.stderr()).isEqualTo(3);
        assertThat(data.resolve("endpoints.properties")).doesNotExist();
    }
}
