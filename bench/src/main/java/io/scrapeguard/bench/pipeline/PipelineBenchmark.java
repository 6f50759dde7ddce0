package io.scrapeguard.bench.pipeline;

import io.scrapeguard.app.TopicExporter;
import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.poisoner.ImagePipeline;
import io.scrapeguard.poisoner.LabelPolicy;
import io.scrapeguard.poisoner.PoisonerTopics;
import io.scrapeguard.producer.ImagePublisher;
import io.scrapeguard.producer.ImageSources;
import io.scrapeguard.producer.ProducerSettings;
import io.scrapeguard.producer.ProgressBar;
import io.scrapeguard.producer.PublishSummary;
import io.scrapeguard.schemas.LabelAssignment;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End-to-end images/s through the embedded broker (32x32 and 512x512 PNG), beside the codec-bound
 * rate of the same machine (decode + perturb + encode in a loop, no Kafka) and the producer-only
 * rate; the poisoner runs in its own JVM with -Xmx512m and reports its peak heap.
 *
 * <pre>
 * java -cp "bench/target/classes:cli/target/lib/*" io.scrapeguard.bench.pipeline.PipelineBenchmark [n32] [n512]
 * </pre>
 */
public final class PipelineBenchmark {
    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();

    /** The end-to-end rate is timed after this long and the first half of the images. */
    static final Duration WARM_UP = Duration.ofSeconds(20);

    /** The codec-bound loops stop after this long (or when the images run out). */
    static final Duration CODEC_TIME = Duration.ofSeconds(30);

    record Row(
            int size,
            double codec1,
            double codecBefore,
            double codecAfter,
            double producer,
            double endToEnd,
            double codecCpuMs,
            double poisonerCpuMs,
            double brokerCpuMs,
            long heapMb,
            long liveMb) {
        /** The codec-bound rate around the end-to-end run (the VM's speed drifts over minutes). */
        double codecAll() {
            return (codecBefore + codecAfter) / 2;
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        // enough images that a good part runs after the warm-up (see WARM_UP)
        int n32 = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int n512 = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
        List<Row> rows = new ArrayList<>();
        try (EmbeddedStack stack = EmbeddedStack.builder().progress(System.err).start()) {
            if (n32 > 0) {
                rows.add(run(stack, 32, n32));
            }
            if (n512 > 0) {
                rows.add(run(stack, 512, n512));
            }
        }
        print(rows, System.out);
    }

    private static Row run(EmbeddedStack stack, int size, int n) throws Exception {
        System.err.printf("bench: %dx%d, %d images: generating%n", size, size, n);
        AtomicInteger made = new AtomicInteger();
        List<byte[]> images =
                java.util.stream.IntStream.range(0, n)
                        .parallel()
                        .mapToObj(
                                i -> {
                                    byte[] png = BenchImages.png(size, i);
                                    int k = made.incrementAndGet();
                                    if (k % Math.max(1, n / 10) == 0) {
                                        System.err.printf("bench: generated %d of %d%n", k, n);
                                    }
                                    return png;
                                })
                        .toList();
        double codec1 = codecBound(images, 1)[0];
        double[] codecAll = codecBound(images, THREADS);
        String suffix = ".bench" + size;
        PoisonerTopics topics = PoisonerTopics.withSuffix(suffix);
        double producer = producerOnly(stack, images, topics.raw(), size);
        double[] e2e = endToEnd(stack, topics, n, suffix);
        double[] codecAfter = codecBound(images, THREADS);
        return new Row(
                size,
                codec1,
                codecAll[0],
                codecAfter[0],
                producer,
                e2e[0],
                (codecAll[1] + codecAfter[1]) / 2,
                e2e[1],
                e2e[2],
                (long) e2e[3],
                (long) e2e[4]);
    }

    /**
     * Decode + perturb + encode in a loop on {@code threads} threads, no Kafka: images/s and CPU
     * milliseconds per image, over all the images or {@link #CODEC_TIME}, whichever ends first (the
     * loop has no warm-up to outlast, and a long 512x512 run would otherwise spend minutes here).
     */
    static double[] codecBound(List<byte[]> images, int threads) throws Exception {
        Protector protection =
                new Protector(
                        ArVariants.create(
                                System.getProperty("bench.method", ArVariants.DEFAULT),
                                ProcessBank.paperDefault(),
                                SeedingKey.developmentDefault(),
                                Budget.defaultL2()));
        ImagePipeline pipeline =
                ImagePipeline.png(
                        protection,
                        LabelPolicy.OPEN,
                        label -> new LabelAssignment(label, 0, 0),
                        ImageLimits.DEFAULT);
        // warm up
        for (int i = 0; i < Math.min(images.size(), 50); i++) {
            pipeline.process("warm-" + i, "a", images.get(i));
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong cpuNanos = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        long deadline = t0 + CODEC_TIME.toNanos();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(
                    pool.submit(
                            () -> {
                                long cpu0 = THREAD_CPU.getCurrentThreadCpuTime();
                                int i;
                                while (System.nanoTime() < deadline
                                        && (i = next.getAndIncrement()) < images.size()) {
                                    pipeline.process(
                                            "img-" + i, "label-" + (i % 10), images.get(i));
                                    done.incrementAndGet();
                                }
                                cpuNanos.addAndGet(THREAD_CPU.getCurrentThreadCpuTime() - cpu0);
                                return null;
                            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return new double[] {done.get() / secs, cpuNanos.get() / 1e6 / done.get()};
    }

    /**
     * System properties under {@code prefix}, without it: {@code -Dbench.producer.<config>=<value>}
     * for the publisher, {@code -Dbench.streams.<config>=<value>} for the poisoner.
     */
    static Map<String, String> settingsUnder(String prefix) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), System.getProperty(k));
            }
        }
        return m;
    }

    /** The producer library publishing files from disk to the raw topic. */
    static double producerOnly(EmbeddedStack stack, List<byte[]> images, String topic, int size)
            throws Exception {
        Path dir = Files.createTempDirectory("bench-images-");
        try {
            for (int i = 0; i < images.size(); i++) {
                Path p = dir.resolve("label-" + (i % 10)).resolve("img-" + i + ".png");
                Files.createDirectories(p.getParent());
                Files.write(p, images.get(i));
            }
            stack.createTopics(List.of(topic), THREADS);
            var listing = ImageSources.list(List.of(dir), null);
            try (Topics t = Topics.forRegistry(stack.registryUrl());
                    KafkaProducer<String, RawImage> producer =
                            new KafkaProducer<>(
                                    ProducerSettings.with(
                                            stack.bootstrapServers(),
                                            settingsUnder("bench.producer.")),
                                    new StringSerializer(),
                                    t.rawImages().valueSerde().serializer());
                    ProgressBar bar =
                            new ProgressBar(
                                    new PrintStream(OutputStream.nullOutputStream()),
                                    listing.items().size(),
                                    false)) {
                long t0 = System.nanoTime();
                PublishSummary s =
                        new ImagePublisher(
                                        producer,
                                        topic,
                                        ImageLimits.DEFAULT,
                                        ProducerSettings.DEFAULT_MAX_IN_FLIGHT_BYTES,
                                        "bench")
                                .publish(listing.items(), bar);
                double secs = (System.nanoTime() - t0) / 1e9;
                if (s.sent() != images.size()) {
                    throw new IllegalStateException("producer sent " + s.lastLine());
                }
                return images.size() / secs;
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The collector ./guard and the poisoner's container image run it with. */
    static final String POISONER_GC = "-XX:+UseParallelGC";

    /**
     * Raw topic pre-loaded; the poisoner (own JVM, -Xmx512m, Parallel GC) protects all of it:
     * images/s, heap.
     */
    static double[] endToEnd(EmbeddedStack stack, PoisonerTopics topics, int n, String suffix)
            throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m"));
        // -Dbench.poisoner.jvm="-XX:..." adds JVM options to the poisoner (a profiler, a GC)
        String jvm = System.getProperty("bench.poisoner.jvm", "").trim();
        if (!jvm.matches(".*-XX:\\+Use\\w*GC.*")) {
            command.add(POISONER_GC); // unless the options name another collector
        }
        if (!jvm.isEmpty()) {
            command.addAll(List.of(jvm.split("\\s+")));
        }
        // -Dbench.streams.<config>=<value> on the benchmark passes Streams settings to the poisoner
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("bench.streams.") || k.equals("bench.method"))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        PoisonerProcess.class.getName(),
                        stack.bootstrapServers(),
                        stack.registryUrl(),
                        suffix,
                        Integer.toString(THREADS)));
        Process child =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            while (line != null && !"running".equals(line)) {
                System.err.println("poisoner: " + line); // a JVM option may print first
                line = out.readLine();
            }
            if (line == null) {
                throw new IllegalStateException("the poisoner exited before it was running");
            }
            // steady state, as a long-running poisoner sees it: the JIT compiles Kafka, Avro and
            // the codec for its first several seconds (16% of its CPU 8-23 s in at 32x32). It
            // counts calls, not seconds: at 512x512 (30 images/s) it still took 6-9% of the
            // poisoner's CPU 40 s in, 1-4% afterwards.
            int warm = n / 2;
            Window w =
                    waitForCommitted(
                            stack,
                            PoisonerProcess.applicationId(suffix),
                            topics.raw(),
                            warm,
                            n,
                            child.toHandle());
            child.getOutputStream().close();
            long heap = -1;
            long live = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("heap_peak_mb=")) {
                    heap = Long.parseLong(line.substring("heap_peak_mb=".length()));
                } else if (line.startsWith("heap_live_mb=")) {
                    live = Long.parseLong(line.substring("heap_live_mb=".length()));
                }
            }
            child.waitFor();
            int published =
                    TopicExporter.countCommitted(
                            stack.bootstrapServers(),
                            topics.protectedImages(),
                            Duration.ofMinutes(2));
            if (published != n) {
                throw new IllegalStateException(
                        "the protected topic holds " + published + " records, expected " + n);
            }
            return new double[] {
                w.rate(), w.poisonerCpuMsPerRecord(), w.benchCpuMsPerRecord(), heap, live
            };
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * Records committed between two instants, with the CPU the poisoner and this JVM (the broker
     * and the progress polling) spent meanwhile.
     */
    record Window(
            long startNanos,
            long endNanos,
            int records,
            long poisonerCpuNanos,
            long benchCpuNanos) {
        double rate() {
            return records / ((endNanos - startNanos) / 1e9);
        }

        double poisonerCpuMsPerRecord() {
            return poisonerCpuNanos / 1e6 / records;
        }

        double benchCpuMsPerRecord() {
            return benchCpuNanos / 1e6 / records;
        }
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * Follows the poisoner's committed input offsets until all {@code n} raw records are done, and
     * times those after the first {@code warm} and {@link #WARM_UP}. Under exactly-once a raw
     * offset is committed in the same transaction as its output, so this is the committed
     * end-to-end progress, read without a consumer competing for the same cores (reading every
     * image back cost the broker and this JVM about 20 us per 32x32 image). The output is checked
     * afterwards, untimed.
     */
    private static Window waitForCommitted(
            EmbeddedStack stack,
            String applicationId,
            String rawTopic,
            int warm,
            int n,
            ProcessHandle poisoner)
            throws Exception {
        ProcessHandle self = ProcessHandle.current();
        long start = System.nanoTime();
        long poisonerCpu = cpuNanos(poisoner);
        long selfCpu = cpuNanos(self);
        long atStart = 0;
        long begin = System.nanoTime();
        long deadline = begin + Duration.ofMinutes(10).toNanos();
        try (Admin admin = Admin.create(stack.adminConfig())) {
            long done = 0;
            while (done < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + done + " of " + n + " protected");
                }
                Thread.sleep(100);
                done =
                        admin
                                .listConsumerGroupOffsets(applicationId)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .entrySet()
                                .stream()
                                .filter(e -> e.getKey().topic().equals(rawTopic))
                                .mapToLong(e -> e.getValue().offset())
                                .sum();
                if (atStart == 0
                        && done >= warm
                        && System.nanoTime() - begin >= WARM_UP.toNanos()) {
                    start = System.nanoTime();
                    poisonerCpu = cpuNanos(poisoner);
                    selfCpu = cpuNanos(self);
                    atStart = done;
                }
            }
            if (atStart == 0 || n - atStart < n / 10) {
                throw new IllegalStateException(
                        String.format(
                                "only %d of %d images ran after the warm-up (%d s and a half):"
                                        + " give the benchmark more images",
                                n - atStart, n, WARM_UP.toSeconds()));
            }
            return new Window(
                    start,
                    System.nanoTime(),
                    (int) (done - atStart),
                    cpuNanos(poisoner) - poisonerCpu,
                    cpuNanos(self) - selfCpu);
        }
    }

    static void print(List<Row> rows, PrintStream out) {
        out.println();
        out.printf(
                Locale.ROOT,
                "Pipeline benchmark (%d cores, images/s; end-to-end through the embedded broker,"
                        + " exactly-once, timed after the first half and %d s warmed up)%n",
                THREADS,
                WARM_UP.toSeconds());
        out.printf(
                Locale.ROOT,
                "| %-7s | %8s | %13s | %8s | %10s | %9s | %25s | %9s | %16s |%n",
                "size",
                "codec 1t",
                "codec all b/a",
                "producer",
                "end-to-end",
                "e2e/codec",
                "CPU ms/image: codec/pois/bkr",
                "CPU eff.",
                "heap peak/live");
        out.println(
                "|---------|----------|---------------|----------|------------|-----------|"
                        + "------------------------------|-----------|------------------|");
        for (Row r : rows) {
            out.printf(
                    Locale.ROOT,
                    "| %-7s | %8.0f | %6.0f/%6.0f | %8.0f | %10.0f | %8.0f%% | %8.3f / %7.3f /"
                            + " %7.3f | %8.0f%% | %6d / %4d MB |%n",
                    r.size() + "x" + r.size(),
                    r.codec1(),
                    r.codecBefore(),
                    r.codecAfter(),
                    r.producer(),
                    r.endToEnd(),
                    100 * r.endToEnd() / r.codecAll(),
                    r.codecCpuMs(),
                    r.poisonerCpuMs(),
                    r.brokerCpuMs(),
                    100 * r.codecCpuMs() / r.poisonerCpuMs(),
                    r.heapMb(),
                    r.liveMb());
        }
        out.println(
                "codec all b/a: the codec-bound rate on all cores before and after the end-to-end"
                        + " run; e2e/codec uses their mean.");
        out.println(
                "Targets: end-to-end >= 70% of codec-bound; poisoner heap < 512 MB (it runs with"
                        + " -Xmx512m and "
                        + POISONER_GC
                        + "; peak = heap in use sampled every 10 ms, live = after a"
                        + " collection).");
        out.println(
                "CPU ms/image: codec loop, poisoner JVM, benchmark JVM (the broker, and polling the"
                    + " poisoner's committed offsets); CPU eff. = codec / poisoner: the share of"
                    + " the poisoner's CPU that is image work.");
    }
}
