package io.scrapeguard.bench.audit;

import ai.djl.Device;
import io.scrapeguard.auditor.AuditProfile;
import io.scrapeguard.auditor.AuditResult;
import io.scrapeguard.auditor.Auditor;
import io.scrapeguard.auditor.BankClassifiers;
import io.scrapeguard.auditor.PairedFolders;
import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.gpu.Accelerators;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageRejectedException;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.dataset.SyntheticDataset;
import java.io.IOException;
import java.io.PrintStream;
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
 * The cost of each audit stage per profile and sample size, and what the canaries showed:
 * generates the synthetic dataset (or takes real photos), protects it with the AR method, audits
 * the folder pair, prints a table of seconds per stage and a table of efficacy.
 *
 * <pre>
 * java ... io.scrapeguard.bench.audit.AuditStageBenchmark [--pairs 2000,10000]
 *     [--profiles cpu-small,paper] [--epochs N] [--seeds N] [--size 32]
 *     [--photos DIR [--photo-size 32] [--photos-per-label 1000]]
 * </pre>
 *
 * Defaults are the issue's sizes and the profiles' own epochs: hours on CPU for {@code paper};
 * pass {@code --epochs} to measure the per-epoch cost and extrapolate. {@code --photos} audits a
 * folder of real photos ({@code <label>/*.png|jpg}, e.g. CIFAR-10) instead of the synthetic sizes
 * (beside them when {@code --pairs} is given too). Each row names the device it trained on.
 */
public final class AuditStageBenchmark {
    static final String SYNTHETIC = "synthetic";
    static final String PHOTOS = "photos";

    /** One audit: its data, profile, device, the seconds of each stage and what it showed. */
    record Row(String data, String profile, int pairs, int epochs, String device,
            Map<String, Double> seconds, Efficacy efficacy) {}

    /**
     * The canaries' accuracies on clean test images (final and peak; clean-trained and
     * protected-trained), the protection score on both, the follow rates, and the verdict. NaN
     * where the audit did not get that far.
     */
    record Efficacy(double cleanFinal, double cleanPeak, double protectedFinal,
            double protectedPeak, double scoreFinal, double scorePeak, double followClean,
            double followProtected, String verdict) {

        static Efficacy of(AuditResult r) {
            if (!r.completed() || r.clean() == null || r.protectedCanary() == null) {
                return new Efficacy(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, r.outcome() + ": " + r.reason());
            }
            AuditResult.Efficacy e = r.efficacy();
            return new Efficacy(r.clean().finalAccuracy(), r.clean().peakAccuracy(),
                    r.protectedCanary().finalAccuracy(), r.protectedCanary().peakAccuracy(),
                    e == null ? Double.NaN : e.scoreFinal(), e == null ? Double.NaN : e.scorePeak(),
                    r.clean().followRate(), r.protectedCanary().followRate(),
                    r.verdict() == null ? "-" : r.verdict().level().toString());
        }
    }

    /** One data set to audit: a folder pair made before the audits. */
    private record DataSet(String name, Path raw, Path protectedDir, int perLabelCap) {}

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(2000, 10000);
        boolean sizesGiven = false;
        List<String> profiles = List.of(AuditProfile.CPU_SMALL, AuditProfile.PAPER);
        Integer epochs = null;
        Integer seeds = null;
        int size = 32;
        Path photos = null;
        int photoSize = 32;
        int photosPerLabel = 1000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pairs" -> {
                    sizes = Stream.of(args[++i].split(",")).map(Integer::valueOf).toList();
                    sizesGiven = true;
                }
                case "--profiles" -> profiles = List.of(args[++i].split(","));
                case "--epochs" -> epochs = Integer.valueOf(args[++i]);
                case "--seeds" -> seeds = Integer.valueOf(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--photos" -> photos = Path.of(args[++i]);
                case "--photo-size" -> photoSize = Integer.parseInt(args[++i]);
                case "--photos-per-label" -> photosPerLabel = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        profiles.forEach(AuditProfile::named); // a typo fails before minutes of data generation
        String device = device(Accelerators.preferredDevice());
        System.err.println("bench: canaries train on " + device + " (" + profiles + ")");
        List<Row> rows = new ArrayList<>();
        Path work = Files.createTempDirectory("audit-bench");
        try {
            List<DataSet> sets = new ArrayList<>();
            if (photos != null) {
                long t0 = System.nanoTime();
                Path raw = work.resolve("photos");
                Path prot = work.resolve("photos-ar");
                PhotoSet.Prepared p = PhotoSet.prepare(photos, raw, photoSize, photosPerLabel);
                protect(raw, prot);
                System.err.printf(Locale.ROOT, "bench: %d photos of %d labels (%d unreadable) at"
                        + " %dx%d protected in %.1f s%n", p.photos(), p.labels(), p.unreadable(),
                        photoSize, photoSize, (System.nanoTime() - t0) / 1e9);
                sets.add(new DataSet(PHOTOS, raw, prot, photosPerLabel));
            }
            if (photos == null || sizesGiven) {
                for (int pairs : sizes) {
                    Path raw = work.resolve("raw-" + pairs);
                    Path prot = work.resolve("ar-" + pairs);
                    long t0 = System.nanoTime();
                    new SyntheticDataset(10, size, 1).write(raw, pairs / 10, l -> {});
                    protect(raw, prot);
                    System.err.printf(Locale.ROOT,
                            "bench: %d pairs generated and protected in %.1f s%n", pairs,
                            (System.nanoTime() - t0) / 1e9);
                    sets.add(new DataSet(SYNTHETIC, raw, prot, pairs));
                }
            }
            for (DataSet set : sets) {
                for (String name : profiles) {
                    AuditProfile p = AuditProfile.named(name).withMaxPairsPerLabel(
                            Math.max(2, set.perLabelCap()));
                    if (epochs != null) {
                        p = p.withEpochs(epochs);
                    }
                    if (seeds != null) {
                        p = p.withSeeds(seeds);
                    }
                    long start = System.nanoTime();
                    PairedFolders.Pairing pairing = PairedFolders.pair(set.raw(),
                            set.protectedDir(), p.maxPairsPerLabel(), 1, System.err::println);
                    double load = (System.nanoTime() - start) / 1e9;
                    AuditResult r = Auditor.audit(pairing.pairs(), pairing.skipped(),
                            BankClassifiers.load(null), Auditor.Settings.of(p),
                            System.err::println);
                    Map<String, Double> s = new LinkedHashMap<>();
                    s.put("load", load);
                    s.putAll(r.stageSeconds());
                    rows.add(new Row(set.name(), name, r.pairs(), p.epochs(), device, s,
                            Efficacy.of(r)));
                }
            }
        } finally {
            try (Stream<Path> w = Files.walk(work)) {
                w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        print(rows, System.out);
    }

    /** DJL's device as people write it: cpu, gpu(0). */
    static String device(Device d) {
        return d.isGpu() ? "gpu(" + d.getDeviceId() + ")" : "cpu";
    }

    static void protect(Path raw, Path out) throws IOException {
        Protector protector = new Protector(new ArPerturbationMethod(SeedingKey.of("bench")));
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
                    Files.write(dir.resolve(f.getFileName()),
                            protector.protect(img, k, f.getFileName().toString()).image()
                                    .encodePng());
                }
            }
        }
    }

    static void print(List<Row> rows, PrintStream out) {
        Set<String> stages = new LinkedHashSet<>();
        rows.forEach(r -> stages.addAll(r.seconds().keySet()));
        StringBuilder head = new StringBuilder(String.format("%-9s %-10s %7s %6s %-7s", "data",
                "profile", "pairs", "epochs", "device"));
        stages.forEach(s -> head.append(String.format(" %13s", s)));
        head.append(String.format(" %9s", "total s"));
        out.println(head);
        for (Row r : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "%-9s %-10s %7d %6d %-7s", r.data(), r.profile(), r.pairs(), r.epochs(),
                    r.device()));
            double total = 0;
            for (String s : stages) {
                Double v = r.seconds().get(s);
                line.append(v == null ? String.format(" %13s", "-")
                        : String.format(Locale.ROOT, " %13.1f", v));
                total += v == null ? 0 : v;
            }
            line.append(String.format(Locale.ROOT, " %9.1f", total));
            out.println(line);
        }
        out.println();
        out.println("efficacy: canary accuracy on clean test images, % (clean-trained /"
                + " protected-trained), protection score (1 = scraped model at chance)");
        String format = "%-9s %-10s %7s %6s %-7s %15s %15s %11s %13s  %s";
        out.println(String.format(format, "data", "profile", "pairs", "epochs", "device",
                "clean fin/peak", "prot. fin/peak", "score f/p", "follow c/p %", "verdict"));
        for (Row r : rows) {
            Efficacy e = r.efficacy();
            out.println(String.format(Locale.ROOT, format, r.data(), r.profile(), r.pairs(),
                    r.epochs(), r.device(),
                    pair(100 * e.cleanFinal(), 100 * e.cleanPeak(), "%.1f"),
                    pair(100 * e.protectedFinal(), 100 * e.protectedPeak(), "%.1f"),
                    pair(e.scoreFinal(), e.scorePeak(), "%.2f"),
                    pair(100 * e.followClean(), 100 * e.followProtected(), "%.1f"),
                    e.verdict()));
        }
    }

    private static String pair(double a, double b, String format) {
        return cell(a, format) + "/" + cell(b, format);
    }

    private static String cell(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
