package io.scrapeguard.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A small client of the Confluent Schema Registry REST API, also spoken by Apicurio Registry at
 * {@code /apis/ccompat/v7}. Caches ids and schemas (they never change once registered), so a
 * running serializer or deserializer needs the registry only for schemas it has not seen.
 *
 * <p>Errors: {@link RegistryUnavailableException} (retriable) when no registry URL answers or it
 * answers 408/429/401/403/5xx; {@link IncompatibleSchemaException} for 409; {@link
 * SchemaRegistryException} for other error answers. Thread-safe.
 *
 * <p>Apicurio differences handled here: it wants the {@code application/vnd.schemaregistry.v1+json}
 * content type; its ids are content ids (the same schema text under two subjects gets one id, as in
 * Confluent); a compatibility level set on a subject that does not exist yet may be refused, so
 * {@link #setCompatibility} falls back to nothing but reports it.
 */
public final class SchemaRegistryClient implements AutoCloseable {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json;"
                    + " qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Endpoint> endpoints;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

    private record Endpoint(String base, String authorization) {
        @Override
        public String toString() {
            return base; // never the credentials
        }
    }

    /** A client for one or more comma-separated base URLs with a 10 s request timeout. */
    public SchemaRegistryClient(String urls) {
        this(new SerdeConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, urls)));
    }

    public SchemaRegistryClient(SerdeConfig config) {
        String userInfo = config.basicAuthUserInfo();
        String bearer = config.bearerToken();
        List<Endpoint> list = new ArrayList<>();
        for (String url : config.registryUrls()) {
            Endpoint e = endpoint(url, userInfo);
            list.add(bearer == null ? e : new Endpoint(e.base(), "Bearer " + bearer));
        }
        this.endpoints = List.copyOf(list);
        this.timeout = config.requestTimeout();
        HttpClient.Builder builder =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(timeout);
        javax.net.ssl.SSLContext tls = config.sslContext();
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    private static Endpoint endpoint(String url, String userInfo) {
        // never URI.create: its error repeats the URL, a password in it included
        URI uri = RegistryUrls.parse(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        String inUrl = uri.getRawUserInfo();
        String credentials = userInfo != null ? userInfo : inUrl;
        String base = url;
        if (inUrl != null) {
            base = url.replace(inUrl + "@", "");
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String auth =
                credentials == null
                        ? null
                        : "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                credentials.getBytes(StandardCharsets.UTF_8));
        return new Endpoint(base, auth);
    }

    /** The first configured base URL (without credentials). */
    public String baseUrl() {
        return endpoints.get(0).base();
    }

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its id. */
    public int register(String subject, Schema schema) {
        return idOf(subject, schema, true);
    }

    /**
     * Looks up the id of {@code schema} under {@code subject} without registering it.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#isNotFound()} when the
     *     subject or the schema is not registered
     */
    public int lookup(String subject, Schema schema) {
        return idOf(subject, schema, false);
    }

    /** POSTs {@code schema} (to register or to look up) once; the id is cached. */
    private int idOf(String subject, Schema schema, boolean register) {
        Map<Schema, Integer> ids =
                idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema); // every record asks: nothing else before the cache
        if (cached != null) {
            return cached;
        }
        String path = "/subjects/" + encode(subject) + (register ? "/versions" : "");
        JsonNode answer = send("POST", path, schemaBody(schema), subject, schema);
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException(
                    "Registry answered "
                            + path
                            + " for subject '"
                            + subject
                            + "' without an id: "
                            + answer,
                    200,
                    -1);
        }
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    private static ObjectNode schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        body.put("schemaType", "AVRO");
        return body;
    }

    /**
     * The schema with {@code id}.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#isNotFound()} for an
     *     unknown id
     */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null, null, null);
        String type = answer.path("schemaType").asText("AVRO");
        if (!type.isEmpty() && !"AVRO".equalsIgnoreCase(type)) {
            throw new SchemaRegistryException(
                    "Schema id " + id + " is a " + type + " schema, not Avro", 200, -1);
        }
        String text = answer.path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException(
                    "Registry answered without a schema for id " + id + ": " + answer, 200, -1);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(
                    "Schema id " + id + " is not a valid Avro schema: " + e.getMessage(), 200, -1);
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /** Versions registered under {@code subject}, oldest first; empty when it does not exist. */
    public List<Integer> versions(String subject) {
        try {
            JsonNode answer =
                    send("GET", "/subjects/" + encode(subject) + "/versions", null, subject, null);
            List<Integer> versions = new ArrayList<>();
            answer.forEach(v -> versions.add(v.asInt()));
            return versions;
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return List.of();
            }
            throw e;
        }
    }

    /** All subjects of the registry. */
    public List<String> subjects() {
        JsonNode answer = send("GET", "/subjects", null, null, null);
        List<String> subjects = new ArrayList<>();
        answer.forEach(v -> subjects.add(v.asText()));
        return subjects;
    }

    /**
     * The compatibility level of {@code subject} (falling back to the global level), e.g. BACKWARD.
     */
    public String compatibility(String subject) {
        try {
            JsonNode answer =
                    send(
                            "GET",
                            "/config/" + encode(subject) + "?defaultToGlobal=true",
                            null,
                            subject,
                            null);
            return level(answer);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return globalCompatibility();
            }
            throw e;
        }
    }

    /** The registry-wide default compatibility level. */
    public String globalCompatibility() {
        return level(send("GET", "/config", null, null, null));
    }

    /**
     * Sets the compatibility level of {@code subject} (NONE, BACKWARD, FORWARD, FULL,
     * ..._TRANSITIVE).
     */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode();
        body.put("compatibility", level);
        send("PUT", "/config/" + encode(subject), body, subject, null);
    }

    /** Sets the registry-wide default compatibility level. */
    public void setGlobalCompatibility(String level) {
        ObjectNode body = JSON.createObjectNode();
        body.put("compatibility", level);
        send("PUT", "/config", body, null, null);
    }

    /** Whether {@code schema} may be registered next under {@code subject}. */
    public boolean isCompatible(String subject, Schema schema) {
        ObjectNode body = schemaBody(schema);
        try {
            JsonNode answer =
                    send(
                            "POST",
                            "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                            body,
                            subject,
                            schema);
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return true; // nothing registered yet: anything goes
            }
            throw e;
        }
    }

    /** What one {@link #probe} found: whether a registry answers, and why in words (no secrets). */
    public record Reachability(boolean reachable, String reason) {}

    /** The endpoint {@link #probe} asks; every Confluent-compatible registry serves it. */
    static final String PROBE_PATH = "/subjects";

    /**
     * Asks every configured URL at once whether a registry answers: {@code GET /subjects} with the
     * credentials and TLS settings of every other request, the body discarded. {@code /subjects}
     * rather than {@code /config}: a principal allowed to use its subjects may be refused the
     * global config, while the subject list is only filtered.
     *
     * <p>Reachable is decided as every other request decides what is retriable: no connection, no
     * answer within {@code timeout}, 408, 429, 5xx and refused credentials (401/403) are
     * "unreachable", because each would make the serdes' next registry call a {@link
     * RegistryUnavailableException}. Any other answer, a 404 included, is a registry (or at least a
     * server at that URL) that answers: a wrong path is a configuration error the serdes report
     * themselves, not an outage.
     *
     * <p>Never fails, never blocks: the future completes within about {@code timeout} with the
     * first URL that answers, or with every URL's reason when none does. Reasons name the URL
     * without its user info, never a header.
     */
    public CompletableFuture<Reachability> probe(Duration timeout) {
        List<CompletableFuture<Reachability>> each = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            each.add(probe(endpoint, timeout));
        }
        CompletableFuture<Reachability> answered = new CompletableFuture<>();
        each.forEach(
                f ->
                        f.thenAccept(
                                r -> {
                                    if (r.reachable()) {
                                        answered.complete(r);
                                    }
                                }));
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .whenComplete(
                        (ignored, e) ->
                                answered.complete(
                                        new Reachability(
                                                false,
                                                String.join(
                                                        "; ",
                                                        each.stream()
                                                                .map(f -> f.join().reason())
                                                                .toList()))));
        return answered;
    }

    private CompletableFuture<Reachability> probe(Endpoint endpoint, Duration timeout) {
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(endpoint.base() + PROBE_PATH))
                            .timeout(timeout)
                            .header("Accept", ACCEPT)
                            .GET();
            if (endpoint.authorization() != null) {
                request.header("Authorization", endpoint.authorization());
            }
            sent = http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            // a URL the client cannot use: its class only, the message may repeat the URL
            return CompletableFuture.completedFuture(
                    unreachable(endpoint, e.getClass().getSimpleName()));
        }
        String late = "no answer within " + timeout.toMillis() + " ms";
        return sent.handle((response, e) -> reachability(endpoint, response, e, late))
                // the request timeout may not cover every phase (a TLS handshake): a bound anyway
                .completeOnTimeout(
                        unreachable(endpoint, late),
                        timeout.toMillis() + 250,
                        TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> sent.cancel(true)) // a no-op once it answered
                .exceptionally(e -> unreachable(endpoint, e.getClass().getSimpleName()));
    }

    private static Reachability reachability(
            Endpoint endpoint, HttpResponse<Void> response, Throwable e, String late) {
        if (e != null) {
            Throwable cause =
                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof java.net.http.HttpTimeoutException) {
                return unreachable(endpoint, late);
            }
            return unreachable(
                    endpoint,
                    cause instanceof IOException io
                            ? describe(io)
                            : cause.getClass().getSimpleName());
        }
        int status = response.statusCode();
        String what = "HTTP " + status + " for GET " + PROBE_PATH;
        if (unavailable(status)) {
            return new Reachability(
                    false,
                    "schema registry at "
                            + endpoint.base()
                            + (refused(status)
                                    ? " refuses our credentials ("
                                    : " is not available (")
                            + what
                            + ")");
        }
        return new Reachability(
                true, "schema registry at " + endpoint.base() + " answers (" + what + ")");
    }

    private static Reachability unreachable(Endpoint endpoint, String why) {
        return new Reachability(
                false, "schema registry at " + endpoint.base() + " unreachable: " + why);
    }

    /** Answers that mean the registry cannot serve us now, whatever we ask: retried, not failed. */
    static boolean unavailable(int status) {
        return status == 408 || status == 429 || status >= 500 || refused(status);
    }

    private static boolean refused(int status) {
        return status == 401 || status == 403;
    }

    /** Forgets cached ids and schemas (tests; a registry that was wiped). */
    public void clearCaches() {
        schemasById.clear();
        idsBySubject.clear();
    }

    @Override
    public void close() {
        http.close();
    }

    private static String level(JsonNode answer) {
        JsonNode level = answer.get("compatibilityLevel");
        if (level == null) {
            level = answer.get("compatibility");
        }
        return level == null ? "" : level.asText();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(
            String method, String path, JsonNode body, String subject, Schema schema) {
        RegistryUnavailableException unavailable = null;
        for (Endpoint endpoint : endpoints) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(endpoint.base() + path))
                            .timeout(timeout)
                            .header("Accept", ACCEPT);
            if (endpoint.authorization() != null) {
                request.header("Authorization", endpoint.authorization());
            }
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
                request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                unavailable =
                        new RegistryUnavailableException(
                                "Schema registry at "
                                        + endpoint.base()
                                        + " is unreachable ("
                                        + method
                                        + " "
                                        + path
                                        + "): "
                                        + describe(e)
                                        + "; the request will succeed once it is back",
                                e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(
                        "Interrupted while calling the schema registry at " + endpoint.base(), e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return parse(response.body(), endpoint, path, status);
            }
            // 5xx, throttling and refused credentials are the registry's state, not the
            // request's: retried, so no record is dead-lettered for an outage
            if (unavailable(status)) {
                unavailable =
                        new RegistryUnavailableException(
                                "Schema registry at "
                                        + endpoint.base()
                                        + (refused(status)
                                                ? " refuses our credentials"
                                                : " is not available")
                                        + " (HTTP "
                                        + status
                                        + " for "
                                        + method
                                        + " "
                                        + path
                                        + ")");
                continue;
            }
            throw error(response, endpoint, method, path, subject);
        }
        throw unavailable;
    }

    /**
     * The exception's class and message, or the first message among its causes when it has none.
     */
    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return name + ": " + message;
            }
        }
        // the HTTP client's ConnectException says nothing, nor does its cause
        return e instanceof java.net.ConnectException
                ? name + ": connection refused or host unreachable"
                : name;
    }

    private static JsonNode parse(String text, Endpoint endpoint, String path, int status) {
        try {
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    "Schema registry at "
                            + endpoint.base()
                            + " answered "
                            + path
                            + " with something that is not JSON: "
                            + text.substring(0, Math.min(200, text.length())),
                    status,
                    -1);
        }
    }

    private SchemaRegistryException error(
            HttpResponse<String> response,
            Endpoint endpoint,
            String method,
            String path,
            String subject) {
        int status = response.statusCode();
        int errorCode = -1;
        String message = response.body();
        try {
            JsonNode json = JSON.readTree(response.body());
            errorCode = json.path("error_code").asInt(-1);
            if (json.hasNonNull("message")) {
                message = json.get("message").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: keep the raw body
        }
        String what = method + " " + path + " at " + endpoint.base();
        if (status == 409) {
            String level = "";
            try {
                level = " under compatibility level " + compatibility(subject);
            } catch (RuntimeException ignored) {
                // best effort: the refusal is what matters
            }
            return new IncompatibleSchemaException(
                    "Schema registry refused the schema for subject '"
                            + subject
                            + "' as incompatible with an earlier version"
                            + level
                            + ": "
                            + message
                            + " (add new fields with defaults, or change the subject's"
                            + " compatibility on purpose)",
                    status,
                    errorCode);
        }
        return new SchemaRegistryException(
                "Schema registry error HTTP "
                        + status
                        + (errorCode >= 0 ? " (error code " + errorCode + ")" : "")
                        + " for "
                        + what
                        + ": "
                        + message,
                status,
                errorCode);
    }
}
