package io.scrapeguard.service;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Client settings beyond the addresses, given once per command and applied to every Kafka client it
 * creates (streams, producers, consumers, admin, the label log) and to its registry client: SASL,
 * TLS, timeouts. Values may be secrets, so {@link #toString()} names keys only and nothing here is
 * written to {@code endpoints.properties}.
 *
 * <p>Sources, later ones winning: {@code GUARD_KAFKA_CONFIG} (a file), {@code --kafka-config FILE},
 * {@code --kafka-property k=v}; for the registry {@code GUARD_REGISTRY_CONFIG} or {@code
 * --registry-config FILE} with Confluent's keys ({@code basic.auth.*}, {@code bearer.auth.*},
 * {@code schema.registry.ssl.*}).
 */
public record ClientSettings(Map<String, String> kafka, Map<String, String> registry) {
    public static final ClientSettings NONE = new ClientSettings(Map.of(), Map.of());
    public static final String KAFKA_CONFIG_ENV = "GUARD_KAFKA_CONFIG";
    public static final String REGISTRY_CONFIG_ENV = "GUARD_REGISTRY_CONFIG";

    public ClientSettings {
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
    }

    /** Reads the files and options of one command; {@code env} is normally System.getenv(). */
    public static ClientSettings load(
            Path kafkaConfig,
            Map<String, String> kafkaProperties,
            Path registryConfig,
            Map<String, String> env) {
        Map<String, String> kafka = new HashMap<>();
        Path kafkaFile = kafkaConfig != null ? kafkaConfig : pathFrom(env.get(KAFKA_CONFIG_ENV));
        if (kafkaFile != null) {
            kafka.putAll(read(kafkaFile));
        }
        kafka.putAll(kafkaProperties);
        Path registryFile =
                registryConfig != null ? registryConfig : pathFrom(env.get(REGISTRY_CONFIG_ENV));
        Map<String, String> registry = registryFile == null ? Map.of() : read(registryFile);
        return new ClientSettings(kafka, registry);
    }

    private static Path pathFrom(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("client config " + file + " does not exist");
        } catch (IOException e) {
            // the message names the file only: its lines may hold passwords
            throw new UncheckedIOException("cannot read client config " + file, e);
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }

    /** The settings of every Kafka client, with {@code bootstrap.servers} set. */
    public Map<String, Object> kafkaConfig(String bootstrapServers) {
        Map<String, Object> out = new HashMap<>(kafka);
        out.put("bootstrap.servers", bootstrapServers);
        return out;
    }

    /** The registry client's settings (Confluent keys), with {@code schema.registry.url} set. */
    public Map<String, Object> registryConfig(String registryUrl) {
        Map<String, Object> out = new HashMap<>(registry);
        out.put("schema.registry.url", registryUrl);
        return out;
    }

    /** Keys only: values may be passwords. */
    @Override
    public String toString() {
        return "ClientSettings[kafka="
                + new TreeMap<>(kafka).keySet()
                + ", registry="
                + new TreeMap<>(registry).keySet()
                + "]";
    }
}
