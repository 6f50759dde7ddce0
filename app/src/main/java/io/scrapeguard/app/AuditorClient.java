package io.scrapeguard.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Talks to the running auditor the way any client would: its pages beside the metrics ({@code
 * /audit/status}, {@code POST /audit/run}, {@code /audit/report.json}), so the demo shows the
 * service as deployed rather than a private shortcut into it. Sends {@code GUARD_HTTP_TOKEN} when
 * the environment has one, as the endpoint then asks for it.
 */
final class AuditorClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final java.util.Optional<io.scrapeguard.service.HttpToken> token =
            io.scrapeguard.service.HttpToken.fromEnvironment();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param baseUrl the HTTP endpoint of ./guard up, e.g. http://127.0.0.1:9464
     */
    AuditorClient(String baseUrl) {
        this.base = baseUrl + "/audit/";
    }

    String reportUrl() {
        return base;
    }

    JsonNode status() {
        return json(get("status"));
    }

    /**
     * Waits until the auditor has joined {@code expected} (raw, protected) pairs, or stops growing
     * for a while (images it cannot pair are counted as skipped in its report).
     */
    long awaitPairs(long expected, Duration timeout, Consumer<String> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        long lastLine = 0;
        while (true) {
            long joined = status().path("pairs_joined").asLong();
            long now = System.nanoTime();
            if (joined != last) {
                last = joined;
                lastChange = now;
            }
            if (joined >= expected || now > deadline || now - lastChange > 30_000_000_000L) {
                progress.accept(
                        "the auditor has joined "
                                + joined
                                + " of "
                                + expected
                                + " (raw, protected) pairs");
                return joined;
            }
            if (now - lastLine > 3_000_000_000L) {
                lastLine = now;
                progress.accept(
                        "the auditor has joined " + joined + " of " + expected + " pairs ...");
            }
            sleep(200);
        }
    }

    /**
     * Starts one audit and waits for its report, passing the auditor's status lines on as they
     * change. Returns the report's JSON.
     */
    JsonNode runAudit(Duration timeout, Consumer<String> progress) {
        String before = status().path("last_report").asText(null);
        HttpResponse<String> started =
                send(request("run").POST(HttpRequest.BodyPublishers.noBody()).build());
        if (started.statusCode() != 202) {
            throw new IllegalStateException(
                    "the auditor did not start an audit: HTTP "
                            + started.statusCode()
                            + " "
                            + started.body().strip());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastStatus = null;
        while (true) {
            JsonNode s = status();
            String line = s.path("status").asText("");
            if (!line.equals(lastStatus)) {
                lastStatus = line;
                progress.accept(line);
            }
            String report = s.path("last_report").asText(null);
            if (!s.path("auditing").asBoolean()
                    && report != null
                    && !Objects.equals(report, before)) {
                return json(get("report.json"));
            }
            if (!s.path("auditing").asBoolean() && line.startsWith("last audit failed")) {
                throw new IllegalStateException("the audit failed: " + line);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the audit did not finish within "
                                + timeout.toSeconds()
                                + " s (last status: "
                                + line
                                + ")");
            }
            sleep(100);
        }
    }

    private String get(String page) {
        HttpResponse<String> r = send(request(page).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET "
                            + base
                            + page
                            + ": HTTP "
                            + r.statusCode()
                            + (r.statusCode() == 404
                                    ? " (is the auditor running? it is part of ./guard"
                                            + " up unless --set auditor.enabled=false)"
                                    : "")
                            + (r.statusCode() == 401
                                    ? " (set GUARD_HTTP_TOKEN to the endpoint's token)"
                                    : ""));
        }
        return r.body();
    }

    private HttpRequest.Builder request(String page) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + page)).timeout(Duration.ofSeconds(30));
        token.ifPresent(t -> b.header("Authorization", t.authorization()));
        return b;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot reach the auditor at " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to the auditor", e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the auditor answered something that is not JSON: " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
