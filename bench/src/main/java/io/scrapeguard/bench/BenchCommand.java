package io.scrapeguard.bench;

import io.scrapeguard.core.CoefficientSearch;
import io.scrapeguard.core.cli.CommandSupport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./guard bench generation|search|robustness|...}: benchmarks that print tables. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Benchmarks that print tables (not tests): AR engine, embedded stack, pipeline,"
                        + " audit, robustness to scrapers.",
        subcommands = {
            BenchCommand.Generation.class,
            BenchCommand.Search.class,
            StackStartupBenchmark.class,
            DelegatingBenchmarks.Pipeline.class,
            DelegatingBenchmarks.Audit.class,
            io.scrapeguard.bench.robustness.RobustnessBenchmark.class
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Command(
            name = "generation",
            mixinStandardHelpOptions = true,
            description = {
                "Perturbation generation rate (HMAC seeding, Algorithm 2, budget scaling).",
                "Without --size/--threads: 32x32x3, 224x224x3, 1024x1024x3 at 1 thread and all"
                        + " cores.",
                "The last line is images_per_second=N for the last row."
            })
    static final class Generation implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--size",
                description = "S, HxW or HxWxC (default: the three standard sizes)")
        String size;

        @Option(names = "--threads", description = "threads (default: 1 and all cores)")
        Integer threads;

        @Option(
                names = "--seconds",
                defaultValue = "3",
                description = "seconds per row (default: ${DEFAULT-VALUE})")
        double seconds;

        @Option(
                names = "--backend",
                defaultValue = "java",
                description = "java, djl or all (default: ${DEFAULT-VALUE})")
        String backend;

        @Option(
                names = "--batch",
                defaultValue = "256",
                description = "DJL batch size (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(
                names = "--djl-threads",
                defaultValue = "1",
                description =
                        "PyTorch CPU threads for the djl backend; more threads spin and lose on a"
                                + " busy machine (default: ${DEFAULT-VALUE})")
        int djlThreads;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
            }
            if (threads != null && threads <= 0) {
                throw new IllegalArgumentException("--threads must be positive, got " + threads);
            }
            if (batch <= 0) {
                throw new IllegalArgumentException("--batch must be positive, got " + batch);
            }
            List<int[]> sizes =
                    size != null
                            ? List.of(CommandSupport.shape(size))
                            : List.of(
                                    new int[] {32, 32, 3},
                                    new int[] {224, 224, 3},
                                    new int[] {1024, 1024, 3});
            List<Integer> threadCounts =
                    threads != null
                            ? List.of(threads)
                            : cores() > 1 ? List.of(1, cores()) : List.of(1);
            if (djlThreads <= 0) {
                throw new IllegalArgumentException(
                        "--djl-threads must be positive, got " + djlThreads);
            }
            // read by DJL's PyTorch engine when it starts (first djl row)
            if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(djlThreads));
                System.setProperty(
                        "ai.djl.pytorch.num_interop_threads", Integer.toString(djlThreads));
            }
            List<String> backends =
                    switch (backend.toLowerCase(Locale.ROOT)) {
                        case "java" -> List.of("java");
                        case "djl" -> List.of("djl");
                        case "all", "both" -> List.of("java", "djl");
                        default ->
                                throw new IllegalArgumentException(
                                        "unknown backend '" + backend + "'; use java, djl or all");
                    };
            out.printf(
                    Locale.ROOT,
                    "generation benchmark: %d cores, Java %s, %.1f s per row, load average %.1f%n",
                    cores(),
                    Runtime.version(),
                    seconds,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
            out.println(
                    "images/s is wall-clock throughput; per CPU-second is the per-core rate of the"
                            + " generating threads (robust on a shared machine)");
            out.printf(
                    "%-8s %-12s %7s %14s %16s %14s%n",
                    "backend", "size", "threads", "images/s", "per CPU-second", "CPU us/image");
            out.flush();
            List<GenerationBenchmark.Row> rows = new ArrayList<>();
            for (String be : backends) {
                for (int[] s : sizes) {
                    List<Integer> tcs = be.equals("djl") ? List.of(1) : threadCounts;
                    for (int t : tcs) {
                        GenerationBenchmark.Row r =
                                be.equals("java")
                                        ? GenerationBenchmark.measureJava(
                                                s[0], s[1], s[2], t, seconds)
                                        : DjlBench.measure(s[0], s[1], s[2], batch, seconds);
                        rows.add(r);
                        out.printf(
                                Locale.ROOT,
                                "%-8s %-12s %7d %,14.0f %,16.0f %14.2f%n",
                                r.backend(),
                                CommandSupport.fmtShape(s),
                                r.threads(),
                                r.imagesPerSecond(),
                                r.imagesPerCpuSecond(),
                                1e6 / r.imagesPerCpuSecond());
                        out.flush();
                    }
                }
            }
            out.printf(
                    Locale.ROOT,
                    "images_per_second=%.0f%n",
                    rows.get(rows.size() - 1).imagesPerSecond());
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "search",
            mixinStandardHelpOptions = true,
            description = {
                "Coefficient search wall time.",
                "Without --classes: K=10 T=10 and K=100 T=3 (the paper's two searches)."
            })
    static final class Search implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--classes", description = "K (default: 10 and 100)")
        Integer classes;

        @Option(names = "--threshold", description = "T (default: 10 for K=10, 3 for K=100)")
        Double threshold;

        @Option(
                names = "--seed",
                defaultValue = "0",
                description = "seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--threads", description = "threads (default: all cores)")
        Integer threads;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<double[]> runs = new ArrayList<>();
            if (classes != null) {
                runs.add(new double[] {classes, threshold != null ? threshold : 10});
            } else {
                runs.add(new double[] {10, threshold != null ? threshold : 10});
                runs.add(new double[] {100, threshold != null ? threshold : 3});
            }
            int t = threads != null ? threads : cores();
            out.printf("coefficient search benchmark: %d threads, seed %d%n", t, seed);
            out.printf(
                    "%5s %6s %7s %14s %12s %12s %10s%n",
                    "K", "T", "threads", "candidates", "unstable", "filtered", "wall s");
            out.flush();
            double last = 0;
            for (double[] r : runs) {
                CommandSupport.Throttle throttle = new CommandSupport.Throttle(5.0);
                CoefficientSearch.Result res =
                        CoefficientSearch.of((int) r[0], r[1])
                                .seed(seed)
                                .threads(t)
                                .run(
                                        s -> {
                                            if (throttle.due()) {
                                                err.printf(
                                                        Locale.ROOT,
                                                        "search: %d/%d processes, %,d candidates,"
                                                                + " %.0f s%n",
                                                        s.accepted(),
                                                        s.target(),
                                                        s.candidates(),
                                                        s.elapsed().toNanos() / 1e9);
                                                err.flush();
                                            }
                                        });
                CoefficientSearch.Stats s = res.stats();
                last = s.elapsed().toNanos() / 1e9;
                out.printf(
                        Locale.ROOT,
                        "%5d %6s %7d %,14d %,12d %,12d %10.2f%n",
                        (int) r[0],
                        fmt(r[1]),
                        t,
                        s.candidates(),
                        s.unstable(),
                        s.filtered(),
                        last);
                out.flush();
            }
            out.printf(Locale.ROOT, "search_seconds=%.2f%n", last);
            return 0;
        }

        private static String fmt(double x) {
            return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
        }
    }
}
