package io.scrapeguard.bench;

import io.scrapeguard.bench.audit.AuditStageBenchmark;
import io.scrapeguard.bench.pipeline.PipelineBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code ./guard bench pipeline|audit}: the pipeline and audit benchmarks, arguments passed on. */
final class DelegatingBenchmarks {
    private DelegatingBenchmarks() {}

    @Command(
            name = "pipeline",
            mixinStandardHelpOptions = true,
            description = {
                "End-to-end images/s through the embedded broker (32x32, 512x512 PNG).",
                "Beside it: the codec-bound and producer-only rates, CPU per image and the"
                        + " poisoner's heap.",
                "Arguments: [images at 32x32 (default 300000)] [images at 512x512 (default 3000)].",
                "JVM options (GUARD_JAVA_OPTS): -Dbench.streams.<config>=<value> (Kafka Streams),"
                    + " -Dbench.producer.<config>=<value> (publisher),"
                    + " -Dbench.method=ar-paper|ar-tiled|ar-multiscale (default: the poisoner's),"
                    + " -Dbench.poisoner.jvm=\"...\" (the poisoner's JVM; it runs -Xmx512m, and"
                    + " Parallel GC unless these name another collector)."
            })
    static final class Pipeline implements Callable<Integer> {
        @Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            PipelineBenchmark.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(
            name = "audit",
            mixinStandardHelpOptions = true,
            description = {
                "Cost of each audit stage per profile and sample size, and the canaries' efficacy;"
                        + " each row names the device it trained on (paper: give it a GPU).",
                "Arguments: [--pairs 2000,10000] [--profiles cpu-small,paper] [--epochs N]"
                        + " [--seeds N] [--size S] [--scraper SPEC]... [--canary-max-resolution PX]"
                        + " [--no-defences] [--images DIR [--upscale R]"
                        + " [--method ar|ar-tile32|noise] [--scraped SPEC]].",
                "Prints the seconds per stage, then per audit the scraper matrix and the seconds"
                        + " per pipeline. --images audits real labelled photos instead of the"
                        + " generated set."
            })
    static final class Audit implements Callable<Integer> {
        @Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            AuditStageBenchmark.main(args.toArray(String[]::new));
            return 0;
        }
    }
}
