package io.scrapeguard.core;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.SyntheticImages;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

/**
 * How well the filter classifier identifies fresh perturbations of each class of a bank: raw (as
 * generated and scaled) and, optionally, as delivered (after clamping and 8-bit rounding on
 * synthetic real-looking images). Uses every core.
 */
public final class BankCheck {
    /** Per-class accuracies; {@code delivered} is null when not measured. */
    public record Report(
            int samplesPerClass,
            int height,
            int width,
            int channels,
            double[] raw,
            double[] delivered) {
        public double minRaw() {
            return min(raw);
        }

        public double minDelivered() {
            return delivered == null ? Double.NaN : min(delivered);
        }

        private static double min(double[] a) {
            double m = 1;
            for (double x : a) {
                m = Math.min(m, x);
            }
            return m;
        }
    }

    private BankCheck() {}

    public static Report run(
            ProcessBank bank,
            SeedingKey key,
            Budget budget,
            int samplesPerClass,
            int height,
            int width,
            int channels,
            boolean delivered) {
        if (samplesPerClass <= 0) {
            throw new IllegalArgumentException(
                    "samples per class must be positive, got " + samplesPerClass);
        }
        Shapes.check(height, width, channels);
        if (height < 3 || width < 3) {
            throw new IllegalArgumentException(
                    "the check needs images of at least 3x3, got " + height + "x" + width);
        }
        ArPerturbationMethod method = new ArPerturbationMethod(bank, key, budget);
        ArFilterClassifier clf = new ArFilterClassifier(bank);
        int k0 = bank.size();
        AtomicIntegerArray rawOk = new AtomicIntegerArray(k0);
        AtomicIntegerArray delOk = new AtomicIntegerArray(k0);
        Protector protector = new Protector(method);
        IntStream.range(0, k0 * samplesPerClass)
                .parallel()
                .forEach(
                        i -> {
                            int k = i % k0;
                            String id = "bank-check/" + i;
                            Perturbation p = method.perturbation(k, id, height, width, channels);
                            if (clf.classify(p) == k) {
                                rawOk.incrementAndGet(k);
                            }
                            if (delivered) {
                                Image8 clean = SyntheticImages.natural(i, width, height, channels);
                                Image8 prot = Protector.apply(clean, p).image();
                                if (clf.classify(Perturbation.delta(clean, prot)) == k) {
                                    delOk.incrementAndGet(k);
                                }
                            }
                        });
        double[] raw = new double[k0];
        double[] del = delivered ? new double[k0] : null;
        for (int k = 0; k < k0; k++) {
            raw[k] = rawOk.get(k) / (double) samplesPerClass;
            if (delivered) {
                del[k] = delOk.get(k) / (double) samplesPerClass;
            }
        }
        return new Report(samplesPerClass, height, width, channels, raw, del);
    }
}
