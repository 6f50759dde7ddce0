package io.scrapeguard.serde;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

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

    /** {@code STATIC_TOKEN} to send {@link #BEARER_AUTH_TOKEN} as a bearer token. */
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";

    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

    /** Prefix of the registry's TLS settings: truststore/keystore location, password, type. */
    public static final String SSL_PREFIX = "schema.registry.ssl.";

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

    /** The static bearer token when configured, else null. */
    public String bearerToken() {
        Object source = values.get(BEARER_AUTH_CREDENTIALS_SOURCE);
        Object token = values.get(BEARER_AUTH_TOKEN);
        if (token == null) {
            return null;
        }
        if (source != null && !"STATIC_TOKEN".equalsIgnoreCase(String.valueOf(source))) {
            throw new ConfigException(
                    BEARER_AUTH_CREDENTIALS_SOURCE, source, "only STATIC_TOKEN is supported");
        }
        return String.valueOf(token);
    }

    /** A TLS context from the {@code schema.registry.ssl.*} stores, or null for the JDK's. */
    public SSLContext sslContext() {
        String trustStore = string(SSL_PREFIX + "truststore.location");
        String keyStore = string(SSL_PREFIX + "keystore.location");
        if (trustStore == null && keyStore == null) {
            return null;
        }
        try {
            TrustManagerFactory tmf = null;
            if (trustStore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store("truststore", trustStore));
            }
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = string(SSL_PREFIX + "key.password");
                if (keyPassword == null) {
                    keyPassword = string(SSL_PREFIX + "keystore.password");
                }
                kmf.init(store("keystore", keyStore), chars(keyPassword));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(
                    kmf == null ? null : kmf.getKeyManagers(),
                    tmf == null ? null : tmf.getTrustManagers(),
                    null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            // no password in the message: the store's name and the cause's class only
            throw new ConfigException(
                    "cannot load the registry's TLS stores ("
                            + SSL_PREFIX
                            + "*): "
                            + e.getClass().getSimpleName());
        }
    }

    private KeyStore store(String kind, String location)
            throws GeneralSecurityException, IOException {
        String type = string(SSL_PREFIX + kind + ".type");
        KeyStore ks = KeyStore.getInstance(type != null ? type : "PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            ks.load(in, chars(string(SSL_PREFIX + kind + ".password")));
        }
        return ks;
    }

    private static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }

    private String string(String key) {
        Object raw = values.get(key);
        return raw == null || String.valueOf(raw).isBlank() ? null : String.valueOf(raw).trim();
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
