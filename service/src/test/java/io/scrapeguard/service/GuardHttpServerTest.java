package io.scrapeguard.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardHttpServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsHealthAndExtraPagesOnLoopback() throws Exception {
        PrometheusMeterRegistry registry = GuardMetrics.newRegistry("poisoner");
        Counter.builder("guard.images.in").register(registry).increment(3);
        AtomicBoolean ready = new AtomicBoolean(false);
        try (GuardHttpServer server = GuardHttpServer.start("127.0.0.1", 0, registry)) {
            server.readiness(
                    () ->
                            ready.get()
                                    ? HealthStatus.up("stream RUNNING")
                                    : HealthStatus.down("stream REBALANCING"));
            server.addPage("/report", "text/html", () -> "<h1>report</h1>");
            assertThat(server.host()).isEqualTo("127.0.0.1");
            var metrics = get(server.metricsUrl());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("guard_images_in_total{service=\"poisoner\"} 3.0");
            assertThat(get(server.baseUrl() + "/health/live").statusCode()).isEqualTo(200);
            var notReady = get(server.baseUrl() + "/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"status\":\"DOWN\"").contains("REBALANCING");
            ready.set(true);
            assertThat(get(server.baseUrl() + "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(server.baseUrl() + "/report").body()).contains("<h1>report</h1>");
        }
    }

    @Test
    void withATokenPagesAskForItWhileMetricsAndHealthStayOpen() throws Exception {
        String secret = "s3cret-http-token-value";
        HttpToken token = HttpToken.of(secret);
        try (GuardHttpServer server =
                GuardHttpServer.start("127.0.0.1", 0, GuardMetrics.newRegistry("auditor"))) {
            server.requireToken(token).readiness(() -> HealthStatus.up("ok"));
            server.addPage(
                    "/audit",
                    ex -> {
                        if (GuardHttpServer.actionAllowed(ex)) {
                            GuardHttpServer.respond(ex, 202, "text/plain", "started\n");
                        }
                    });
            String run = server.baseUrl() + "/audit/run";

            var anonymous = get(run);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(anonymous.body()).doesNotContain(secret);
            assertThat(send(run, "POST", "Bearer wrong-token").statusCode()).isEqualTo(401);
            assertThat(send(run, "GET", token.authorization()).statusCode())
                    .as("the token does not make GET an action")
                    .isEqualTo(405);
            assertThat(send(run, "POST", token.authorization()).statusCode()).isEqualTo(202);

            assertThat(get(server.metricsUrl()).statusCode()).isEqualTo(200);
            assertThat(get(server.baseUrl() + "/health/ready").statusCode()).isEqualTo(200);
            assertThat(token.toString()).doesNotContain(secret);
        }
    }

    @Test
    void theTokenComesFromTheEnvironmentOrAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "from-a-file\n");
        assertThat(HttpToken.from(java.util.Map.of())).isEmpty();
        assertThat(HttpToken.from(java.util.Map.of(HttpToken.FILE_ENV, file.toString())))
                .hasValueSatisfying(t -> assertThat(t.accepts("Bearer from-a-file")).isTrue());
        assertThat(HttpToken.from(java.util.Map.of(HttpToken.ENV, "direct")))
                .hasValueSatisfying(
                        t -> {
                            assertThat(t.accepts("Bearer direct")).isTrue();
                            assertThat(t.accepts("Bearer directX")).isFalse();
                            assertThat(t.accepts("direct")).isFalse();
                        });
    }

    private HttpResponse<String> send(String url, String method, String authorization)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", authorization)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void endpointsFileRoundTripsAndIgnoresDeadStacks(@TempDir Path dir) throws Exception {
        Endpoints e =
                new Endpoints(
                        "127.0.0.1:9092",
                        "http://127.0.0.1:8080/apis/ccompat/v7",
                        "http://127.0.0.1:9464/metrics");
        e.write(dir);
        assertThat(Endpoints.read(dir)).contains(e);
        assertThat(Endpoints.resolve(null, null, dir)).isEqualTo(e);
        assertThat(e.readyLine())
                .isEqualTo(
                        "ScrapeGuard ready: bootstrap=127.0.0.1:9092"
                                + " registry=http://127.0.0.1:8080/apis/ccompat/v7"
                                + " metrics=http://127.0.0.1:9464/metrics");
        // a file left by a stack that died (its pid is gone) is not a running stack
        String text = Files.readString(Endpoints.file(dir)).replaceAll("pid=\\d+", "pid=999999999");
        Files.writeString(Endpoints.file(dir), text);
        assertThat(Endpoints.read(dir)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Endpoints.resolve(null, null, dir))
                .hasMessageContaining("./guard up");
    }
}
