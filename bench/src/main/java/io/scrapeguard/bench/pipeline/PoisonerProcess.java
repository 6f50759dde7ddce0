package io.scrapeguard.bench.pipeline;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.poisoner.ImagePipeline;
import io.scrapeguard.poisoner.Poisoner;
import io.scrapeguard.poisoner.PoisonerOptions;
import io.scrapeguard.poisoner.PoisonerTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The poisoner alone in its JVM (run with -Xmx512m by the benchmark), so its heap is measured
 * without the broker's. Args: bootstrap registry topicSuffix threads. Prints "running" when ready,
 * then "heap_peak_mb=N" and "heap_live_mb=N" when stdin closes, and exits.
 */
public final class PoisonerProcess {
    static String applicationId(String topicSuffix) {
        return "bench-poisoner" + topicSuffix;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        Path state = Files.createTempDirectory("bench-poisoner-");
        String method = System.getProperty("bench.method", ArVariants.DEFAULT);
        PoisonerOptions options =
                PoisonerOptions.defaults(args[0], args[1], state)
                        // ar-paper's corner blotch on large images is refused as weak-coverage;
                        // the benchmark measures what publishing it would cost
                        .withMinCoverage(
                                method.startsWith(ArVariants.PAPER)
                                        ? 0
                                        : ImagePipeline.DEFAULT_MIN_COVERAGE)
                        .withTopics(PoisonerTopics.withSuffix(args[2]))
                        .withApplicationId(applicationId(args[2]))
                        .withThreads(Integer.parseInt(args[3]))
                        .withStreamsOverrides(
                                new java.util.HashMap<>(
                                        PipelineBenchmark.settingsUnder("bench.streams.")));
        Protector protection =
                new Protector(
                        ArVariants.create(
                                method,
                                ProcessBank.paperDefault(),
                                SeedingKey.developmentDefault(),
                                Budget.defaultL2()));
        HeapSampler heap = HeapSampler.start();
        try (Poisoner p = Poisoner.start(options, protection, new SimpleMeterRegistry())) {
            p.awaitRunning(Duration.ofMinutes(2));
            System.out.println("running");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the benchmark to close our stdin
            }
            heap.stop();
            System.out.println("heap_peak_mb=" + heap.peakUsedBytes() / (1024 * 1024));
            System.out.println("heap_live_mb=" + heap.peakLiveBytes() / (1024 * 1024));
            System.out.flush();
        } finally {
            try (var files = Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
