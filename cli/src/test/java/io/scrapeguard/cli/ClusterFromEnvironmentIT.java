package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "against a cluster" path: with {@code GUARD_BOOTSTRAP_SERVERS} and {@code
 * GUARD_REGISTRY_URL} pointing at a running {@code ./guard stack} and no stack in any data dir,
 * {@code publish}, {@code poisoner}, {@code export}, {@code audit --now} and {@code auditor} all
 * work; client settings come from {@code GUARD_KAFKA_CONFIG} and {@code --registry-config}, and the
 * secrets in them appear in no output, no file written and no metric.
 */
class ClusterFromEnvironmentIT {
    private static final Pattern EXPORT =
            Pattern.compile("export GUARD_BOOTSTRAP_SERVERS=(\\S+) GUARD_REGISTRY_URL=(\\S+)");
    private static final Pattern METRICS = Pattern.compile("metrics (http://\\S+/metrics)");
    private static final String KAFKA_SECRET = "kafka-Secret-7f3a9";
    private static final String REGISTRY_SECRET = "registry-Secret-c41d2";

    @TempDir Path tmp;

    private final List<GuardScript.Running> started = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();

    @Test
    void everyCommandRunsFromTheEnvironmentAndNoSecretLeaks() throws Exception {
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        Path kafkaConfig = secrets.resolve("kafka.properties");
        // unused on a plaintext listener, but handed to every client like on a secured cluster
        Files.writeString(
                kafkaConfig,
                "sasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"publisher\" password=\""
                        + KAFKA_SECRET
                        + "\";\n");
        Path registryConfig = secrets.resolve("registry.properties");
        Files.writeString(
                registryConfig,
                "basic.auth.credentials.source=USER_INFO\n"
                        + "basic.auth.user.info=guard:"
                        + REGISTRY_SECRET
                        + "\n");
        Path data = tmp.resolve("data"); // reports only: no stack lives here
        Path images = tmp.resolve("images");
        Path logs = tmp.resolve("logs");
        try {
            GuardScript.Running stack = start(GuardScript.of(logs, "stack"));
            Matcher m = EXPORT.matcher(stack.awaitOutput("export GUARD_", Duration.ofMinutes(3)));
            assertThat(m.find()).isTrue();
            String bootstrap = m.group(1);
            String registry = m.group(2);

            ok(
                    GuardScript.of(
                            logs,
                            "dataset",
                            "--classes",
                            "2",
                            "--per-class",
                            "15",
                            "--size",
                            "32",
                            "--out",
                            images.toString()),
                    Duration.ofMinutes(1));
            GuardScript.Result published =
                    ok(
                            cluster(
                                    GuardScript.of(
                                            logs,
                                            "publish",
                                            images.toString(),
                                            "--registry-config",
                                            registryConfig.toString()),
                                    bootstrap,
                                    registry,
                                    kafkaConfig),
                            Duration.ofMinutes(2));
            assertThat(published.stdout()).contains("sent=30 skipped=0 failed=0");

            GuardScript.Running poisoner =
                    start(
                            cluster(
                                    GuardScript.of(
                                            logs,
                                            "poisoner",
                                            "--metrics-port",
                                            "0",
                                            "--labels",
                                            "circle,square",
                                            "--registry-config",
                                            registryConfig.toString()),
                                    bootstrap,
                                    registry,
                                    kafkaConfig));
            String running = poisoner.awaitOutput("poisoner running", Duration.ofMinutes(2));
            assertThat(running).contains("bootstrap=" + bootstrap);

            Path exported = tmp.resolve("exported");
            String exportOut = "";
            for (int i = 0; i < 12 && !exportOut.contains("exported=30"); i++) {
                exportOut =
                        ok(
                                        cluster(
                                                GuardScript.of(
                                                        logs,
                                                        "export",
                                                        "--topic",
                                                        "protected",
                                                        "--out",
                                                        exported.toString(),
                                                        "--timeout",
                                                        "10",
                                                        "--registry-config",
                                                        registryConfig.toString()),
                                                bootstrap,
                                                registry,
                                                kafkaConfig),
                                        Duration.ofMinutes(1))
                                .stdout();
            }
            assertThat(exportOut).contains("exported=30");
            outputs.add(get(metricsUrl(running)));

            GuardScript.Result audit =
                    ok(
                            cluster(
                                    GuardScript.of(
                                            logs,
                                            "audit",
                                            "--now",
                                            "--profile",
                                            "cpu-small",
                                            "--epochs",
                                            "1",
                                            "--seeds",
                                            "1",
                                            "--no-defences",
                                            "--data-dir",
                                            data.toString(),
                                            "--registry-config",
                                            registryConfig.toString()),
                                    bootstrap,
                                    registry,
                                    kafkaConfig),
                            Duration.ofMinutes(4));
            assertThat(audit.stdout()).contains("verdict: ", "30 pairs");

            GuardScript.Running auditor =
                    start(
                            cluster(
                                    GuardScript.of(
                                            logs,
                                            "auditor",
                                            "--metrics-port",
                                            "0",
                                            "--data-dir",
                                            data.toString(),
                                            "--set",
                                            "auditor.interval=0",
                                            "--registry-config",
                                            registryConfig.toString()),
                                    bootstrap,
                                    registry,
                                    kafkaConfig));
            String ready = auditor.awaitOutput("auditor ready", Duration.ofMinutes(2));
            Matcher metrics = METRICS.matcher(ready);
            assertThat(metrics.find()).as(ready).isTrue();
            outputs.add(get(metrics.group(1)));

            assertThat(data.resolve("endpoints.properties")).doesNotExist();
        } finally {
            for (GuardScript.Running r : started.reversed()) {
                r.signal("TERM");
                r.await(Duration.ofMinutes(1));
                outputs.add(r.stdout());
                outputs.add(r.stderr());
            }
        }
        assertNoSecretIn(outputs, "outputs and metrics");
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path f :
                    files.filter(Files::isRegularFile)
                            .filter(f -> !f.startsWith(secrets))
                            .toList()) {
                assertNoSecretIn(
                        List.of(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)),
                        f.toString());
            }
        }
    }

    private static GuardScript cluster(
            GuardScript s, String bootstrap, String registry, Path kafkaConfig) {
        return s.env("GUARD_BOOTSTRAP_SERVERS", bootstrap)
                .env("GUARD_REGISTRY_URL", registry)
                .env("GUARD_KAFKA_CONFIG", kafkaConfig.toString());
    }

    private GuardScript.Running start(GuardScript s) {
        GuardScript.Running r = s.start();
        started.add(r);
        return r;
    }

    private GuardScript.Result ok(GuardScript s, Duration timeout) {
        GuardScript.Result r = s.run(timeout);
        outputs.add(r.stdout());
        outputs.add(r.stderr());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static String metricsUrl(String runningLine) {
        Matcher m = Pattern.compile("metrics=(http://\\S+/metrics)").matcher(runningLine);
        assertThat(m.find()).as(runningLine).isTrue();
        return m.group(1);
    }

    private static void assertNoSecretIn(List<String> texts, String where) {
        for (String t : texts) {
            assertThat(t).as(where).doesNotContain(KAFKA_SECRET).doesNotContain(REGISTRY_SECRET);
        }
    }

    private static String get(String url) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
