package io.scrapeguard.bench.robustness;

import io.scrapeguard.auditor.AuditImage;
import io.scrapeguard.auditor.AuditProfile;
import io.scrapeguard.auditor.AuditResult;
import io.scrapeguard.auditor.AuditSample;
import io.scrapeguard.auditor.Auditor;
import io.scrapeguard.auditor.BankClassifiers;
import io.scrapeguard.auditor.ImagePair;
import io.scrapeguard.auditor.Separability;
import io.scrapeguard.auditor.SkipCounts;
import io.scrapeguard.bench.robustness.RobustnessSources.Source;
import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.MultiscaleArFilter;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.ProtectedResult;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.imaging.Image8;
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
 * preprocessing. Per method and budget: PSNR, SSIM and coverage at native size; per scraper
 * pipeline (applied to original and protected copy with the same seed): the L2 left (at the 32x32x3
 * reference scale, comparable to the budget), the AR-filter integrity, optionally the
 * perturbation-only probe with its control ({@code --probe}) and the canaries' protection score and
 * follow rates ({@code --canaries}, the auditor's cpu-small recipe: minutes per row).
 */
@Command(
        name = "robustness",
        mixinStandardHelpOptions = true,
        description = {
            "What survives a scraper's preprocessing, per method and budget, per scraper"
                    + " pipeline (native, jpeg:Q, resize:R, gray, ...).",
            "Without --probe/--canaries it measures L2 left, AR-filter integrity, PSNR, SSIM and"
                    + " coverage (seconds); --probe adds the perturbation-only CNN probe,"
                    + " --canaries the auditor's cpu-small canaries (minutes per pipeline)."
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
            defaultValue = "l2=1.0",
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

    /** One pipeline's measurements for one method and budget; null where not measured. */
    record Cell(
            String pipeline,
            int side,
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

    private Row measure(
            String methodName,
            Budget budget,
            List<Source> sources,
            List<ScraperPipeline> scrapers,
            Consumer<String> progress) {
        PerturbationMethod method = ArVariants.create(methodName, bank, key, budget);
        Protector protector = new Protector(method);
        long t0 = System.nanoTime();
        List<ProtectedResult> prot =
                sources.parallelStream()
                        .map(s -> protector.protect(s.image(), s.label(), s.id()))
                        .toList();
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
        MultiscaleArFilter filter = MultiscaleArFilter.of(method, bank);
        List<Cell> cells = new ArrayList<>();
        for (ScraperPipeline p : scrapers) {
            cells.add(measurePipeline(methodName, budget, p, sources, prot, filter, progress));
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

    private Cell measurePipeline(
            String methodName,
            Budget budget,
            ScraperPipeline p,
            List<Source> sources,
            List<ProtectedResult> prot,
            MultiscaleArFilter filter,
            Consumer<String> progress) {
        long t0 = System.nanoTime();
        int n = sources.size();
        Image8[][] scraped = new Image8[n][];
        java.util.stream.IntStream.range(0, n)
                .parallel()
                .forEach(
                        i -> {
                            long seed = sources.get(i).id().hashCode();
                            scraped[i] =
                                    new Image8[] {
                                        p.apply(sources.get(i).image(), seed),
                                        p.apply(prot.get(i).image(), seed)
                                    };
                        });
        double l2 = 0;
        int named = 0;
        for (int i = 0; i < n; i++) {
            Perturbation d = Perturbation.delta(scraped[i][0], scraped[i][1]);
            l2 += d.l2() * Math.sqrt((double) Budget.REFERENCE_VALUES / d.size());
            named += filter.classify(d) == sources.get(i).label() ? 1 : 0;
        }
        int side = Math.min(scraped[0][0].width(), scraped[0][0].height());
        Double probeAcc = null, control = null, cleanAcc = null, protAcc = null;
        Double cleanFollow = null, protFollow = null, score = null;
        if (probe || canaries) {
            List<ImagePair> pairs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pairs.add(
                        new ImagePair(
                                sources.get(i).id(),
                                Integer.toString(sources.get(i).label()),
                                AuditImage.of(scraped[i][0]),
                                AuditImage.of(scraped[i][1])));
            }
            AuditProfile profile = AuditProfile.cpuSmall().withMaxPairsPerLabel(n);
            if (epochs != null) {
                profile = profile.withEpochs(epochs);
            }
            if (seeds != null) {
                profile = profile.withSeeds(seeds);
            }
            String what = methodName + " " + budget.describe() + " " + p;
            Consumer<String> tagged = m -> progress.accept(what + ": " + m);
            Separability sep;
            if (canaries) {
                Auditor.Settings settings = Auditor.Settings.of(profile).withDefences(false);
                AuditResult r =
                        Auditor.audit(
                                pairs,
                                new SkipCounts(),
                                BankClassifiers.of(bank),
                                settings,
                                tagged);
                if (!r.completed()) {
                    throw new IllegalStateException(
                            what + ": audit " + r.outcome() + ": " + r.reason());
                }
                sep = r.separability();
                cleanAcc = r.clean().finalAccuracy();
                protAcc = r.protectedCanary().finalAccuracy();
                cleanFollow = r.clean().followRate();
                protFollow = r.protectedCanary().followRate();
                score = r.efficacy().scoreFinal();
            } else {
                try {
                    sep =
                            Separability.measure(
                                    AuditSample.split(pairs, 0.2, 5, 20, 1, new SkipCounts()),
                                    profile,
                                    1,
                                    tagged);
                } catch (AuditSample.TooFewPairs e) {
                    throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
                }
            }
            probeAcc = sep.probeAccuracy();
            control = sep.controlAccuracy();
        }
        progress.accept(
                String.format(
                        Locale.ROOT,
                        "robustness: %s %s %s in %.1f s",
                        methodName,
                        budget.describe(),
                        p,
                        (System.nanoTime() - t0) / 1e9));
        return new Cell(
                p.name(),
                side,
                l2 / n,
                (double) named / n,
                probeAcc,
                control,
                cleanAcc,
                protAcc,
                cleanFollow,
                protFollow,
                score);
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
                "Per pipeline: L2 left (at the 32x32x3 scale) / AR-filter integrity"
                        + " [/ probe (control)]");
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
