package io.scrapeguard.service;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Where the cluster is, for commands that talk to a running stack ({@code publish}, {@code
 * poisoner}, {@code export}, the auditor's): explicit options, else the data dir of {@code ./guard
 * up}. A picocli mixin.
 */
public final class ClusterOptions {
    @Option(names = "--data-dir", description = "data dir of ./guard up (default: .guard)")
    public Path dataDir;

    @Option(
            names = "--bootstrap-servers",
            description = "Kafka bootstrap servers (default: from the data dir)")
    public String bootstrapServers;

    @Option(
            names = "--schema-registry",
            description = "schema registry URL (default: from the data dir)")
    public String registryUrl;

    public Endpoints resolve() {
        return Endpoints.resolve(bootstrapServers, registryUrl, dataDir);
    }

    public Path dataDirOrDefault() {
        return dataDir == null ? Endpoints.DEFAULT_DATA_DIR : dataDir;
    }
}
