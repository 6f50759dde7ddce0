package io.scrapeguard.bench.audit;

import io.scrapeguard.auditor.AuditProfile;
import io.scrapeguard.auditor.AuditResult;
import io.scrapeguard.auditor.AuditSummary;
import io.scrapeguard.auditor.Auditor;
import io.scrapeguard.auditor.BankClassifiers;
import io.scrapeguard.auditor.ImagePair;
import io.scrapeguard.auditor.PairedFolders;
import io.scrapeguard.auditor.ScraperResult;
import io.scrapeguard.auditor.SkipCounts;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.Protector;
import io.scrapeguard.dataset.SyntheticDataset;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cost of each audit stage per profile and sample size: generates the synthetic dataset,
 * protects it with the AR method, audits the folder pair, prints a table of seconds per stage.
 *
 * <pre>
 * java ... io.scrapeguard.bench.audit.AuditStageBenchmark [--pairs 2000,10000]
 *     [--profiles cpu-small,paper] [--epochs N] [--seeds N] [--seed S] [--size 32]
 * </pre>
 *
 * Defaults are the issue's sizes and the profiles' own epochs: hours on CPU for {@code paper}; pass
 * {@code --epochs} to measure the per-epoch cost and extrapolate; {@code --seed S} (default 1) is
 * the audit's seed (split, probes, canaries), for a second look at the same images. {@code
 * --scraper SPEC} (repeatable) sets the threat model (default: the built-in set), {@code
 * --canary-max-resolution PX} the canaries' limit, {@code --canary-flip} (or {@code
 * --no-canary-flip}) whether they train with horizontal flips (default: the profile's). {@code
 * --images DIR} audits real labelled photos ({@code <label>/*.png}, the first pairs/labels of each
 * label) instead of the generated set, optionally {@code --upscale R} (Pillow's bicubic, as {@code
 * resize:R}). Either set is protected with {@code --method ar|ar-tile32|noise} or any {@code
 * --method} name (e.g. {@code ar-multiscale}; default {@code ar}, Algorithm 2); {@code --budget B}
 * sets its budget (e.g. {@code l2=1.1}); {@code --scraped SPEC} applies a pipeline to both images
 * of every pair before the audit, so its native row is that pipeline's row of the full audit
 * without the cost of the native size. The scraper matrix and the per-pipeline cost are printed
 * after the stages.
 */
public final class AuditStageBenchmark {

    record Row(String profile, int pairs, int epochs, Map<String, Double> seconds) {}

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(2000, 10000);
        List<String> profiles = List.of(AuditProfile.CPU_SMALL, AuditProfile.PAPER);
        Integer epochs = null, seeds = null, canaryMax = null;
        Boolean flip = null;
        int size = 32, upscale = 0;
        List<String> scrapers = new ArrayList<>();
        Path images = null;
        String method = "ar", scraped = null;
        Budget budget = Budget.defaultL2();
        List<Double> dilution = null;
        boolean defences = true;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pairs" ->
                        sizes = Stream.of(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--profiles" -> profiles = List.of(args[++i].split(","));
                case "--epochs" -> epochs = Integer.valueOf(args[++i]);
                case "--seeds" -> seeds = Integer.valueOf(args[++i]);
                case "--canary-flip" -> flip = true;
                case "--no-canary-flip" -> flip = false;
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--scraper" -> scrapers.add(args[++i]);
                case "--canary-max-resolution" -> canaryMax = Integer.valueOf(args[++i]);
                case "--images" -> images = Path.of(args[++i]);
                case "--upscale" -> upscale = Integer.parseInt(args[++i]);
                case "--method" -> method = args[++i];
                case "--scraped" -> scraped = args[++i];
                case "--budget" -> budget = Budget.parse(args[++i]);
                case "--dilution" ->
                        dilution = Stream.of(args[++i].split(",")).map(Double::valueOf).toList();
                case "--no-defences" -> defences = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Row> rows = new ArrayList<>();
        List<AuditResult> results = new ArrayList<>();
        if (images != null) {
            for (int pairs : sizes) {
                long t0 = System.nanoTime();
                List<ImagePair> photoPairs =
                        PhotoPairs.load(images, pairs, upscale, method, budget, scraped);
                System.err.printf(
                        Locale.ROOT,
                        "bench: %d photo pairs (%s, upscaled to %s) in" + " %.1f s%n",
                        photoPairs.size(),
                        method,
                        upscale > 0 ? upscale : "-",
                        (System.nanoTime() - t0) / 1e9);
                for (String name : profiles) {
                    AuditProfile p = profile(name, pairs, epochs, seeds, flip);
                    AuditResult r =
                            Auditor.audit(
                                    photoPairs,
                                    new SkipCounts(),
                                    BankClassifiers.load(null),
                                    settings(p, scrapers, canaryMax, dilution)
                                            .withDefences(defences)
                                            .withSeed(seed),
                                    System.err::println);
                    rows.add(new Row(name, pairs, p.epochs(), r.stageSeconds()));
                    results.add(r);
                }
            }
            print(rows);
            printScrapers(results);
            return;
        }
        Path work = Files.createTempDirectory("audit-bench");
        try {
            for (int pairs : sizes) {
                Path raw = work.resolve("raw-" + pairs), prot = work.resolve("ar-" + pairs);
                long t0 = System.nanoTime();
                new SyntheticDataset(10, size, 1).write(raw, pairs / 10, l -> {});
                protect(raw, prot, PhotoPairs.method(method, 10, budget));
                System.err.printf(
                        Locale.ROOT,
                        "bench: %d pairs generated and protected (%s) in %.1f s%n",
                        pairs,
                        method,
                        (System.nanoTime() - t0) / 1e9);
                for (String name : profiles) {
                    AuditProfile p = profile(name, pairs, epochs, seeds, flip);
                    long start = System.nanoTime();
                    PairedFolders.Pairing pairing =
                            PairedFolders.pair(
                                    raw, prot, p.maxPairsPerLabel(), 1, System.err::println);
                    double load = (System.nanoTime() - start) / 1e9;
                    AuditResult r =
                            Auditor.audit(
                                    pairing.pairs(),
                                    pairing.skipped(),
                                    BankClassifiers.load(null),
                                    settings(p, scrapers, canaryMax, dilution)
                                            .withDefences(defences)
                                            .withSeed(seed),
                                    System.err::println);
                    Map<String, Double> s = new LinkedHashMap<>();
                    s.put("load", load);
                    s.putAll(r.stageSeconds());
                    rows.add(new Row(name, pairs, p.epochs(), s));
                    results.add(r);
                }
            }
        } finally {
            try (Stream<Path> w = Files.walk(work)) {
                w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        print(rows);
        printScrapers(results);
    }

    static AuditProfile profile(
            String name, int pairs, Integer epochs, Integer seeds, Boolean flip) {
        AuditProfile p = AuditProfile.named(name).withMaxPairsPerLabel(pairs);
        if (epochs != null) {
            p = p.withEpochs(epochs);
        }
        if (flip != null) {
            p = p.withFlip(flip);
        }
        return seeds != null ? p.withSeeds(seeds) : p;
    }

    static Auditor.Settings settings(
            AuditProfile p, List<String> scrapers, Integer canaryMax, List<Double> dilution) {
        Auditor.Settings s =
                Auditor.Settings.of(p).withScrapers(scrapers).withCanaryMaxResolution(canaryMax);
        return dilution == null ? s : s.withDilution(dilution);
    }

    /** Per audit: the scraper matrix, the verdict and each pipeline's seconds. */
    static void printScrapers(List<AuditResult> results) {
        for (AuditResult r : results) {
            if (!r.completed()) {
                continue;
            }
            System.out.printf(
                    Locale.ROOT,
                    "%n%s, %d pairs of %s: verdict %s (%s)%n",
                    r.profile().name(),
                    r.pairs(),
                    r.imageShape(),
                    r.verdict().level(),
                    r.verdict().brief());
            System.out.print(AuditSummary.matrix(r));
            System.out.printf(
                    "%-22s %-10s %9s %s%n", "pipeline", "shape", "seconds", "canary seeds");
            double total = 0;
            for (ScraperResult s : r.scrapers()) {
                System.out.printf(
                        Locale.ROOT,
                        "%-22s %-10s %9.1f %s%n",
                        s.name(),
                        s.imageShape(),
                        s.seconds(),
                        s.canariesRan() ? s.canaries().clean().runs().size() : "-");
                total += s.seconds();
            }
            System.out.printf(Locale.ROOT, "%-22s %-10s %9.1f%n", "all pipelines", "", total);
            for (AuditResult.Dilution d : r.dilution()) {
                System.out.printf(
                        Locale.ROOT,
                        "dilution %.2f under %s: protection score %.2f," + " follow rate %.1f%%%n",
                        d.fraction(),
                        d.pipeline(),
                        d.scoreFinal(),
                        100 * d.followRate());
            }
        }
    }

    static void protect(Path raw, Path out, PerturbationMethod method) throws IOException {
        Protector protector = new Protector(method);
        List<Path> labels;
        try (Stream<Path> s = Files.list(raw)) {
            labels = s.sorted().toList();
        }
        for (int k = 0; k < labels.size(); k++) {
            Path dir = Files.createDirectories(out.resolve(labels.get(k).getFileName()));
            try (Stream<Path> files = Files.list(labels.get(k))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Image8 img;
                    try {
                        img = ImageCodec.decode(Files.readAllBytes(f));
                    } catch (ImageRejectedException e) {
                        throw new IOException(f + ": " + e.reason() + ": " + e.getMessage(), e);
                    }
                    Files.write(
                            dir.resolve(f.getFileName()),
                            protector
                                    .protect(img, k, f.getFileName().toString())
                                    .image()
                                    .encodePng());
                }
            }
        }
    }

    static void print(List<Row> rows) {
        Set<String> stages = new LinkedHashSet<>();
        rows.forEach(r -> stages.addAll(r.seconds().keySet()));
        StringBuilder head =
                new StringBuilder(String.format("%-10s %7s %6s", "profile", "pairs", "epochs"));
        stages.forEach(s -> head.append(String.format(" %13s", s)));
        head.append(String.format(" %9s", "total s"));
        System.out.println(head);
        for (Row r : rows) {
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "%-10s %7d %6d",
                                    r.profile(),
                                    r.pairs(),
                                    r.epochs()));
            double total = 0;
            for (String s : stages) {
                Double v = r.seconds().get(s);
                line.append(
                        v == null
                                ? String.format(" %13s", "-")
                                : String.format(Locale.ROOT, " %13.1f", v));
                total += v == null ? 0 : v;
            }
            line.append(String.format(Locale.ROOT, " %9.1f", total));
            System.out.println(line);
        }
    }
}
