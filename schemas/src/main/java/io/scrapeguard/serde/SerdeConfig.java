package io.scrapeguard.serde;

import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the Avro serde, with Confluent's key names so existing client configs work
 * unchanged.
 */
public final class SerdeConfig {
    /**
     * Comma-separated registry base URLs, e.g. {@code http://localhost:8081} or Apicurio's {@code
     * http://host:8080/apis/ccompat/v7}. Required.
     */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

    /**
     * Whether the serializer registers unknown schemas (default true); when false it only looks the
     * schema up under its subject and fails if it is not registered.
     */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

    /**
     * Whether the deserializer returns generated (specific) classes instead of GenericRecord
     * (default false).
     */
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

    /** {@code USER_INFO} (or {@code URL}) to send HTTP basic credentials. */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";

    /** {@code user:password} for {@code basic.auth.credentials.source=USER_INFO}. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    /** ScrapeGuard's own: time limit of one registry request in ms (default 10000). */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    private final Map<String, ?> values;

    public SerdeConfig(Map<String, ?> values) {
        this.values = Map.copyOf(values);
    }

    public List<String> registryUrls() {
        Object raw = values.get(SCHEMA_REGISTRY_URL);
        List<String> urls =
                raw instanceof List<?> list
                        ? list.stream().map(String::valueOf).toList()
                        : raw == null
                                ? List.of()
                                : Arrays.stream(String.valueOf(raw).split(","))
                                        .map(String::trim)
                                        .filter(s -> !s.isEmpty())
                                        .toList();
        if (urls.isEmpty()) {
            throw new ConfigException(
                    "Missing '"
                            + SCHEMA_REGISTRY_URL
                            + "': set it to the registry's URL (Apicurio:"
                            + " http://host:port/apis/ccompat/v7)");
        }
        return urls;
    }

    public boolean autoRegisterSchemas() {
        return bool(AUTO_REGISTER_SCHEMAS, true);
    }

    public boolean specificAvroReader() {
        return bool(SPECIFIC_AVRO_READER, false);
    }

    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        Object raw = values.get(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY);
        if (raw instanceof Class<?> c) {
            raw = c.getName();
        }
        return SubjectNameStrategy.parse(raw == null ? null : String.valueOf(raw));
    }

    public Duration requestTimeout() {
        Object raw = values.get(REQUEST_TIMEOUT_MS);
        return Duration.ofMillis(raw == null ? 10_000 : Long.parseLong(String.valueOf(raw).trim()));
    }

    /** {@code user:password} when basic auth is configured, else null. */
    public String basicAuthUserInfo() {
        Object source = values.get(BASIC_AUTH_CREDENTIALS_SOURCE);
        Object userInfo = values.get(BASIC_AUTH_USER_INFO);
        if (userInfo == null) {
            userInfo = values.get("schema.registry." + BASIC_AUTH_USER_INFO);
        }
        if (source != null && "URL".equalsIgnoreCase(String.valueOf(source))) {
            return null; // credentials ride in the URL; the client reads them from there
        }
        return userInfo == null ? null : String.valueOf(userInfo);
    }

    private boolean bool(String key, boolean defaultValue) {
        Object raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(raw).trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(key, raw, "expected true or false");
    }
}
