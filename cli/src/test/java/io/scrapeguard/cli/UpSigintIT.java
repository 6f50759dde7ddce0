package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./guard up} is the whole system (broker, registry, poisoner, auditor with its report page
 * beside the metrics, every address printed), refuses a second start on the same data dir, and
 * Ctrl-C (SIGINT) leaves no process and no port behind.
 */
class UpSigintIT {
    private static final Pattern READY =
            Pattern.compile(
                    "ScrapeGuard ready: bootstrap=127\\.0\\.0\\.1:(\\d+)"
                            + " registry=http://127\\.0\\.0\\.1:(\\d+)/apis/ccompat/v7"
                            + " metrics=http://127\\.0\\.0\\.1:(\\d+)/metrics");

    @TempDir Path tmp;

    @Test
    void upRunsEverythingAndSigintLeavesNothingBehind() throws Exception {
        Path data = tmp.resolve("data");
        GuardScript.Running up =
                GuardScript.of(
                                tmp,
                                "up",
                                "--data-dir",
                                data.toString(),
                                "--metrics-port",
                                "0",
                                "--labels",
                                "cats,dogs")
                        .withDefaultSigint()
                        .start();
        try {
            String out = up.awaitOutput("ScrapeGuard ready:", Duration.ofMinutes(4));
            Matcher m = READY.matcher(out);
            assertThat(m.find()).as(out).isTrue();
            int kafka = Integer.parseInt(m.group(1));
            int registry = Integer.parseInt(m.group(2));
            int http = Integer.parseInt(m.group(3));
            String base = "http://127.0.0.1:" + http;
            up.awaitOutput("Ctrl-C stops everything", Duration.ofSeconds(30));

            // every address printed, the auditor's page served beside the metrics
            assertThat(up.stderr())
                    .contains(
                            "kafka            127.0.0.1:" + kafka,
                            "metrics          " + base + "/metrics",
                            "audit report     " + base + "/audit/",
                            "health           " + base + "/health/live");
            assertThat(get(base + "/audit/status")).contains("\"pairs_joined\"");
            assertThat(get(base + "/audit/")).contains("ScrapeGuard audit");
            String metrics = get(base + "/metrics");
            assertThat(metrics).contains("service=\"poisoner\"", "service=\"auditor\"");
            assertThat(Files.readString(data.resolve("endpoints.properties")))
                    .contains("bootstrap.servers=127.0.0.1\\:" + kafka);

            // a second ./guard up on the same data dir: one line, exit 1, the first keeps running
            GuardScript.Result second =
                    GuardScript.of(
                                    tmp,
                                    "up",
                                    "--data-dir",
                                    data.toString(),
                                    "--metrics-port",
                                    "0",
                                    "--labels",
                                    "cats")
                            .run(Duration.ofMinutes(2));
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(1);
            assertThat(second.stderrLines()).as(second.toString()).hasSize(1);
            assertThat(second.stderr()).contains("already running");
            assertThat(data.resolve("endpoints.properties")).as("the first one's file").exists();

            up.recordDescendants();
            assertThat(up.seenDescendants()).as("the registry child process").isNotEmpty();
            up.signal("INT");
            GuardScript.Result r = up.await(Duration.ofMinutes(2));
            assertThat(r.exitCode()).as(r.toString()).isIn(0, 130);

            assertThat(r.stderr())
                    .as(r.toString())
                    .contains("guard: stopped")
                    .doesNotContain("\tat ", "Exception in thread");
            assertThat(GuardScript.allGone(r.descendants(), Duration.ofSeconds(30)))
                    .as("no child process left: " + r.descendants())
                    .isTrue();
            for (int port : List.of(kafka, registry, http)) {
                assertThat(GuardScript.listening(port)).as("port " + port + " closed").isFalse();
            }
            assertThat(data.resolve("endpoints.properties")).doesNotExist();
        } finally {
            if (up.process.isAlive()) {
                up.process.descendants().forEach(ProcessHandle::destroyForcibly);
                up.process.destroyForcibly();
            }
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(url).isEqualTo(200);
            return r.body();
        }
    }
}
