package io.scrapeguard.service;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the cluster is and how to log in, for commands that talk to a running stack ({@code
 * publish}, {@code poisoner}, {@code export}, {@code auditor}, {@code audit --now}): explicit
 * options, else {@code GUARD_BOOTSTRAP_SERVERS} / {@code GUARD_REGISTRY_URL}, else the data dir of
 * {@code ./guard up}; client settings as in {@link ClientSettings}. A picocli mixin.
 */
public final class ClusterOptions {
    @Option(names = "--data-dir", description = "data dir of ./guard up (default: .guard)")
    public Path dataDir;

    @Option(
            names = "--bootstrap-servers",
            description =
                    "Kafka bootstrap servers (default: $GUARD_BOOTSTRAP_SERVERS, else the data"
                            + " dir)")
    public String bootstrapServers;

    @Option(
            names = "--schema-registry",
            description = "schema registry URL (default: $GUARD_REGISTRY_URL, else the data dir)")
    public String registryUrl;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties (security.protocol, sasl.*, ssl.*) for every client"
                            + " of this command (default: $GUARD_KAFKA_CONFIG)")
    public Path kafkaConfig;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "Kafka client setting over --kafka-config, repeatable")
    public Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(
            names = "--registry-config",
            paramLabel = "FILE",
            description =
                    "schema registry client properties (basic.auth.*, bearer.auth.*,"
                            + " schema.registry.ssl.*) (default: $GUARD_REGISTRY_CONFIG)")
    public Path registryConfig;

    /** The endpoints and the client settings of this command. */
    public Endpoints resolve() {
        ClientSettings clients =
                ClientSettings.load(kafkaConfig, kafkaProperties, registryConfig, System.getenv());
        String bootstrap =
                bootstrapServers != null || System.getenv(Endpoints.BOOTSTRAP_ENV) != null
                        ? bootstrapServers
                        : clients.kafka().get("bootstrap.servers");
        String registry =
                registryUrl != null || System.getenv(Endpoints.REGISTRY_ENV) != null
                        ? registryUrl
                        : clients.registry().get("schema.registry.url");
        return Endpoints.resolve(bootstrap, registry, dataDir).withClients(clients);
    }

    public Path dataDirOrDefault() {
        return dataDir == null ? Endpoints.DEFAULT_DATA_DIR : dataDir;
    }
}
