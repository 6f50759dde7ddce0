package io.scrapeguard.bench.robustness;

import io.scrapeguard.auditor.AuditImage;
import io.scrapeguard.auditor.AuditProfile;
import io.scrapeguard.auditor.AuditResult;
import io.scrapeguard.auditor.Auditor;
import io.scrapeguard.auditor.BankClassifiers;
import io.scrapeguard.auditor.CanaryReading;
import io.scrapeguard.auditor.ImagePair;
import io.scrapeguard.auditor.ScraperResult;
import io.scrapeguard.auditor.SkipCounts;
import io.scrapeguard.bench.robustness.RobustnessSources.Source;
import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.ProtectedResult;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.imaging.ImageQuality;
import io.scrapeguard.imaging.scraper.ScraperPipeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./guard bench robustness}: what of each method's perturbation survives a scraper's
 * preprocessing. Per method and budget: PSNR, SSIM and coverage at native size (the bench's own);
 * per scraper pipeline, the auditor's row for it: one {@link Auditor#audit} per method and budget
 * of the unscraped (original, protected) pairs, with the bench's pipelines as the threat model, so
 * the cells are the figures an offline audit of the same images and seed reports: the delivered L2
 * (printed at the 32x32x3 reference scale, comparable to the budget), the AR-filter integrity
 * (held-out, box-averaged at 1, 2 or 4), the perturbation-only probe with its control (always
 * trained by the audit; printed with {@code --probe}) and, with {@code --canaries}, the cpu-small
 * canaries' protection score and follow rates.
 */
@Command(
        name = "robustness",
        mixinStandardHelpOptions = true,
        description = {
            "What survives a scraper's preprocessing, per method and budget, per scraper"
                    + " pipeline (native, jpeg:Q, resize:R, gray, ...).",
            "Per pipeline the cells are the auditor's own measurements (one audit per method and"
                    + " budget, the pipelines as its threat model, seed 1): delivered L2,"
                    + " AR-filter integrity; --probe prints the perturbation-only CNN probe (the"
                    + " audit trains it in every mode), --canaries adds the auditor's cpu-small"
                    + " canaries (minutes per pipeline). PSNR, SSIM and coverage are the bench's."
        })
public final class RobustnessBenchmark implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--source",
            defaultValue = "generated",
            description =
                    "generated, or a folder <label>/<file> (e.g."
                            + " ../shared/datasets/cifar10-test-png) (default: ${DEFAULT-VALUE})")
    String source;

    @Option(
            names = "--size",
            defaultValue = "32",
            description =
                    "size the sources are resized to: S or WxH, e.g. 32, 128, 512, 1024x768"
                            + " (default: ${DEFAULT-VALUE})")
    String size;

    @Option(
            names = "--pairs",
            defaultValue = "500",
            description = "images, balanced over the labels (default: ${DEFAULT-VALUE})")
    int pairs;

    @Option(
            names = "--methods",
            split = ",",
            defaultValue = "ar-paper,ar-tiled,ar-multiscale",
            description =
                    "methods (ar-multiscale:32=0.7/64=0.1/native=0.2 sets shares) (default:"
                            + " ${DEFAULT-VALUE})")
    List<String> methods;

    @Option(
            names = "--budgets",
            split = ";",
            defaultValue = "l2=1.11",
            description = "budgets, ';'-separated (default: ${DEFAULT-VALUE})")
    List<String> budgets;

    @Option(
            names = "--pipelines",
            split = ",",
            description = "scraper pipelines (default: the built-in set for the size)")
    List<String> pipelines;

    @Option(names = "--probe", description = "train the perturbation-only probe per pipeline")
    boolean probe;

    @Option(names = "--canaries", description = "train the cpu-small canaries per pipeline")
    boolean canaries;

    @Option(names = "--epochs", description = "canary epochs (default: the cpu-small profile's)")
    Integer epochs;

    @Option(names = "--seeds", description = "canary seeds (default: the cpu-small profile's)")
    Integer seeds;

    private final ProcessBank bank = ProcessBank.paperDefault();
    private final SeedingKey key = SeedingKey.of("robustness-bench");

    /** The audit's seed: the offline audit's default ({@code guard audit --seed}). */
    static final long SEED = 1;

    /**
     * One pipeline's row of the audit for one method and budget; null where not measured (or, for
     * the probe, not asked for). {@code deliveredL2}: the audit's delivered L2 at the delivered
     * size; {@code l2Left}: the same figure at the 32x32x3 reference scale.
     */
    record Cell(
            String pipeline,
            int side,
            double deliveredL2,
            double l2Left,
            double integrity,
            Double probe,
            Double control,
            Double cleanAccuracy,
            Double protectedAccuracy,
            Double cleanFollow,
            Double protectedFollow,
            Double score) {}

    record Row(
            String method,
            String budget,
            double psnr,
            double ssim,
            double coverage,
            double minCoverage,
            List<Cell> cells) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> progress =
                m -> {
                    synchronized (err) {
                        err.println(m);
                        err.flush();
                    }
                };
        int[] wh = parseSize(size);
        List<Source> sources = RobustnessSources.load(source, pairs, wh[0], wh[1], progress);
        List<ScraperPipeline> scrapers =
                pipelines == null
                        ? ScraperPipeline.builtIn(Math.min(wh[0], wh[1]))
                        : pipelines.stream().map(ScraperPipeline::parse).toList();
        List<Row> rows = new ArrayList<>();
        for (String m : methods) {
            for (String b : budgets) {
                rows.add(measure(m, Budget.parse(b), sources, scrapers, progress));
            }
        }
        out.printf(
                Locale.ROOT,
                "robustness: %d images from %s at %dx%d; %s%n",
                sources.size(),
                source,
                wh[0],
                wh[1],
                probe || canaries ? "cpu-small probe/canaries" : "no probe");
        print(out, rows, scrapers);
        out.flush();
        return 0;
    }

    /** The method's protected copies of the sources, in their order. */
    List<ProtectedResult> protect(String methodName, Budget budget, List<Source> sources) {
        Protector protector = new Protector(ArVariants.create(methodName, bank, key, budget));
        return sources.parallelStream()
                .map(s -> protector.protect(s.image(), s.label(), s.id()))
                .toList();
    }

    Row measure(
            String methodName,
            Budget budget,
            List<Source> sources,
            List<ScraperPipeline> scrapers,
            Consumer<String> progress) {
        long t0 = System.nanoTime();
        List<ProtectedResult> prot = protect(methodName, budget, sources);
        double psnr = 0;
        double coverage = 0;
        double minCoverage = 1;
        for (ProtectedResult r : prot) {
            psnr += Math.min(r.psnr(), 99);
            coverage += r.coverage().covered();
            minCoverage = Math.min(minCoverage, r.coverage().covered());
        }
        double ssim =
                java.util.stream.IntStream.range(0, sources.size())
                        .parallel()
                        .mapToDouble(
                                i -> ImageQuality.ssim(sources.get(i).image(), prot.get(i).image()))
                        .sum();
        int n = sources.size();
        progress.accept(
                String.format(
                        Locale.ROOT,
                        "robustness: %s %s protected %d images in %.1f s",
                        methodName,
                        budget.describe(),
                        n,
                        (System.nanoTime() - t0) / 1e9));
        String what = methodName + " " + budget.describe();
        AuditResult audit = audit(auditPairs(sources, prot), scrapers, what, progress);
        List<Cell> cells = new ArrayList<>();
        for (ScraperPipeline p : scrapers) {
            cells.add(cell(p.name(), audit));
        }
        return new Row(
                methodName,
                budget.describe(),
                psnr / n,
                ssim / n,
                coverage / n,
                minCoverage,
                cells);
    }

    /**
     * The (original, protected) pairs as an offline audit of the same images reads them: the
     * producer's image id (SHA-256 of the original's PNG bytes) and the label's folder name.
     */
    static List<ImagePair> auditPairs(List<Source> sources, List<ProtectedResult> prot) {
        List<ImagePair> pairs = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            pairs.add(
                    new ImagePair(
                            ImagePair.idOf(s.image().encodePng()),
                            s.labelName(),
                            AuditImage.of(s.image()),
                            AuditImage.of(prot.get(i).image())));
        }
        return pairs;
    }

    /**
     * The audit settings of one bench row: the bench's pipelines as the threat model (the audit
     * adds native), the cpu-small profile, seed 1; canaries (with --canaries) on every pipeline the
     * bench asked for, none otherwise; no defences and no diluted arms (neither changes a
     * pipeline's figures, both cost canaries).
     */
    Auditor.Settings settings(List<ScraperPipeline> scrapers, int shortSide) {
        AuditProfile profile = AuditProfile.cpuSmall();
        if (epochs != null) {
            profile = profile.withEpochs(epochs);
        }
        if (seeds != null) {
            profile = profile.withSeeds(seeds);
        }
        int canaryMax =
                canaries
                        ? scrapers.stream()
                                .mapToInt(p -> p.resolutionFor(shortSide))
                                .max()
                                .orElse(0)
                        : 0;
        return Auditor.Settings.of(profile)
                .withSeed(SEED)
                .withDefences(false)
                .withDilution(List.of(1.0))
                .withScrapers(scrapers.stream().map(ScraperPipeline::name).toList())
                .withCanaryMaxResolution(canaryMax);
    }

    /** One audit of the unscraped pairs; the audit applies each pipeline itself. */
    private AuditResult audit(
            List<ImagePair> pairs,
            List<ScraperPipeline> scrapers,
            String what,
            Consumer<String> progress) {
        long t0 = System.nanoTime();
        AuditImage first = pairs.get(0).raw();
        Auditor.Settings settings = settings(scrapers, Math.min(first.height(), first.width()));
        AuditResult r =
                Auditor.audit(
                        pairs,
                        new SkipCounts(),
                        BankClassifiers.of(bank),
                        settings,
                        m -> progress.accept(what + ": " + m));
        if (!r.completed()) {
            throw new IllegalStateException(what + ": audit " + r.outcome() + ": " + r.reason());
        }
        progress.accept(
                String.format(
                        Locale.ROOT,
                        "robustness: %s audited %s in %.1f s",
                        what,
                        settings.pipelines(Math.min(first.height(), first.width())).stream()
                                .map(ScraperPipeline::name)
                                .toList(),
                        (System.nanoTime() - t0) / 1e9));
        return r;
    }

    /** The audit's row for one pipeline, as the bench prints it; nothing re-measured. */
    Cell cell(String pipeline, AuditResult audit) {
        ScraperResult r =
                audit.scrapers().stream()
                        .filter(s -> s.name().equals(pipeline))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "the audit has no row for " + pipeline));
        String[] hwc = r.imageShape().split("x");
        int h = Integer.parseInt(hwc[0]), w = Integer.parseInt(hwc[1]);
        int values = h * w * Integer.parseInt(hwc[2]);
        boolean showProbe = probe || canaries;
        CanaryReading c = r.canaries();
        return new Cell(
                r.name(),
                Math.min(h, w),
                r.integrity().meanL2(),
                r.integrity().meanL2() * Math.sqrt((double) Budget.REFERENCE_VALUES / values),
                r.integrity().filterAccuracy(),
                showProbe ? r.separability().probeAccuracy() : null,
                showProbe ? r.separability().controlAccuracy() : null,
                c == null ? null : c.clean().finalAccuracy(),
                c == null ? null : c.protectedCanary().finalAccuracy(),
                c == null ? null : c.clean().followRate(),
                c == null ? null : c.protectedCanary().followRate(),
                c == null ? null : c.scoreFinal());
    }

    static int[] parseSize(String s) {
        String[] parts = s.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(parts[0].trim());
            int h = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : w;
            if (parts.length > 2 || w < 8 || h < 8) {
                throw new NumberFormatException();
            }
            return new int[] {w, h};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--size must be S or WxH (at least 8), got '" + s + "'");
        }
    }

    static void print(PrintWriter out, List<Row> rows, List<ScraperPipeline> scrapers) {
        out.println();
        out.println(
                "Per pipeline, the audit's figures: delivered L2 (at the 32x32x3 scale) /"
                        + " AR-filter integrity [/ probe (control)]");
        StringBuilder head =
                new StringBuilder("| method | budget | PSNR dB | SSIM | coverage (min) |");
        StringBuilder rule = new StringBuilder("|---|---|---|---|---|");
        for (ScraperPipeline p : scrapers) {
            head.append(' ').append(p.name()).append(" |");
            rule.append("---|");
        }
        out.println(head);
        out.println(rule);
        for (Row r : rows) {
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %s | %.2f | %.4f | %.3f (%.3f) |",
                                    r.method(),
                                    r.budget(),
                                    r.psnr(),
                                    r.ssim(),
                                    r.coverage(),
                                    r.minCoverage()));
            for (Cell c : r.cells()) {
                line.append(
                        String.format(
                                Locale.ROOT, " %.2f / %.0f%%", c.l2Left(), 100 * c.integrity()));
                if (c.probe() != null) {
                    line.append(
                            String.format(
                                    Locale.ROOT,
                                    " / %.1f%% (%.0f%%)",
                                    100 * c.probe(),
                                    100 * c.control()));
                }
                line.append(" |");
            }
            out.println(line);
        }
        if (rows.stream().flatMap(r -> r.cells().stream()).noneMatch(c -> c.score() != null)) {
            return;
        }
        out.println();
        out.println(
                "Canaries (cpu-small, trained at the pipeline's resolution, scored on clean"
                        + " test images):");
        out.println(
                "| method | budget | pipeline | trained at | L2 left | AR-filter | probe (control)"
                    + " | canary clean / protected | follow clean / protected | protection score"
                    + " |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            for (Cell c : r.cells()) {
                if (c.score() == null) {
                    continue;
                }
                out.println(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %s | %d | %.2f | %.0f%% | %.1f%% (%.0f%%) | %.1f%% /"
                                        + " %.1f%% | %.0f%% / %.0f%% | %.2f |",
                                r.method(),
                                r.budget(),
                                c.pipeline(),
                                c.side(),
                                c.l2Left(),
                                100 * c.integrity(),
                                100 * c.probe(),
                                100 * c.control(),
                                100 * c.cleanAccuracy(),
                                100 * c.protectedAccuracy(),
                                100 * c.cleanFollow(),
                                100 * c.protectedFollow(),
                                c.score()));
            }
        }
    }
}
