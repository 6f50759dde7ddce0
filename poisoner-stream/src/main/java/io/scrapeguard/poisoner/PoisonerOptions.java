package io.scrapeguard.poisoner;

import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.imaging.OutputFormat;
import io.scrapeguard.schemas.PublishingKey;
import io.scrapeguard.service.ClientSettings;
import java.nio.file.Path;
import java.time.Duration;

/** How one poisoner instance runs. */
public record PoisonerOptions(
        String bootstrapServers,
        String registryUrl,
        String applicationId,
        Path stateDir,
        int threads,
        PoisonerTopics topics,
        LabelPolicy labelPolicy,
        ImageLimits limits,
        OutputFormat outputFormat,
        int jpegQuality,
        double jpegSurvivalWarning,
        double minCoverage,
        Duration labelClaimTimeout,
        java.util.Map<String, Object> streamsOverrides,
        ClientSettings clients,
        PublishingKey publishingKey,
        Duration imageTimeBudget,
        Duration stallThreshold,
        ShortfallFloor shortfallFloor) {

    /** Not ready when the committed input offsets stay put this long with records waiting. */
    public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofMinutes(2);

    public static PoisonerOptions defaults(String bootstrap, String registry, Path stateDir) {
        return new PoisonerOptions(
                bootstrap,
                registry,
                PoisonerTopology.APPLICATION_ID,
                stateDir,
                1,
                PoisonerTopics.DEFAULT,
                LabelPolicy.OPEN,
                ImageLimits.DEFAULT,
                OutputFormat.PNG,
                90,
                0.5,
                ImagePipeline.DEFAULT_MIN_COVERAGE,
                Duration.ofSeconds(30),
                java.util.Map.of(),
                ClientSettings.NONE,
                null,
                PipelineLimits.DEFAULT_TIME_BUDGET,
                DEFAULT_STALL_THRESHOLD,
                ShortfallFloor.DEFAULT);
    }

    /** Every Kafka client's settings: the bootstrap servers and the client settings. */
    public java.util.Map<String, Object> kafkaConfig() {
        return clients.kafkaConfig(bootstrapServers);
    }

    /** The key whose MAC every protected record carries (null: none, records unsigned). */
    public PoisonerOptions withPublishingKey(PublishingKey key) {
        return with(c -> c.publishingKey = key);
    }

    /** Client settings (security) for every Kafka client and the registry client. */
    public PoisonerOptions withClients(ClientSettings settings) {
        return with(c -> c.clients = settings);
    }

    public PoisonerOptions withApplicationId(String id) {
        return with(c -> c.applicationId = id);
    }

    public PoisonerOptions withTopics(PoisonerTopics t) {
        return with(c -> c.topics = t);
    }

    public PoisonerOptions withLabelPolicy(LabelPolicy p) {
        return with(c -> c.labelPolicy = p);
    }

    public PoisonerOptions withStateDir(Path dir) {
        return with(c -> c.stateDir = dir);
    }

    public PoisonerOptions withThreads(int n) {
        return with(c -> c.threads = n);
    }

    public PoisonerOptions withOutput(OutputFormat f, int quality, double warnBelow) {
        return with(
                c -> {
                    c.outputFormat = f;
                    c.jpegQuality = quality;
                    c.jpegSurvivalWarning = warnBelow;
                });
    }

    /** Wall time one image may take from decode to output ({@code image-too-expensive}). */
    public PoisonerOptions withImageTimeBudget(Duration budget) {
        return with(c -> c.imageTimeBudget = budget);
    }

    /** How long committed input offsets may stay put, with lag, before readiness is DOWN. */
    public PoisonerOptions withStallThreshold(Duration threshold) {
        return with(c -> c.stallThreshold = threshold);
    }

    /** Under this share of the requested perturbation an image is a budget-shortfall. */
    public PoisonerOptions withShortfallFloor(ShortfallFloor floor) {
        return with(c -> c.shortfallFloor = floor);
    }

    /** The share of 32x32 regions that must carry their part of the energy (weak-coverage). */
    public PoisonerOptions withMinCoverage(double share) {
        return with(c -> c.minCoverage = share);
    }

    public PoisonerOptions withLimits(ImageLimits l) {
        return with(c -> c.limits = l);
    }

    /**
     * Extra Kafka Streams settings (client security, timeouts) over {@link
     * PoisonerTopology#streamsConfig}.
     */
    public PoisonerOptions withStreamsOverrides(java.util.Map<String, Object> overrides) {
        return with(c -> c.streamsOverrides = java.util.Map.copyOf(overrides));
    }

    /** A copy with {@code change} applied: one place lists the fields, not one per wither. */
    private PoisonerOptions with(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    private static final class Copy {
        String bootstrapServers;
        String registryUrl;
        String applicationId;
        Path stateDir;
        int threads;
        PoisonerTopics topics;
        LabelPolicy labelPolicy;
        ImageLimits limits;
        OutputFormat outputFormat;
        int jpegQuality;
        double jpegSurvivalWarning;
        double minCoverage;
        Duration labelClaimTimeout;
        java.util.Map<String, Object> streamsOverrides;
        ClientSettings clients;
        PublishingKey publishingKey;
        Duration imageTimeBudget;
        Duration stallThreshold;
        ShortfallFloor shortfallFloor;

        Copy(PoisonerOptions o) {
            bootstrapServers = o.bootstrapServers;
            registryUrl = o.registryUrl;
            applicationId = o.applicationId;
            stateDir = o.stateDir;
            threads = o.threads;
            topics = o.topics;
            labelPolicy = o.labelPolicy;
            limits = o.limits;
            outputFormat = o.outputFormat;
            jpegQuality = o.jpegQuality;
            jpegSurvivalWarning = o.jpegSurvivalWarning;
            minCoverage = o.minCoverage;
            labelClaimTimeout = o.labelClaimTimeout;
            streamsOverrides = o.streamsOverrides;
            clients = o.clients;
            publishingKey = o.publishingKey;
            imageTimeBudget = o.imageTimeBudget;
            stallThreshold = o.stallThreshold;
            shortfallFloor = o.shortfallFloor;
        }

        PoisonerOptions build() {
            return new PoisonerOptions(
                    bootstrapServers,
                    registryUrl,
                    applicationId,
                    stateDir,
                    threads,
                    topics,
                    labelPolicy,
                    limits,
                    outputFormat,
                    jpegQuality,
                    jpegSurvivalWarning,
                    minCoverage,
                    labelClaimTimeout,
                    streamsOverrides,
                    clients,
                    publishingKey,
                    imageTimeBudget,
                    stallThreshold,
                    shortfallFloor);
        }
    }
}
