package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.scrapeguard.serde.SchemaRegistryClient;
import io.scrapeguard.serde.SerdeConfig;
import io.scrapeguard.service.HealthStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry probe of the poisoner's readiness against a real (tiny) HTTP server, through the
 * serdes' own {@link SchemaRegistryClient}: UP while it answers, DOWN for 5xx and for no server, UP
 * again when it is back; the URL's credentials are sent but never shown; answers are reused for
 * {@link RegistryProbe#MAX_AGE} (an injected clock: nothing here waits for time to pass).
 */
class RegistryProbeTest {
    private static final String SECRET = "s3cr3t-pw";
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch hang = new CountDownLatch(1);
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private HttpServer server;
    private SchemaRegistryClient client;

    @AfterEach
    void tearDown() {
        hang.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop(0);
        }
        handlers.shutdownNow();
    }

    private HttpServer serve(int port) throws IOException {
        HttpServer s =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        s.setExecutor(handlers);
        s.createContext(
                "/",
                ex -> {
                    requests.add(
                            ex.getRequestMethod()
                                    + " "
                                    + ex.getRequestURI().getPath()
                                    + " "
                                    + ex.getRequestHeaders().getFirst("Authorization"));
                    int code = status.get();
                    if (code == 0) {
                        try {
                            hang.await(30, TimeUnit.SECONDS); // accepts, never answers
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        code = 200;
                    }
                    byte[] body = "[\"guard.images.raw-value\"]".getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(code, body.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(body);
                    }
                });
        s.start();
        return s;
    }

    private RegistryProbe probe(String urls, Duration timeout) {
        client =
                new SchemaRegistryClient(
                        new SerdeConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, urls)));
        return new RegistryProbe(client::probe, timeout, RegistryProbe.MAX_AGE, now::get);
    }

    private void later() {
        now.addAndGet(RegistryProbe.MAX_AGE.toNanos());
    }

    @Test
    void upWhileItAnswersDownFor5xxAndNoServerUpAgainWhenBackNeverShowingTheCredentials()
            throws IOException {
        server = serve(0);
        int port = server.getAddress().getPort();
        String base = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
        RegistryProbe probe =
                probe(
                        "http://guard:" + SECRET + "@127.0.0.1:" + port + "/apis/ccompat/v7",
                        RegistryProbe.TIMEOUT);

        HealthStatus up = probe.status();
        assertThat(up.up()).as(up.reason()).isTrue();
        assertThat(up.reason()).contains("schema registry at " + base, "answers");
        assertThat(requests)
                .as("the serdes' credentials, from the URL")
                .containsExactly(
                        "GET /apis/ccompat/v7/subjects Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                ("guard:" + SECRET)
                                                        .getBytes(StandardCharsets.UTF_8)));

        status.set(503);
        for (int i = 0; i < 20; i++) {
            assertThat(probe.status().up()).as("the last answer, reused").isTrue();
        }
        assertThat(requests).as("one request per MAX_AGE, however often asked").hasSize(1);
        later();
        HealthStatus unavailable = probe.status();
        assertThat(unavailable.up()).isFalse();
        assertThat(unavailable.reason())
                .contains("schema registry at " + base, "not available", "HTTP 503");

        status.set(401);
        later();
        HealthStatus refused = probe.status();
        assertThat(refused.up()).isFalse();
        assertThat(refused.reason()).contains("refuses our credentials", "HTTP 401");

        status.set(404);
        later();
        assertThat(probe.status().up()).as("a 404 is an answer, not an outage").isTrue();

        server.stop(0);
        later();
        HealthStatus gone = probe.status();
        assertThat(gone.up()).isFalse();
        assertThat(gone.reason()).contains("schema registry at " + base, "unreachable");

        status.set(200);
        server = serve(port);
        later();
        HealthStatus back = probe.status();
        assertThat(back.up()).as(back.reason()).isTrue();

        for (HealthStatus s : List.of(up, unavailable, refused, gone, back)) {
            assertThat(s.reason())
                    .doesNotContain(SECRET)
                    .doesNotContain("guard:")
                    .doesNotContain("@");
        }
    }

    @Test
    void aServerThatNeverAnswersIsDownWithinTheTimeoutNotLater() throws IOException {
        server = serve(0);
        status.set(0);
        Duration timeout = Duration.ofMillis(300);
        RegistryProbe probe =
                probe(
                        "http://guard:" + SECRET + "@127.0.0.1:" + server.getAddress().getPort(),
                        timeout);
        long start = System.nanoTime();
        HealthStatus s = probe.status();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(s.up()).isFalse();
        assertThat(s.reason())
                .contains("unreachable", "no answer within 300 ms")
                .doesNotContain(SECRET);
        // the timeout plus the client's and the probe's margins, with room for a busy machine
        assertThat(tookMs).isLessThan(5_000);
    }

    @Test
    void oneAnsweringUrlOfSeveralIsEnough() throws IOException {
        server = serve(0);
        int alive = server.getAddress().getPort();
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        RegistryProbe probe =
                probe(
                        "http://127.0.0.1:" + dead + ",http://127.0.0.1:" + alive,
                        RegistryProbe.TIMEOUT);
        assertThat(probe.status().up()).isTrue();
        server.stop(0);
        later();
        HealthStatus none = probe.status();
        assertThat(none.up()).isFalse();
        assertThat(none.reason())
                .contains("127.0.0.1:" + dead + " unreachable")
                .contains("127.0.0.1:" + alive + " unreachable");
    }
}
