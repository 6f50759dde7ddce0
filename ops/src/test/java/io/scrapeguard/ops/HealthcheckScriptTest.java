package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The images' HEALTHCHECK script, run for real against a service's /health/ready. */
class HealthcheckScriptTest {
    private final AtomicInteger readyStatus = new AtomicInteger(200);
    private HttpServer server;

    @BeforeEach
    void startService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/health/ready",
                exchange -> {
                    int status = readyStatus.get();
                    byte[] body =
                            (status == 200
                                            ? "{\"status\":\"UP\"}"
                                            : "{\"status\":\"DOWN\",\"reason\":\"kafka"
                                                    + " unreachable\"}")
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(status, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
    }

    @AfterEach
    void stopService() {
        server.stop(0);
    }

    @Test
    void healthyOnlyWhenReadyAnswers200() {
        String port = String.valueOf(server.getAddress().getPort());
        Tools.Result ready = healthcheck(port);
        assertThat(ready.exitCode()).as(ready.output()).isZero();

        readyStatus.set(503);
        Tools.Result notReady = healthcheck(port);
        assertThat(notReady.exitCode()).isEqualTo(1);
        assertThat(notReady.output()).contains("503").contains("kafka unreachable");
    }

    @Test
    void unhealthyWhenNothingListens() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Tools.Result r = healthcheck(String.valueOf(closed));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("nothing listens on 127.0.0.1:" + closed);
    }

    private static Tools.Result healthcheck(String port) {
        return Tools.run(Repo.root(), List.of("bash", "ops/docker/healthcheck.sh", port));
    }
}
