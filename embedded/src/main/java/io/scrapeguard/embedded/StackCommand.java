package io.scrapeguard.embedded;

import io.scrapeguard.schemas.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./guard stack}: runs the embedded Kafka broker and schema registry until Ctrl-C, with the
 * ScrapeGuard topics created, for other tools (kcat, a second ./guard, a browser on the registry).
 */
@Command(
        name = "stack",
        mixinStandardHelpOptions = true,
        description =
                "Runs the embedded Kafka broker and Apicurio schema registry on 127.0.0.1 until"
                        + " Ctrl-C, with the ScrapeGuard topics created, and prints the addresses"
                        + " to connect to.")
public final class StackCommand implements Callable<Integer> {

    @Option(
            names = "--data-dir",
            description =
                    "Keep Kafka and registry data here (default: temporary, deleted on exit).")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            defaultValue = "0",
            description = "Kafka port on 127.0.0.1 (default: a free one).")
    int kafkaPort;

    @Option(
            names = "--registry-port",
            defaultValue = "0",
            description = "Schema registry port on 127.0.0.1 (default: a free one).")
    int registryPort;

    @Option(
            names = "--partitions",
            defaultValue = "1",
            description = "Partitions of each ScrapeGuard topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws InterruptedException {
        EmbeddedStack stack =
                EmbeddedStack.builder()
                        .dataDir(dataDir)
                        .kafkaPort(kafkaPort)
                        .registryPort(registryPort)
                        .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            System.err.println("guard: stopping the embedded stack ...");
                            stack.close();
                            stopped.countDown();
                        },
                        "guard-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stack.createTopics(Topics.names(), partitions);
        System.out.println("bootstrap.servers=" + stack.bootstrapServers());
        System.out.println("schema.registry.url=" + stack.registryUrl());
        System.out.println("topics=" + String.join(",", Topics.names()));
        System.out.println(
                "export GUARD_BOOTSTRAP_SERVERS="
                        + stack.bootstrapServers()
                        + " GUARD_REGISTRY_URL="
                        + stack.registryUrl());
        System.err.println("guard: running; Ctrl-C stops it");
        stopped.await();
        return 0;
    }
}
