package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A real Prometheus (Debian's package) on 127.0.0.1 running the deployment's
 * ops/prometheus/prometheus.yml with the project's rules: only the scrape targets are rewritten to
 * local addresses and the intervals shortened to one second. Closing it stops the process.
 */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;
    private final Thread reaper;
    private final Path log;
    final int port;

    /**
     * Starts Prometheus scraping {@code targets} (job name of ops/prometheus/prometheus.yml ->
     * host:port list); the deployment's other jobs (e.g. alertmanager) are left out.
     */
    PrometheusServer(Path workDir, Map<String, List<String>> targets)
            throws IOException, InterruptedException {
        Path binary = Tools.require("prometheus");
        Files.createDirectories(workDir);
        port = freePort();
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, localConfig(targets, "127.0.0.1:" + port));
        log = workDir.resolve("prometheus.log");
        process =
                new ProcessBuilder(
                                binary.toString(),
                                "--config.file=" + config,
                                "--storage.tsdb.path=" + workDir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port,
                                "--log.level=warn")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        // never leave a prometheus behind, even when the test JVM is stopped
        reaper = new Thread(process::destroyForcibly, "stop-test-prometheus");
        Runtime.getRuntime().addShutdownHook(reaper);
        awaitReady();
    }

    /** The deployment's config with local targets, 1-second intervals, absolute rule paths. */
    @SuppressWarnings("unchecked")
    static String localConfig(Map<String, List<String>> targets, String self) {
        Map<String, Object> config = Repo.yaml("ops/prometheus/prometheus.yml");
        Map<String, Object> global = (Map<String, Object>) config.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        List<String> rules = new ArrayList<>();
        for (Object glob : Repo.asList(config.get("rule_files"))) {
            assertThat(glob.toString()).startsWith("/etc/prometheus/rules/");
            rules.add(
                    Repo.path("ops/prometheus/rules")
                            .resolve(glob.toString().substring("/etc/prometheus/rules/".length()))
                            .toString());
        }
        config.put("rule_files", rules);
        config.remove("alerting"); // no Alertmanager here: alerts are read from /api/v1/alerts
        List<Object> jobs = new ArrayList<>();
        Map<String, List<String>> remaining = new LinkedHashMap<>(targets);
        for (Object sc : Repo.asList(config.get("scrape_configs"))) {
            Map<String, Object> job = (Map<String, Object>) sc;
            String name = (String) job.get("job_name");
            List<String> target =
                    "prometheus".equals(name) ? List.of(self) : remaining.remove(name);
            if (target == null) {
                continue; // e.g. alertmanager: not part of this run
            }
            job.remove("dns_sd_configs"); // compose's DNS: here the targets are local
            job.put("static_configs", List.of(Map.of("targets", target)));
            job.put("scrape_timeout", "1s");
            jobs.add(job);
        }
        assertThat(remaining).as("jobs of ops/prometheus/prometheus.yml").isEmpty();
        config.put("scrape_configs", jobs);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(config);
    }

    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + pathAndQuery))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", pathAndQuery, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The result vector of an instant query. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode r =
                get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(r.path("status").asText()).as("query %s: %s", promql, r).isEqualTo("success");
        return r.path("data").path("result");
    }

    /** Alerts as /api/v1/alerts lists them (state pending or firing). */
    JsonNode alerts() throws IOException, InterruptedException {
        return get("/api/v1/alerts").path("data").path("alerts");
    }

    List<String> firing() throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (JsonNode a : alerts()) {
            if ("firing".equals(a.path("state").asText())) {
                out.add(a.path("labels").path("alertname").asText());
            }
        }
        return out;
    }

    /**
     * Polls {@code probe} until it holds, failing with {@code what} and the log after the timeout.
     */
    <T> T await(String what, Duration timeout, Probe<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "timed out after "
                        + timeout
                        + " waiting for "
                        + what
                        + "; last: "
                        + last
                        + "\nprometheus log:\n"
                        + tail());
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    String tail() {
        try {
            String text = Files.readString(log);
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "prometheus exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/-/ready"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        close();
        throw new AssertionError("prometheus not ready after 60s:\n" + tail());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
    }
}
