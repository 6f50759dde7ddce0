package io.scrapeguard.poisoner;

import io.scrapeguard.core.ArPerturbationMethod;

import io.scrapeguard.core.Protector;

import io.scrapeguard.imaging.OutputFormat;

import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.service.ImageLimitsOptions;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The poisoner's options, shared by {@code ./guard poisoner} and {@code ./guard up}. */
public final class PoisonerCliOptions {
    @Option(
            names = "--bank",
            paramLabel = "FILE",
            description =
                    "AR process bank JSON (secret; default: the paper's ten processes)."
                            + " Also GUARD_BANK_FILE.")
    Path bank;

    @Option(
            names = "--budget",
            description =
                    "perturbation budget, e.g. l2=1.0 or linf=8/255 (default: ${DEFAULT-VALUE})")
    String budget = "l2=1.0";

    @Option(
            names = "--labels",
            split = ",",
            paramLabel = "LABEL",
            description =
                    "strict label policy: only these labels are protected, others are"
                            + " dead-lettered (unknown-label). Default: any label (open policy).")
    List<String> labels;

    @Option(
            names = "--labels-file",
            paramLabel = "FILE",
            description = "strict label policy from a file, one label per line")
    Path labelsFile;

    @Option(names = "--output-format", description = "png (lossless, default) or jpeg")
    String outputFormat = "png";

    @Option(names = "--quality", description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE})")
    int quality = 90;

    @Option(
            names = "--jpeg-warn-below",
            description =
                    "warn when JPEG keeps less than this share of the perturbation (default:"
                        + " ${DEFAULT-VALUE})")
    double jpegWarnBelow = 0.5;

    @Option(names = "--threads", description = "stream threads (default: ${DEFAULT-VALUE})")
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Mixin ImageLimitsOptions imageLimits = new ImageLimitsOptions();

    @Option(
            names = "--image-time-budget",
            description =
                    "seconds one image may take from decode to output, else it is"
                        + " dead-lettered as image-too-expensive (default: ${DEFAULT-VALUE})")
    long imageTimeBudgetSeconds = PipelineLimits.DEFAULT_TIME_BUDGET.toSeconds();

    @Option(
            names = "--stall-after",
            paramLabel = "SECONDS",
            description =
                    "/health/ready is DOWN while the committed input offsets stay put this long"
                        + " with records waiting (default: 120, at least twice"
                        + " --image-time-budget)")
    Long stallAfterSeconds;

    @Option(
            names = "--application-id",
            description =
                    "Kafka Streams application id; instances with the same id share the work"
                        + " (default: ${DEFAULT-VALUE})")
    String applicationId = PoisonerTopology.APPLICATION_ID;

    /**
     * The bank: --bank, else $GUARD_BANK_FILE, else the paper's. Its contents are never printed.
     */
    public ProcessBank loadBank() {
        Path file = bank;
        if (file == null && System.getenv("GUARD_BANK_FILE") != null) {
            file = Path.of(System.getenv("GUARD_BANK_FILE"));
        }
        return file == null ? ProcessBank.paperDefault() : ProcessBank.load(file);
    }

    public Protector protection(SeedingKey key) {
        return new Protector(new ArPerturbationMethod(loadBank(), key, budget()));
    }

    /** The budget of --budget (for another perturbation method under the same budget). */
    public Budget budget() {
        return Budget.parse(budget);
    }

    public PoisonerOptions options(String bootstrap, String registry, Path stateDir) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1");
        }
        OutputFormat format =
                switch (outputFormat.toLowerCase(Locale.ROOT)) {
                    case "png" -> OutputFormat.PNG;
                    case "jpeg", "jpg" -> OutputFormat.JPEG;
                    default ->
                            throw new IllegalArgumentException(
                                    "--output-format must be png or jpeg, got '"
                                            + outputFormat
                                            + "'");
                };
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("--quality must be 1..100, got " + quality);
        }
        if (imageTimeBudgetSeconds < 1 || imageTimeBudgetSeconds > 225) {
            // the transaction timeout is 4x the budget; brokers cap it at 15 minutes by default
            throw new IllegalArgumentException(
                    "--image-time-budget must be 1..225 seconds, got " + imageTimeBudgetSeconds);
        }
        long stall =
                stallAfterSeconds != null
                        ? stallAfterSeconds
                        : Math.max(
                                PoisonerOptions.DEFAULT_STALL_THRESHOLD.toSeconds(),
                                2 * imageTimeBudgetSeconds);
        if (stall < 2 * imageTimeBudgetSeconds) {
            // one slow but legal image must not read as a stall
            throw new IllegalArgumentException(
                    "--stall-after must be at least twice --image-time-budget ("
                            + 2 * imageTimeBudgetSeconds
                            + " s), got "
                            + stall);
        }
        return PoisonerOptions.defaults(bootstrap, registry, stateDir)
                .withStallThreshold(java.time.Duration.ofSeconds(stall))
                .withApplicationId(applicationId)
                .withThreads(threads)
                .withLabelPolicy(labelPolicy())
                .withLimits(imageLimits.limits())
                .withOutput(format, quality, jpegWarnBelow)
                .withImageTimeBudget(java.time.Duration.ofSeconds(imageTimeBudgetSeconds));
    }

    LabelPolicy labelPolicy() {
        Set<String> allowed = new LinkedHashSet<>();
        if (labels != null) {
            labels.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(allowed::add);
        }
        if (labelsFile != null) {
            try {
                Files.readAllLines(labelsFile).stream()
                        .map(String::strip)
                        .filter(s -> !s.isEmpty() && !s.startsWith("#"))
                        .forEach(allowed::add);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read --labels-file " + labelsFile + ": " + e.getMessage(), e);
            }
        }
        return allowed.isEmpty() && labels == null && labelsFile == null
                ? LabelPolicy.OPEN
                : LabelPolicy.strict(allowed);
    }
}
