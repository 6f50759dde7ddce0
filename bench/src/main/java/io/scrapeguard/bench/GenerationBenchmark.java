package io.scrapeguard.bench;

import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Generation throughput of the Java path: T threads each producing budget-scaled AR perturbations
 * (HMAC seeding included) for distinct image ids, for a fixed wall time.
 */
public final class GenerationBenchmark {
    /** One measurement. */
    public record Row(
            String backend,
            int height,
            int width,
            int channels,
            int threads,
            long images,
            double seconds,
            double cpuSeconds) {
        public double imagesPerSecond() {
            return images / seconds;
        }

        /**
         * Images per CPU-second of the generating threads: the per-core rate, meaningful even on a
         * machine shared with other work (wall-clock rates are not).
         */
        public double imagesPerCpuSecond() {
            return cpuSeconds > 0 ? images / cpuSeconds : Double.NaN;
        }
    }

    private GenerationBenchmark() {}

    public static Row measureJava(int h, int w, int c, int threads, double seconds) {
        ArPerturbationMethod method =
                new ArPerturbationMethod(
                        ProcessBank.paperDefault(), SeedingKey.of("bench"), Budget.defaultL2());
        // warm-up: compile the hot loops before timing
        run(method, h, w, c, threads, Math.min(1.0, seconds / 2));
        long[] counted = new long[2];
        double secs = run(method, h, w, c, threads, seconds, counted);
        return new Row("java", h, w, c, threads, counted[0], secs, counted[1] / 1e9);
    }

    private static double run(
            ArPerturbationMethod m, int h, int w, int c, int threads, double seconds) {
        return run(m, h, w, c, threads, seconds, new long[2]);
    }

    private static double run(
            ArPerturbationMethod m,
            int h,
            int w,
            int c,
            int threads,
            double seconds,
            long[] counted) {
        LongAdder images = new LongAdder();
        LongAdder cpuNanos = new LongAdder();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(threads);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            Thread th =
                    new Thread(
                            () -> {
                                double[] out = new double[h * w * c];
                                ready.countDown();
                                long cpu0 = mx.getCurrentThreadCpuTime();
                                long n = 0;
                                while (!stop.get()) {
                                    m.perturbationInto(
                                            out,
                                            (int) (n % m.classes()),
                                            "bench-" + id + "-" + n,
                                            h,
                                            w,
                                            c);
                                    n++;
                                }
                                cpuNanos.add(mx.getCurrentThreadCpuTime() - cpu0);
                                images.add(n);
                            },
                            "bench-generation-" + t);
            th.setDaemon(true);
            ts.add(th);
        }
        ts.forEach(Thread::start);
        try {
            ready.await();
            long t0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            stop.set(true);
            for (Thread th : ts) {
                th.join();
            }
            counted[0] = images.sum();
            counted[1] = cpuNanos.sum();
            return (System.nanoTime() - t0) / 1e9;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        }
    }
}
