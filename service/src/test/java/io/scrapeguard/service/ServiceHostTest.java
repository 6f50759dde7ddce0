package io.scrapeguard.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceHostTest {
    private final List<String> events = new ArrayList<>();

    private final class FakeService implements GuardService {
        final String name;
        volatile boolean alive = true;
        volatile boolean ready = false;

        FakeService(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start(GuardServiceContext context) {
            events.add("start " + name);
            context.registries().forService(name).counter("guard.test." + name).increment();
            context.http().addPage("/" + name, "text/plain", () -> "page of " + name);
        }

        @Override
        public HealthStatus live() {
            return alive ? HealthStatus.up("ok") : HealthStatus.down("broken");
        }

        @Override
        public HealthStatus ready() {
            return ready ? HealthStatus.up("ready") : HealthStatus.down("catching up");
        }

        @Override
        public void close() {
            events.add("close " + name);
        }
    }

    private static int status(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String body(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void startsInOrderAggregatesHealthAndClosesInReverse(@TempDir Path dir) throws Exception {
        FakeService poisoner = new FakeService("poisoner");
        FakeService auditor = new FakeService("auditor");
        ServiceHost host = new ServiceHost("b:9092", "http://r", dir, "127.0.0.1", 0, Map.of());
        String base = host.http().baseUrl();
        assertThat(status(base + "/health/ready")).isEqualTo(503);
        host.start(List.of(poisoner, auditor));
        assertThat(events).containsExactly("start poisoner", "start auditor");
        assertThat(status(base + "/health/ready")).isEqualTo(503);
        assertThat(body(base + "/health/ready")).contains("auditor: catching up");
        poisoner.ready = true;
        auditor.ready = true;
        assertThat(status(base + "/health/ready")).isEqualTo(200);
        assertThat(status(base + "/health/live")).isEqualTo(200);
        auditor.alive = false;
        assertThat(status(base + "/health/live")).isEqualTo(503);
        assertThat(body(base + "/health/live")).contains("auditor: broken");
        String metrics = body(host.endpoints().metricsUrl());
        assertThat(metrics)
                .contains("guard_test_poisoner_total{service=\"poisoner\"} 1.0")
                .contains("guard_test_auditor_total{service=\"auditor\"} 1.0");
        assertThat(body(base + "/auditor")).isEqualTo("page of auditor");
        host.close();
        host.close();
        assertThat(events).endsWith("close auditor", "close poisoner");
        host.awaitShutdown(); // returns at once after close
    }
}
