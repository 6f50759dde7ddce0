package io.scrapeguard.poisoner;

import io.scrapeguard.runtime.ImageLimits;

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
                Duration.ofSeconds(30),
                java.util.Map.of());
    }

    public PoisonerOptions withApplicationId(String id) {
        return new PoisonerOptions(
                bootstrapServers,
                registryUrl,
                id,
                stateDir,
                threads,
                topics,
                labelPolicy,
                limits,
                outputFormat,
                jpegQuality,
                jpegSurvivalWarning,
                labelClaimTimeout,
                streamsOverrides);
    }

    public PoisonerOptions withTopics(PoisonerTopics t) {
        return new PoisonerOptions(
                bootstrapServers,
                registryUrl,
                applicationId,
                stateDir,
                threads,
                t,
                labelPolicy,
                limits,
                outputFormat,
                jpegQuality,
                jpegSurvivalWarning,
                labelClaimTimeout,
                streamsOverrides);
    }

    public PoisonerOptions withLabelPolicy(LabelPolicy p) {
        return new PoisonerOptions(
                bootstrapServers,
                registryUrl,
                applicationId,
                stateDir,
                threads,
                topics,
                p,
                limits,
                outputFormat,
                jpegQuality,
                jpegSurvivalWarning,
                labelClaimTimeout,
                streamsOverrides);
    }

    public PoisonerOptions withStateDir(Path dir) {
        return new PoisonerOptions(
                bootstrapServers,
                registryUrl,
                applicationId,
                dir,
                threads,
                topics,
                labelPolicy,
                limits,
                outputFormat,
                jpegQuality,
                jpegSurvivalWarning,
                labelClaimTimeout,
                streamsOverrides);
    }

    public PoisonerOptions withThreads(int n) {
        return new PoisonerOptions(
                bootstrapServers,
                registryUrl,
                applicationId,
                stateDir,
                n,
                topics,
                labelPolicy,
                limits,
                outputFormat,
                jpegQuality,
                jpegSurvivalWarning,
                labelClaimTimeout,
                streamsOverrides);
    }

    public PoisonerOptions withOutput(OutputFormat f, int quality, double warnBelow) {
        return new PoisonerOptions(
                bootstrapServers,
                registryUrl,
                applicationId,
                stateDir,
                threads,
                topics,
                labelPolicy,
                limits,
                f,
                quality,
                warnBelow,
                labelClaimTimeout,
                streamsOverrides);
    }

    public PoisonerOptions withLimits(ImageLimits l) {
        return new PoisonerOptions(
                bootstrapServers,
                registryUrl,
                applicationId,
                stateDir,
                threads,
                topics,
                labelPolicy,
                l,
                outputFormat,
                jpegQuality,
                jpegSurvivalWarning,
                labelClaimTimeout,
                streamsOverrides);
    }

    /**
     * Extra Kafka Streams settings (client security, timeouts) over {@link
     * PoisonerTopology#streamsConfig}.
     */
    public PoisonerOptions withStreamsOverrides(java.util.Map<String, Object> overrides) {
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
                labelClaimTimeout,
                java.util.Map.copyOf(overrides));
    }
}
