package io.scrapeguard.core.cli;

import io.scrapeguard.core.BankCheck;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.CoefficientSearch;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./guard processes search|check}: build and verify AR process banks. */
@Command(
        name = "processes",
        mixinStandardHelpOptions = true,
        description = "Find AR process banks (paper Algorithm 1) and check them.",
        subcommands = {
            ProcessesCommand.Search.class,
            ProcessesCommand.Check.class,
            ProcessesCommand.Show.class
        })
public final class ProcessesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(
            name = "search",
            mixinStandardHelpOptions = true,
            description =
                    "Search K AR processes whose filters tell them apart (threshold T); seeded"
                            + " and reproducible whatever the thread count.")
    static final class Search implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--classes", required = true, description = "number of processes K")
        int classes;

        @Option(
                names = "--threshold",
                defaultValue = "10",
                description =
                        "lowest filter response a new process must cause (default:"
                                + " ${DEFAULT-VALUE})")
        double threshold;

        @Option(
                names = "--seed",
                defaultValue = "0",
                description = "random seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--out", required = true, description = "bank JSON to write")
        Path out;

        @Option(names = "--threads", description = "worker threads (default: all cores)")
        Integer threads;

        @Option(
                names = "--max-candidates",
                defaultValue = "2000000000",
                description = "give up after this many candidates (default: ${DEFAULT-VALUE})")
        long maxCandidates;

        @Option(
                names = "--norm-bound",
                defaultValue = "50",
                description =
                        "stability bound on a trial's pre-scaling L2 norm (default:"
                                + " ${DEFAULT-VALUE})")
        double normBound;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            CoefficientSearch search =
                    CoefficientSearch.of(classes, threshold)
                            .seed(seed)
                            .maxCandidates(maxCandidates)
                            .maxNorm(normBound);
            if (threads != null) {
                search = search.threads(threads);
            }
            CommandSupport.Throttle throttle = new CommandSupport.Throttle(1.0);
            CoefficientSearch.Result r =
                    search.run(
                            s -> {
                                if (throttle.due()) {
                                    err.println(line(s));
                                    err.flush();
                                }
                            });
            r.bank().save(this.out);
            CoefficientSearch.Stats s = r.stats();
            out.printf(
                    Locale.ROOT,
                    "found %d processes (threshold %s, seed %d) after %,d candidates"
                            + " (%,d unstable, %,d too close to an accepted process) in %.1f s%n",
                    s.accepted(),
                    fmt(threshold),
                    seed,
                    s.candidates(),
                    s.unstable(),
                    s.filtered(),
                    s.elapsed().toNanos() / 1e9);
            out.printf(
                    "bank %s fingerprint %s written to %s%n",
                    "(" + r.bank().size() + " processes)", r.bank().fingerprint(), this.out);
            out.flush();
            return 0;
        }

        private static String line(CoefficientSearch.Stats s) {
            return String.format(
                    Locale.ROOT,
                    "search: %d/%d processes, %,d candidates (%,d unstable,"
                            + " %,d filtered), %.1f s",
                    s.accepted(),
                    s.target(),
                    s.candidates(),
                    s.unstable(),
                    s.filtered(),
                    s.elapsed().toNanos() / 1e9);
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Filter-classifier accuracy per class on freshly generated perturbations"
                            + " (exit 1 when a class is below --min-accuracy).")
    static final class Check implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(
                index = "0",
                arity = "0..1",
                description = "bank JSON (default: the paper's ten processes)")
        Path bankFile;

        @Option(
                names = "--samples",
                defaultValue = "1000",
                description = "fresh perturbations per class (default: ${DEFAULT-VALUE})")
        int samples;

        @Option(
                names = "--size",
                defaultValue = "32",
                description = "image size S, HxW or HxWxC (default: ${DEFAULT-VALUE})")
        String size;

        @Option(
                names = "--budget",
                defaultValue = "l2=1.11",
                description = "budget, l2=EPS (at 32x32x3) or linf=EPS (default: ${DEFAULT-VALUE})")
        String budget;

        @Option(
                names = "--delivered",
                description = "also measure after clamping and 8-bit rounding on synthetic photos")
        boolean delivered;

        @Option(
                names = "--min-accuracy",
                defaultValue = "0.99",
                description = "lowest acceptable accuracy per class (default: ${DEFAULT-VALUE})")
        double minAccuracy;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ProcessBank bank = CommandSupport.bank(bankFile);
            int[] s = CommandSupport.shape(size);
            Budget b = Budget.parse(budget);
            // the check's own random images need no secret: a fixed public key keeps it quiet
            SeedingKey key = SeedingKey.of("scrapeguard/processes-check");
            long t0 = System.nanoTime();
            BankCheck.Report r = BankCheck.run(bank, key, b, samples, s[0], s[1], s[2], delivered);
            out.printf(
                    "bank %s: %d processes, %d fresh perturbations per class at %s, %s%n",
                    bank.fingerprint(),
                    bank.size(),
                    samples,
                    CommandSupport.fmtShape(s),
                    b.describe());
            out.println(delivered ? "class  accuracy  delivered" : "class  accuracy");
            int failing = -1;
            for (int k = 0; k < bank.size(); k++) {
                if (delivered) {
                    out.printf(
                            Locale.ROOT,
                            "%5d  %7.2f%%  %8.2f%%%n",
                            k,
                            100 * r.raw()[k],
                            100 * r.delivered()[k]);
                } else {
                    out.printf(Locale.ROOT, "%5d  %7.2f%%%n", k, 100 * r.raw()[k]);
                }
                double worst = delivered ? Math.min(r.raw()[k], r.delivered()[k]) : r.raw()[k];
                if (worst < minAccuracy && failing < 0) {
                    failing = k;
                }
            }
            out.printf(
                    Locale.ROOT,
                    "min accuracy %.2f%%%s in %.1f s%n",
                    100 * r.minRaw(),
                    delivered
                            ? String.format(
                                    Locale.ROOT, ", delivered %.2f%%", 100 * r.minDelivered())
                            : "",
                    (System.nanoTime() - t0) / 1e9);
            out.flush();
            if (failing >= 0) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                Locale.ROOT,
                                "guard: error: bank fails the check: class %d below %.2f%%%n",
                                failing,
                                100 * minAccuracy);
                return 1;
            }
            out.println("check passed");
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description =
                    "Write a PNG of sample perturbations: one row per class (contrast stretched).")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(
                index = "0",
                arity = "0..1",
                description = "bank JSON (default: the paper's ten processes)")
        Path bankFile;

        @Option(names = "--out", required = true, description = "PNG to write")
        Path out;

        @Option(
                names = "--samples",
                defaultValue = "6",
                description = "samples per class (default: ${DEFAULT-VALUE})")
        int samples;

        @Option(
                names = "--size",
                defaultValue = "32",
                description = "S, HxW or HxWxC (default: ${DEFAULT-VALUE})")
        String size;

        @Option(
                names = "--zoom",
                defaultValue = "3",
                description = "pixel zoom (default: ${DEFAULT-VALUE})")
        int zoom;

        @Override
        public Integer call() throws java.io.IOException {
            ProcessBank bank = CommandSupport.bank(bankFile);
            int[] s = CommandSupport.shape(size);
            // samples come from a fixed public key: the picture shows the processes, not real
            // deltas
            io.scrapeguard.core.ArPerturbationMethod m =
                    new io.scrapeguard.core.ArPerturbationMethod(
                            bank, SeedingKey.of("scrapeguard/processes-show"), Budget.defaultL2());
            io.scrapeguard.imaging.Image8 sheet =
                    io.scrapeguard.core.PerturbationSheet.render(
                            m, bank.size(), samples, s[0], s[1], s[2], zoom);
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            java.nio.file.Files.write(out, sheet.encodePng());
            spec.commandLine()
                    .getOut()
                    .printf(
                            "wrote %s: %d classes x %d samples at %s (bank %s)%n",
                            out,
                            bank.size(),
                            samples,
                            CommandSupport.fmtShape(s),
                            bank.fingerprint());
            return 0;
        }
    }

    static String fmt(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}
