package io.scrapeguard.poisoner;

import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.runtime.Endpoints;
import io.scrapeguard.runtime.GuardService;
import io.scrapeguard.runtime.MetricsOptions;
import io.scrapeguard.runtime.ServiceHost;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./guard up}: the all-in-one default. The embedded broker and registry (unless a cluster is
 * given), the topics, the poisoner, then every other service found on the classpath (the auditor),
 * metrics and health on 127.0.0.1. Prints one line when ready and writes the endpoints into the
 * data dir; Ctrl-C stops everything.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Starts ScrapeGuard: embedded Kafka broker and schema registry (or --bootstrap-servers"
                    + " and --schema-registry), the poisoner and the other services.",
            "Prints 'ScrapeGuard ready: bootstrap=... registry=... metrics=...' when ready and"
                    + " writes those endpoints into the data dir; Ctrl-C stops everything."
        })
public final class UpCommand implements Callable<Integer> {
    @Option(
            names = "--data-dir",
            description = "where data and the endpoints file live (default: .guard)")
    Path dataDir = Endpoints.DEFAULT_DATA_DIR;

    @Option(
            names = "--bootstrap-servers",
            description = "run only the poisoner against this Kafka cluster")
    String bootstrap;

    @Option(
            names = "--schema-registry",
            description = "... and this schema registry (Confluent-compatible URL)")
    String registry;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "an option for the services started after the poisoner (e.g. the auditor)")
    Map<String, String> serviceOptions = new LinkedHashMap<>();

    @Option(
            names = "--shutdown-timeout",
            description =
                    "seconds to finish in-flight images on Ctrl-C (default: ${DEFAULT-VALUE})")
    long shutdownSeconds = 20;

    @Mixin MetricsOptions metrics = new MetricsOptions();

    @Mixin PoisonerCliOptions poisoner = new PoisonerCliOptions();

    @Override
    public Integer call() throws Exception {
        io.scrapeguard.runtime.CliLogging.quiet();
        if ((bootstrap == null) != (registry == null)) {
            throw new IllegalArgumentException(
                    "give both --bootstrap-servers and --schema-registry, or neither (embedded"
                        + " stack)");
        }
        Path dir = dataDir.toAbsolutePath();
        Endpoints.read(dir)
                .ifPresent(
                        e -> {
                            throw new IllegalStateException(
                                    "a ScrapeGuard stack is already running with data dir "
                                            + dir
                                            + " ("
                                            + e.bootstrapServers()
                                            + "); stop it or use another --data-dir");
                        });
        PrintStream err = System.err;
        SeedingKey key = SeedingKey.resolve();
        if (key.isDevelopmentDefault()) {
            err.println("guard: warning: " + SeedingKey.developmentWarning());
        }
        ArImageProtection protection = poisoner.protection(key);

        EmbeddedStack.Builder builder = EmbeddedStack.builder().progress(err);
        if (bootstrap != null) {
            builder.external(bootstrap, registry);
        } else {
            builder.dataDir(dir);
        }
        EmbeddedStack stack = builder.start();
        ServiceHost host;
        try {
            host =
                    new ServiceHost(
                            stack.bootstrapServers(),
                            stack.registryUrl(),
                            dir,
                            metrics.host,
                            metrics.portOr(9464),
                            serviceOptions);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        Thread hook = new Thread(() -> stopAll(host, stack, dir), "guard-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            PoisonerOptions options =
                    poisoner.options(
                            stack.bootstrapServers(), stack.registryUrl(), dir.resolve("streams"));
            List<GuardService> services = new ArrayList<>();
            services.add(
                    new PoisonerGuardService(
                            options, protection, Duration.ofSeconds(shutdownSeconds)));
            services.addAll(host.discover());
            host.start(services);
        } catch (Exception e) {
            stopAll(host, stack, dir);
            Runtime.getRuntime().removeShutdownHook(hook);
            throw e;
        }
        Endpoints endpoints = host.endpoints();
        endpoints.write(dir);
        System.out.println(endpoints.readyLine());
        System.out.flush();
        host.awaitShutdown();
        return 0;
    }

    private static void stopAll(ServiceHost host, EmbeddedStack stack, Path dir) {
        Endpoints.delete(dir);
        try {
            host.close();
        } finally {
            stack.close();
        }
        System.err.println("guard: stopped");
    }
}
