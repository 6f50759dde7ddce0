package io.scrapeguard.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Paper Algorithm 1: a greedy search for K AR processes whose perturbations the other processes'
 * filters cannot mistake for their own.
 *
 * <p>Candidate n draws its three 3x3 windows (8 N(0,1) coefficients each, [2][2] = 0) and
 * normalises each channel's coefficients to sum to 1. It is rejected as unstable if any of 3 trial
 * generations at 36x36 (kept 32x32x3, pre-scaling) is NaN/infinite or has an L2 norm above 50; the
 * last trial, scaled to L2 = 1 as the authors' code does, is then shown to every accepted process's
 * filter and the candidate is rejected if any responds below the threshold T. Otherwise it is
 * accepted, until K processes.
 *
 * <p>Reproducible regardless of thread count: candidate n's randomness comes only from (seed, n),
 * and candidates are accepted strictly in candidate order. Batches of candidates are evaluated in
 * parallel against the processes accepted before the batch; the few survivors are then checked
 * sequentially, in order, against those accepted earlier within the batch, which is exactly the
 * sequential algorithm. Cheap checks reject early: a trial generation stops as soon as its norm
 * passes the bound, and a filter stops summing as soon as its response reaches T.
 */
public final class CoefficientSearch {
    /** Progress after each batch. */
    @FunctionalInterface
    public interface Progress {
        void update(Stats stats);
    }

    /** Counters of a search so far. */
    public record Stats(
            int target,
            int accepted,
            long candidates,
            long unstable,
            long filtered,
            Duration elapsed) {}

    /** A finished search: the bank and what it cost. */
    public record Result(ProcessBank bank, Stats stats) {}

    public static final int SIZE = 32;
    private static final int BATCH = 2048;

    private final int classes;
    private final double threshold;
    private final long seed;
    private final double maxNorm;
    private final int trials;
    private final int threads;
    private final long maxCandidates;

    private CoefficientSearch(
            int classes,
            double threshold,
            long seed,
            double maxNorm,
            int trials,
            int threads,
            long maxCandidates) {
        if (classes <= 0) {
            throw new IllegalArgumentException(
                    "number of classes must be positive, got " + classes);
        }
        if (!(threshold >= 0) || !Double.isFinite(threshold)) {
            throw new IllegalArgumentException(
                    "threshold must be a finite number >= 0, got " + threshold);
        }
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("norm bound must be positive, got " + maxNorm);
        }
        if (trials <= 0) {
            throw new IllegalArgumentException("trial generations must be positive, got " + trials);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (maxCandidates <= 0) {
            throw new IllegalArgumentException(
                    "candidate limit must be positive, got " + maxCandidates);
        }
        this.classes = classes;
        this.threshold = threshold;
        this.seed = seed;
        this.maxNorm = maxNorm;
        this.trials = trials;
        this.threads = threads;
        this.maxCandidates = maxCandidates;
    }

    /** A search for K processes at threshold T (seed 0, norm bound 50, 3 trials, all cores). */
    public static CoefficientSearch of(int classes, double threshold) {
        return new CoefficientSearch(
                classes,
                threshold,
                0,
                50,
                3,
                Runtime.getRuntime().availableProcessors(),
                Long.MAX_VALUE);
    }

    public CoefficientSearch seed(long s) {
        return new CoefficientSearch(
                classes, threshold, s, maxNorm, trials, threads, maxCandidates);
    }

    public CoefficientSearch threads(int t) {
        return new CoefficientSearch(classes, threshold, seed, maxNorm, trials, t, maxCandidates);
    }

    public CoefficientSearch maxNorm(double m) {
        return new CoefficientSearch(classes, threshold, seed, m, trials, threads, maxCandidates);
    }

    public CoefficientSearch trials(int n) {
        return new CoefficientSearch(classes, threshold, seed, maxNorm, n, threads, maxCandidates);
    }

    /** Gives up (IllegalStateException) after this many candidates. */
    public CoefficientSearch maxCandidates(long n) {
        return new CoefficientSearch(classes, threshold, seed, maxNorm, trials, threads, n);
    }

    public Result run() {
        return run(s -> {});
    }

    public Result run(Progress progress) {
        long start = System.nanoTime();
        List<Accepted> accepted = new ArrayList<>();
        long next = 0;
        long unstable = 0;
        long filtered = 0;
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            while (accepted.size() < classes) {
                if (next >= maxCandidates) {
                    throw new IllegalStateException(
                            "coefficient search gave up after "
                                    + next
                                    + " candidates with "
                                    + accepted.size()
                                    + " of "
                                    + classes
                                    + " processes; lower the threshold or raise the candidate"
                                    + " limit");
                }
                int batch = (int) Math.min(BATCH, maxCandidates - next);
                final long base = next;
                final List<Accepted> snapshot = List.copyOf(accepted);
                Candidate[] out;
                try {
                    out =
                            pool.submit(
                                            () ->
                                                    IntStream.range(0, batch)
                                                            .parallel()
                                                            .mapToObj(
                                                                    i ->
                                                                            evaluate(
                                                                                    base + i,
                                                                                    snapshot))
                                                            .toArray(Candidate[]::new))
                                    .get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("coefficient search interrupted", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(
                            "coefficient search failed: " + Guarded.describe(e.getCause()),
                            e.getCause());
                }
                int firstNew = accepted.size();
                for (int i = 0; i < batch && accepted.size() < classes; i++) {
                    Candidate c = out[i];
                    next = base + i + 1;
                    if (c == null) {
                        unstable++;
                    } else if (c.accepted == null) {
                        filtered++;
                    } else if (passes(c.accepted, accepted.subList(firstNew, accepted.size()))) {
                        accepted.add(c.accepted);
                    } else {
                        filtered++;
                    }
                }
                progress.update(stats(accepted.size(), next, unstable, filtered, start));
            }
        } finally {
            pool.shutdownNow();
        }
        List<ArProcess> ps = new ArrayList<>();
        for (Accepted a : accepted) {
            ps.add(a.process);
        }
        return new Result(
                new ProcessBank(ps), stats(accepted.size(), next, unstable, filtered, start));
    }

    private Stats stats(int accepted, long candidates, long unstable, long filtered, long start) {
        return new Stats(
                classes,
                accepted,
                candidates,
                unstable,
                filtered,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** A candidate that passed stability (and, if accepted != null, the snapshot's filters). */
    private record Candidate(Accepted accepted) {}

    /** An accepted (or provisionally passing) process: windows, filter taps, its last trial. */
    private record Accepted(
            ArProcess process, double[][] taps, double[][][] kept, double rawNorm) {}

    /** Null when unstable; Candidate(null) when a snapshot filter rejects it. */
    Candidate evaluate(long n, List<Accepted> snapshot) {
        GaussianSource g =
                new GaussianSource(
                        GaussianSource.mix(seed ^ 0x5EED5EED5EED5EEDL),
                        GaussianSource.mix(n * 0x9E3779B97F4A7C15L + seed));
        double[][][] w = new double[3][3][3];
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int i = 0; i < 8; i++) {
                double b = g.nextGaussian();
                w[c][i / 3][i % 3] = b;
                sum += b;
            }
            for (int i = 0; i < 8; i++) {
                w[c][i / 3][i % 3] /= sum;
                if (!Double.isFinite(w[c][i / 3][i % 3])) {
                    return null;
                }
            }
        }
        ArProcess process = new ArProcess(w);
        double[][] taps = ArGenerator.taps(process, 3);
        ArGenerator gen = ArGenerator.forThread();
        for (int t = 0; t < trials; t++) {
            if (!gen.run(taps, SIZE, SIZE, 3, g, maxNorm)) {
                return null;
            }
        }
        double rawNorm = Math.sqrt(gen.keptSumSquares(SIZE, SIZE, 3));
        if (!(rawNorm <= maxNorm) || rawNorm == 0) {
            return null;
        }
        double need = threshold * rawNorm;
        for (Accepted a : snapshot) {
            if (!responseAtLeast(a.taps, gen::full, 4, need)) {
                return new Candidate(null);
            }
        }
        double[][][] kept = new double[3][SIZE][];
        for (int c = 0; c < 3; c++) {
            double[][] x = gen.full(c);
            for (int y = 0; y < SIZE; y++) {
                kept[c][y] = java.util.Arrays.copyOfRange(x[y + 4], 4, 4 + SIZE);
            }
        }
        return new Candidate(new Accepted(process, taps, kept, rawNorm));
    }

    /** Whether the candidate passes the filters of processes accepted earlier in its batch. */
    private boolean passes(Accepted candidate, List<Accepted> earlier) {
        double need = threshold * candidate.rawNorm;
        for (Accepted a : earlier) {
            if (!responseAtLeast(a.taps, c -> candidate.kept[c], 0, need)) {
                return false;
            }
        }
        return true;
    }

    private interface Planes {
        double[][] plane(int c);
    }

    /** Whether the filter's total response (over 3 channels) reaches {@code need}. */
    private static boolean responseAtLeast(
            double[][] taps, Planes planes, int corner, double need) {
        double total = 0;
        for (int c = 0; c < 3; c++) {
            total +=
                    ArFilterClassifier.responseRows(
                            planes.plane(c),
                            corner,
                            corner,
                            SIZE,
                            SIZE,
                            taps[c],
                            Math.nextDown(need - total));
            if (total >= need) {
                return true;
            }
        }
        return false;
    }
}
