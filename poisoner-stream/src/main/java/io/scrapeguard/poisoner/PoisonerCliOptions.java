package io.scrapeguard.poisoner;

import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.imaging.OutputFormat;
import io.scrapeguard.schemas.LabelAssignmentLog;
import io.scrapeguard.service.ImageLimitsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
    String budget = "l2=1.11";

    @Option(
            names = "--label-policy",
            paramLabel = "strict|open",
            description =
                    "strict (default): only the labels of --labels/--labels-file are protected,"
                            + " others are dead-lettered (unknown-label); open: any label claims"
                            + " the next free process of the bank, so any producer can use it up")
    String labelPolicy = "strict";

    @Option(
            names = "--method",
            description =
                    "ar-multiscale (covers any image, survives scrapers' resizing; a colour"
                            + " photo of at most 32x32 gets its class's chroma wave, which JPEG"
                            + " keeps; ar-multiscale:wave=0 without it; ar-multiscale:texture=T"
                            + " counts an image as a photo from T levels of fine texture, default"
                            + " 9), ar-tiled"
                            + " (32x32 AR tiles) or ar-paper (the paper's Algorithm 2; large images"
                            + " get a corner blotch and are dead-lettered as weak-coverage)"
                            + " (default: ${DEFAULT-VALUE})")
    String method = ArVariants.DEFAULT;

    @Option(
            names = "--min-coverage",
            paramLabel = "SHARE",
            description =
                    "dead-letter (weak-coverage) an image when fewer than this share of its 32x32"
                            + " regions carry half the mean energy (default: ${DEFAULT-VALUE})")
    double minCoverage = ImagePipeline.DEFAULT_MIN_COVERAGE;

    @Option(
            names = "--labels",
            split = ",",
            paramLabel = "LABEL",
            description = "the labels the strict policy protects (comma-separated)")
    List<String> labels;

    @Option(
            names = "--labels-file",
            paramLabel = "FILE",
            description = "the labels the strict policy protects, from a file, one per line")
    Path labelsFile;

    @Option(
            names = "--label-assignments-topic",
            paramLabel = "TOPIC",
            description =
                    "the label assignment log (default: ${DEFAULT-VALUE}); a new one for a bank"
                            + " that is not the old one grown")
    String labelAssignmentsTopic = LabelAssignmentLog.TOPIC;

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
            names = "--image-time-budget",
            description =
                    "seconds one image may take from decode to output, else it is"
                            + " dead-lettered as image-too-expensive (default: ${DEFAULT-VALUE})")
    long imageTimeBudgetSeconds = PipelineLimits.DEFAULT_TIME_BUDGET.toSeconds();

    @Option(
            names = "--min-delivered-ratio",
            paramLabel = "R",
            description =
                    "the least share (0..1) of the requested perturbation (L2) clamping may leave;"
                            + " under it the image is dead-lettered as budget-shortfall"
                            + " (default: ${DEFAULT-VALUE})")
    double minDeliveredRatio = ShortfallFloor.DEFAULT.minRatio();

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
                .withTopics(withLabelLog(PoisonerTopics.DEFAULT))
                .withLimits(imageLimits.limits())
                .withOutput(format, quality, jpegWarnBelow)
                .withImageTimeBudget(java.time.Duration.ofSeconds(imageTimeBudgetSeconds))
                .withShortfallFloor(shortfallFloor())
                .withMinCoverage(minCoverage);
    }

    private ShortfallFloor shortfallFloor() {
        try {
            return new ShortfallFloor(minDeliveredRatio);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--min-delivered-ratio: " + e.getMessage(), e);
        }
    }

    private PoisonerTopics withLabelLog(PoisonerTopics t) {
        if (labelAssignmentsTopic == null || labelAssignmentsTopic.isBlank()) {
            throw new IllegalArgumentException("--label-assignments-topic must name a topic");
        }
        return new PoisonerTopics(
                t.raw(), t.protectedImages(), t.deadLetters(), labelAssignmentsTopic);
    }

    /**
     * The strict policy with these labels unless the command line chose a policy or labels itself
     * (the demo knows the labels it publishes).
     */
    public void defaultLabels(Set<String> known) {
        if (labels == null && labelsFile == null && "strict".equals(labelPolicy)) {
            labels = List.copyOf(known);
        }
    }

    /**
     * The label policy of the command line; a clear error when strict (the default) has no labels
     * or the choice contradicts itself. Checked before anything starts.
     */
    public LabelPolicy labelPolicy() {
        String policy = labelPolicy == null ? "" : labelPolicy.strip().toLowerCase(Locale.ROOT);
        boolean listed = labels != null || labelsFile != null;
        switch (policy) {
            case "open" -> {
                if (listed) {
                    throw new IllegalArgumentException(
                            "--label-policy open accepts any label: drop --labels/--labels-file,"
                                    + " or keep them with --label-policy strict");
                }
                return LabelPolicy.OPEN;
            }
            case "strict" -> {
                Set<String> allowed = listedLabels();
                if (allowed.isEmpty() && listed) {
                    throw new IllegalArgumentException(
                            "--labels/--labels-file list no label: the strict label policy needs"
                                    + " at least one (or choose --label-policy open)");
                }
                if (allowed.isEmpty()) {
                    throw new IllegalArgumentException(
                            "the label policy is strict (the default) and no label is given: list"
                                    + " the labels to protect with --labels cats,dogs or"
                                    + " --labels-file FILE (one per line), or accept any label"
                                    + " with --label-policy open (any producer can then use up"
                                    + " the process bank)");
                }
                return LabelPolicy.strict(allowed);
            }
            default ->
                    throw new IllegalArgumentException(
                            "--label-policy must be strict or open, got '" + labelPolicy + "'");
        }
    }

    private Set<String> listedLabels() {
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
        return allowed;
    }
}
