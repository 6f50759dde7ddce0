package io.scrapeguard.poisoner;

import io.scrapeguard.core.ArVariants;

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
            names = "--method",
            description =
                    "ar-multiscale (covers any image, survives scrapers' resizing), ar-tiled"
                            + " (32x32 AR tiles) or ar-paper (the paper's Algorithm 2; large images"
                            + " get a corner blotch and are dead-lettered as weak-coverage)"
                            + " (default: ${DEFAULT-VALUE})")
    String method = ArVariants.DEFAULT;

    @Option(
            names = "--min-coverage",
            paramLabel = "SHARE",
            description =
                    "dead-letter (weak-coverage) an image when fewer than this share of its"
                            + " 32x32 regions carry half the mean energy (default: ${DEFAULT-VALUE})")
    double minCoverage = ImagePipeline.DEFAULT_MIN_COVERAGE;

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

    @Option(
            names = "--output-format",
            description =
                    "png (lossless, default), jpeg (at --quality; ar-multiscale keeps about 95% of"
                            + " its energy at quality 90-95), or auto: jpeg for photos (short side"
                            + " >= 128), png for smaller images")
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
        return new Protector(ArVariants.create(method, loadBank(), key, budget()));
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
                    case "auto" -> OutputFormat.AUTO;
                    default ->
                            throw new IllegalArgumentException(
                                    "--output-format must be png, jpeg or auto, got '"
                                            + outputFormat
                                            + "'");
                };
        if (!(minCoverage >= 0 && minCoverage <= 1)) {
            throw new IllegalArgumentException("--min-coverage must be 0..1, got " + minCoverage);
        }
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("--quality must be 1..100, got " + quality);
        }
        return PoisonerOptions.defaults(bootstrap, registry, stateDir)
                .withApplicationId(applicationId)
                .withThreads(threads)
                .withLabelPolicy(labelPolicy())
                .withLimits(imageLimits.limits())
                .withOutput(format, quality, jpegWarnBelow)
                .withMinCoverage(minCoverage);
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
