package io.scrapeguard.app;

import io.scrapeguard.schemas.PublishingKey;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.ClusterOptions;
import io.scrapeguard.service.Endpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./guard export --topic protected|dead-letter --out DIR}. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a topic's records to a folder, one file per record (protected:"
                    + " <label>/<image id>.png; dead-letter: <reason>/<image id or offset>).",
            "Dead letters hold the original bytes, so what was not published can be inspected."
        })
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--topic", required = true, description = "protected or dead-letter")
    String topic;

    @Option(names = "--out", required = true, description = "folder to write into")
    Path out;

    @Option(
            names = "--timeout",
            description = "seconds to wait for the records (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = 30;

    @Mixin ClusterOptions cluster = new ClusterOptions();

    @Override
    public Integer call() {
        io.scrapeguard.service.CliLogging.quiet();
        Endpoints endpoints = cluster.resolve();
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        TopicExporter.Result result;
        switch (topic) {
            case "protected" -> {
                try (Topics topics = Topics.fromConfig(endpoints.registryConfig())) {
                    result =
                            TopicExporter.exportProtected(
                                    endpoints.kafkaConfig(),
                                    topics,
                                    Topics.PROTECTED_IMAGES,
                                    out,
                                    timeout,
                                    PublishingKey.fromEnvironment().orElse(null));
                }
            }
            case "dead-letter" ->
                    result =
                            TopicExporter.exportDeadLetters(
                                    endpoints.kafkaConfig(), Topics.DEAD_LETTERS, out, timeout);
            default ->
                    throw new IllegalArgumentException(
                            "--topic must be 'protected' or 'dead-letter', got '" + topic + "'");
        }
        result.perFolder().forEach((k, n) -> System.out.println("  " + k + ": " + n));
        if (result.forged() > 0) {
            System.err.println(
                    "guard: "
                            + result.forged()
                            + " record(s) on the protected topic carry no valid MAC of the"
                            + " publishing key: forged, not exported");
        }
        System.out.println(
                "exported=" + result.written() + " forged=" + result.forged() + " out=" + out);
        return result.forged() > 0 ? 1 : 0;
    }
}
