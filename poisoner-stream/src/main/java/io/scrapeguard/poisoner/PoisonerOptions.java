package io.scrapeguard.poisoner;

import io.scrapeguard.imaging.OutputFormat;

import io.scrapeguard.imaging.ImageLimits;

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
        java.util.Map<String, Object> streamsOverrides) {

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
                java.util.Map.of());
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
                    streamsOverrides);
        }
    }
}
