package io.scrapeguard.app;

import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.poisoner.PoisonerCliOptions;
import io.scrapeguard.service.Endpoints;
import io.scrapeguard.service.MetricsOptions;
import io.scrapeguard.service.ShutdownOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Mixin ShutdownOptions shutdown = new ShutdownOptions();

    @Mixin MetricsOptions metrics = new MetricsOptions();

    @Mixin PoisonerCliOptions poisoner = new PoisonerCliOptions();

    @Override
    public Integer call() throws Exception {
        io.scrapeguard.service.CliLogging.quiet();
        poisoner.labelPolicy(); // a missing label list is an error before anything starts
        Path dir = dataDir.toAbsolutePath();
        AllInOne.Settings settings =
                new AllInOne.Settings(
                        dir,
                        bootstrap == null ? dir : null,
                        dir.resolve("streams"),
                        bootstrap,
                        registry,
                        metrics.host,
                        metrics.portOr(9464),
                        serviceOptions,
                        shutdown.timeout());
        PrintStream err = System.err;
        SeedingKey key = SeedingKey.resolve();
        AllInOne system = new AllInOne(settings, poisoner, poisoner.protection(key), err);
        Thread hook =
                new Thread(
                        () -> {
                            err.println("guard: stopping ...");
                            system.close();
                            err.println("guard: stopped");
                        },
                        "guard-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            system.start();
        } catch (Exception e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C during the start: the hook is stopping what was started
            }
            throw e;
        }
        System.out.println(system.endpoints().readyLine());
        System.out.flush();
        if (key.isDevelopmentDefault()) {
            err.println("guard: warning: " + SeedingKey.developmentWarning());
        }
        err.println("guard: ScrapeGuard is running; Ctrl-C stops everything");
        system.addresses().forEach(err::println);
        system.awaitShutdown();
        // non-zero when the poisoner gave up: a supervisor (systemd, compose) restarts us
        return system.failure() == null ? 0 : 1;
    }
}
