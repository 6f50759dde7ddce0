package io.scrapeguard.producer;

import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.RecordLimit;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.ClusterOptions;
import io.scrapeguard.service.Endpoints;
import io.scrapeguard.service.ImageLimitsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./guard publish DIR|FILE|MANIFEST.csv... [--label L]}: images to the raw topic. */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes images to the raw topic of a running stack (./guard up) or a cluster.",
            "Folders in the image-folder layout (<root>/<label>/*.png|jpg), single files with"
                    + " --label, CSV manifests (path,label).",
            "Last line: sent=N skipped=N failed=N; exit 1 when anything failed."
        })
public final class PublishCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "DIR|FILE",
            arity = "1..*",
            description = "folders, images or .csv manifests")
    List<Path> inputs;

    @Option(names = "--label", description = "label of single files (or of every file given)")
    String label;

    @Mixin ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--topic", description = "raw topic (default: ${DEFAULT-VALUE})")
    String topic = Topics.RAW_IMAGES;

    @Mixin ImageLimitsOptions imageLimits = new ImageLimitsOptions();

    @Option(
            names = "--max-in-flight-bytes",
            description = "bytes sent but not yet acknowledged (default: ${DEFAULT-VALUE})")
    long maxInFlight = ProducerSettings.DEFAULT_MAX_IN_FLIGHT_BYTES;

    @Option(
            names = "--producer-property",
            paramLabel = "KEY=VALUE",
            description =
                    "Kafka producer setting, overrides the defaults (batch.size, linger.ms,"
                            + " compression.type, ...)")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Override
    public Integer call() {
        io.scrapeguard.service.CliLogging.quiet();
        Endpoints endpoints = cluster.resolve();
        ImageSources.Listing listing = ImageSources.list(inputs, label);
        PublishSummary summary;
        Map<String, String> overrides = new LinkedHashMap<>(endpoints.clients().kafka());
        overrides.putAll(producerProperties);
        RecordLimit recordLimit =
                RecordLimit.read(
                        endpoints.kafkaConfig(),
                        topic,
                        note -> System.err.println("publish: " + note));
        try (Topics topics = Topics.fromConfig(endpoints.registryConfig());
                KafkaProducer<String, RawImage> producer =
                        new KafkaProducer<>(
                                ProducerSettings.with(endpoints.bootstrapServers(), overrides),
                                new StringSerializer(),
                                topics.rawImages().valueSerde().serializer());
                ProgressBar progress = ProgressBar.onStderr(listing.items().size())) {
            ImagePublisher publisher =
                    new ImagePublisher(
                            producer,
                            topic,
                            imageLimits.limits(),
                            recordLimit,
                            maxInFlight,
                            "publish");
            summary = publisher.publish(listing.items(), progress);
            producer.close(Duration.ofSeconds(30));
        }
        listing.skipped().forEach(s -> summary.skipped(s.reason()));
        System.out.print(summary.details());
        System.out.println(summary.lastLine());
        return summary.failed() > 0 ? 1 : 0;
    }
}
