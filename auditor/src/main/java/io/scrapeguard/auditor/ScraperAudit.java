package io.scrapeguard.auditor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Measures one scraper pipeline on its scraped sample: integrity, separability, and where asked the
 * paired canaries over {@code seeds} seeds, plus diluted arms on the first seed (the canary trained
 * on a fraction p of protected images, the rest clean originals).
 */
final class ScraperAudit {

    /** The measurements of one pipeline, before its verdict. */
    record Measured(
            AuditSample sample,
            Integrity integrity,
            Separability separability,
            List<CanaryCurve> cleanRuns,
            List<CanaryCurve> protRuns,
            Map<Double, CanaryCurve> diluted,
            CanaryInputs inputs) {

        CanaryReading canaries() {
            return cleanRuns.isEmpty()
                    ? null
                    : new CanaryReading(
                            CanarySummary.of(cleanRuns),
                            CanarySummary.of(protRuns),
                            1.0 / sample.classes());
        }
    }

    private ScraperAudit() {}

    /** Canaries over {@code seeds} seeds; the first seed also trains one arm per dilution. */
    static Measured canaries(
            AuditSample s,
            Integrity integrity,
            Separability sep,
            AuditProfile profile,
            int seeds,
            long seed,
            List<Double> dilution,
            String what,
            Consumer<String> progress) {
        CanaryInputs in = CanaryInputs.of(s);
        List<CanaryCurve> cleanRuns = new ArrayList<>(), protRuns = new ArrayList<>();
        Map<Double, CanaryCurve> diluted = new java.util.LinkedHashMap<>();
        for (int k = 0; k < seeds; k++) {
            List<Canaries.Arm> arms =
                    new ArrayList<>(
                            List.of(
                                    in.arm("clean", in.cleanTrain()),
                                    in.arm("protected", in.protectedTrain())));
            if (k == 0) {
                for (double p : dilution) {
                    if (p < 1) {
                        arms.add(in.arm(diluteName(p), mix(in, s, p, seed)));
                    }
                }
            }
            List<CanaryCurve> r =
                    Canaries.trainLockstep(
                            profile,
                            s,
                            arms,
                            (int) seed + k,
                            what + " canaries " + (k + 1) + "/" + seeds,
                            progress);
            cleanRuns.add(r.get(0));
            protRuns.add(r.get(1));
            if (k == 0) {
                for (double p : dilution) {
                    diluted.put(
                            p,
                            p < 1
                                    ? r.stream()
                                            .filter(c -> c.arm().equals(diluteName(p)))
                                            .findFirst()
                                            .orElseThrow()
                                    : r.get(1));
                }
            }
        }
        return new Measured(s, integrity, sep, cleanRuns, protRuns, diluted, in);
    }

    static Measured withoutCanaries(AuditSample s, Integrity integrity, Separability sep) {
        return new Measured(s, integrity, sep, List.of(), List.of(), Map.of(), null);
    }

    static String diluteName(double p) {
        return String.format(Locale.ROOT, "protected-%.0f%%", 100 * p);
    }

    /** Training images with a fixed random share p protected and the rest clean originals. */
    static float[] mix(CanaryInputs in, AuditSample s, double p, long seed) {
        float[] out = in.cleanTrain().clone();
        int n = s.train().size(), per = s.pixelsPerImage();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed ^ 0xD11L));
        int protectedCount = (int) Math.round(p * n);
        for (int j = 0; j < protectedCount; j++) {
            int i = order.get(j);
            System.arraycopy(in.protectedTrain(), i * per, out, i * per, per);
        }
        return out;
    }
}
