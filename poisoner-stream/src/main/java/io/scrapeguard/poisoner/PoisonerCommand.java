package io.scrapeguard.poisoner;

import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.schemas.PublishingKey;
import io.scrapeguard.service.ClusterOptions;
import io.scrapeguard.service.Endpoints;
import io.scrapeguard.service.MetricsOptions;
import io.scrapeguard.service.ServiceHost;
import io.scrapeguard.service.ShutdownOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./guard poisoner}: one more poisoner instance against a running stack or a cluster. */
@Command(
        name = "poisoner",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a poisoner instance (Kafka Streams, exactly-once) against the stack of ./guard up"
                    + " or a cluster: raw -> protected, fail-closed to the dead-letter topic.",
            "Instances with the same --application-id share the work; Ctrl-C stops it gracefully."
        })
public final class PoisonerCommand implements Callable<Integer> {
    @Option(
            names = "--state-dir",
            description = "Kafka Streams state dir (default: a temporary one)")
    Path stateDir;

    @Mixin ShutdownOptions shutdown = new ShutdownOptions();

    @Mixin ClusterOptions cluster = new ClusterOptions();

    @Mixin MetricsOptions metrics = new MetricsOptions();

    @Mixin PoisonerCliOptions poisoner = new PoisonerCliOptions();

    @Override
    public Integer call() throws Exception {
        io.scrapeguard.service.CliLogging.quiet();
        poisoner.labelPolicy(); // a missing label list is an error before anything starts
        Endpoints endpoints = cluster.resolve();
        SeedingKey key = SeedingKey.resolve();
        if (key.isDevelopmentDefault()) {
            System.err.println("guard: warning: " + SeedingKey.developmentWarning());
        }
        // no --state-dir: a temporary one, removed after the stream has closed
        Path temp =
                stateDir == null
                        ? java.nio.file.Files.createTempDirectory("guard-poisoner-")
                        : null;
        Path state = temp != null ? temp : stateDir;
        PoisonerOptions options =
                poisoner.options(endpoints.bootstrapServers(), endpoints.registryUrl(), state)
                        .withClients(endpoints.clients())
                        .withPublishingKey(PublishingKey.fromEnvironment().orElse(null));
        if (options.publishingKey() == null) {
            System.err.println(
                    "guard: warning: no GUARD_PUBLISHING_KEY(_FILE): protected records carry no"
                            + " MAC, so forged records cannot be told apart");
        }
        ServiceHost host =
                new ServiceHost(
                        endpoints,
                        cluster.dataDirOrDefault(),
                        metrics.host,
                        metrics.portOr(0),
                        Map.of());
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    host.close();
                                    if (temp != null) {
                                        deleteQuietly(temp);
                                    }
                                },
                                "guard-shutdown"));
        host.start(
                List.of(
                        new PoisonerGuardService(
                                options, poisoner.protection(key), shutdown.timeout())));
        System.out.println(
                "poisoner running: bootstrap="
                        + endpoints.bootstrapServers()
                        + " metrics="
                        + host.endpoints().metricsUrl());
        System.out.flush();
        host.awaitShutdown();
        return 0;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // best effort at exit
        }
    }
}
