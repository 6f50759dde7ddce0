package io.scrapeguard.service;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoint every ScrapeGuard service serves: {@code /metrics} (Prometheus text), {@code
 * /health/live} and {@code /health/ready} (JSON, 200 or 503), plus any extra page a service adds
 * (the auditor's report). JDK {@code com.sun.net.httpserver}: no web framework for four pages.
 * Bound to 127.0.0.1 unless told otherwise. With a {@link HttpToken} the added pages answer 401
 * without it; {@code /metrics} and {@code /health/*} stay open for Prometheus and probes.
 */
public final class GuardHttpServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.0.1";

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile HealthCheck live = HealthCheck.ALWAYS_UP;
    private volatile HealthCheck ready = () -> HealthStatus.down("starting");
    private volatile HttpToken token;

    private GuardHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on host:port (port 0 = a free port). */
    public static GuardHttpServer start(String host, int port, PrometheusMeterRegistry registry) {
        return start(host, port, registry::scrape);
    }

    /**
     * Starts serving on host:port with a scrape body of its own (e.g. several services' registries,
     * each with its own meter families, one after the other).
     */
    public static GuardHttpServer start(
            String host, int port, java.util.function.Supplier<String> scrape) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serve metrics on "
                            + host
                            + ":"
                            + port
                            + " ("
                            + e.getMessage()
                            + "); choose another --metrics-port",
                    e);
        }
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "guard-http");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        GuardHttpServer guard = new GuardHttpServer(server, executor);
        server.createContext(
                "/metrics",
                ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get()));
        server.createContext("/health/live", ex -> health(ex, guard.live));
        server.createContext("/health/ready", ex -> health(ex, guard.ready));
        server.start();
        return guard;
    }

    public GuardHttpServer liveness(HealthCheck check) {
        this.live = check;
        return this;
    }

    public GuardHttpServer readiness(HealthCheck check) {
        this.ready = check;
        return this;
    }

    /** Asks for this bearer token on every added page (null: none asked for). */
    public GuardHttpServer requireToken(HttpToken token) {
        this.token = token;
        return this;
    }

    /** Adds a page, e.g. the auditor's HTML report at {@code /report}. */
    public void addPage(String path, HttpHandler handler) {
        server.createContext(path, handler).getFilters().add(tokenFilter());
    }

    /** Adds a page whose body is produced on every request. */
    public void addPage(String path, String contentType, java.util.function.Supplier<String> body) {
        addPage(path, ex -> respond(ex, 200, contentType, body.get()));
    }

    private Filter tokenFilter() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange ex, Chain chain) throws IOException {
                HttpToken t = token;
                if (t == null || t.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
                    chain.doFilter(ex);
                } else {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    respond(
                            ex,
                            401,
                            "text/plain",
                            "a bearer token is required (GUARD_HTTP_TOKEN)\n");
                }
            }

            @Override
            public String description() {
                return "bearer token";
            }
        };
    }

    /**
     * For an action (a page that changes something): true when the request may go on; otherwise
     * answers 405 to anything but POST (a link or an image tag cannot start it) and 403 to a
     * browser POST from another site (a form elsewhere cannot either), and returns false.
     */
    public static boolean actionAllowed(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            respond(ex, 405, "text/plain", "use POST\n");
            return false;
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origin != null && (host == null || !origin.equals("http://" + host))) {
            respond(ex, 403, "text/plain", "cross-site requests are refused\n");
            return false;
        }
        return true;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    /** The metrics URL, e.g. {@code http://127.0.0.1:9464/metrics}. */
    public String metricsUrl() {
        return "http://" + host() + ":" + port() + "/metrics";
    }

    public String baseUrl() {
        return "http://" + host() + ":" + port();
    }

    private static void health(HttpExchange ex, HealthCheck check) throws IOException {
        HealthStatus status;
        try {
            status = check.check();
        } catch (RuntimeException e) {
            status = HealthStatus.down("health check failed: " + e.getMessage());
        }
        respond(ex, status.up() ? 200 : 503, "application/json", status.toJson());
    }

    public static void respond(HttpExchange ex, int code, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
