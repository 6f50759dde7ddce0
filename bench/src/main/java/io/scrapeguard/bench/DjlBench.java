package io.scrapeguard.bench;

import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ImageSeeds;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.core.gpu.DjlArGenerator;

/** Generation throughput of the DJL backend (GPU when present, else CPU), in batches. */
final class DjlBench {
    private DjlBench() {}

    static GenerationBenchmark.Row measure(int h, int w, int c, int batch, double seconds) {
        ProcessBank bank = ProcessBank.paperDefault();
        ImageSeeds seeds = new ImageSeeds(SeedingKey.of("bench"));
        Budget budget = Budget.defaultL2();
        // keep the skewed batch tensor near 16M values (large images get small batches)
        long perImage = (long) c * (h + 4) * (h + w + 7);
        batch = (int) Math.max(1, Math.min(batch, (16L << 20) / perImage));
        try (DjlArGenerator gen = DjlArGenerator.create(bank)) {
            int[] classes = new int[batch];
            String[] ids = new String[batch];
            long n = 0;
            // one warm-up batch (native library load, kernels)
            fill(classes, ids, bank.size(), 0);
            gen.generate(classes, ids, seeds, budget, h, w, c);
            long t0 = System.nanoTime();
            long deadline = t0 + (long) (seconds * 1e9);
            do {
                fill(classes, ids, bank.size(), n);
                gen.generate(classes, ids, seeds, budget, h, w, c);
                n += batch;
            } while (System.nanoTime() < deadline);
            double secs = (System.nanoTime() - t0) / 1e9;
            // PyTorch runs its own threads: CPU time is not attributable here
            return new GenerationBenchmark.Row(
                    "djl-" + gen.device().getDeviceType(), h, w, c, 1, n, secs, Double.NaN);
        }
    }

    private static void fill(int[] classes, String[] ids, int k, long base) {
        for (int i = 0; i < ids.length; i++) {
            classes[i] = (int) ((base + i) % k);
            ids[i] = "bench-djl-" + (base + i);
        }
    }
}
