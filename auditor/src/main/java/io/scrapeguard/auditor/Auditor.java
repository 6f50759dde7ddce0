package io.scrapeguard.auditor;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs one audit over (raw, published) pairs: integrity, separability, paired canaries over the
 * profile's seeds, defences, verdict, pictures. Every stage's cost is timed. The same pairs,
 * settings and seed give the same figures and curves.
 */
public final class Auditor {

    /** How to audit. */
    /**
     * @param samplePictures whether the report shows clean/protected/delta samples per class: off
     *     by default, since a clean and a protected image give the delta, from which the secret AR
     *     coefficients can be fitted
     */
    public record Settings(AuditProfile profile, Thresholds thresholds, long seed,
            double testFraction, int minPerLabel, int minPairs, boolean defences,
            boolean samplePictures) {

        public static Settings of(AuditProfile profile) {
            return new Settings(profile, Thresholds.defaults(), 1, 0.2, 5, 20, true, false);
        }

        public Settings withSeed(long s) {
            return new Settings(profile, thresholds, s, testFraction, minPerLabel, minPairs,
                    defences, samplePictures);
        }

        public Settings withThresholds(Thresholds t) {
            return new Settings(profile, t, seed, testFraction, minPerLabel, minPairs, defences,
                    samplePictures);
        }

        public Settings withDefences(boolean d) {
            return new Settings(profile, thresholds, seed, testFraction, minPerLabel, minPairs,
                    d, samplePictures);
        }

        public Settings withMinimums(int perLabel, int pairs) {
            return new Settings(profile, thresholds, seed, testFraction, perLabel, pairs,
                    defences, samplePictures);
        }

        public Settings withSamplePictures(boolean on) {
            return new Settings(profile, thresholds, seed, testFraction, minPerLabel, minPairs,
                    defences, on);
        }
    }

    private static final DateTimeFormatter ID =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private Auditor() {}

    public static AuditResult audit(List<ImagePair> pairs, SkipCounts skipped,
            DeltaClassifier classifier, Settings settings, Consumer<String> progress) {
        String id = "audit-" + ID.format(Instant.now());
        AuditProfile profile = settings.profile();
        Map<String, Double> cost = new LinkedHashMap<>();
        AuditSample s;
        try {
            s = AuditSample.split(pairs, settings.testFraction(), settings.minPerLabel(),
                    settings.minPairs(), settings.seed(), skipped);
        } catch (AuditSample.TooFewPairs e) {
            progress.accept("audit: skipped: " + e.getMessage());
            return AuditResult.notRun(id, AuditResult.Outcome.SKIPPED, e.getMessage(), profile,
                    settings.thresholds(), settings.seed(), pairs.size(), skipped.asMap(), cost);
        }
        progress.accept(String.format(Locale.ROOT,
                "audit: %d pairs (%d train, %d test) of %s images in %d labels; profile %s",
                s.pairs(), s.train().size(), s.test().size(), s.train().get(0).raw().shape(),
                s.classes(), profile.describe()));

        Integrity integrity = timed("integrity", cost, progress,
                () -> Integrity.measure(s, classifier));
        progress.accept(String.format(Locale.ROOT,
                "audit: integrity: AR-filter accuracy %s; delivered L2 %.3f, Linf %.4f (%.1f/255)",
                integrity.available() ? String.format(Locale.ROOT, "%.3f",
                        integrity.filterAccuracy()) : "n/a (no process bank)",
                integrity.meanL2(), integrity.meanLinf(), integrity.meanLinf() * 255));
        Separability sep = timed("separability", cost, progress,
                () -> Separability.measure(s, profile, settings.seed(), progress));

        CanaryInputs in = timed("canary-inputs", cost, progress, () -> CanaryInputs.of(s));
        List<CanaryCurve> cleanRuns = new ArrayList<>(), protRuns = new ArrayList<>();
        timed("canaries", cost, progress, () -> {
            for (int k = 0; k < profile.seeds(); k++) {
                int seed = (int) settings.seed() + k;
                List<CanaryCurve> r = Canaries.trainLockstep(profile, s,
                        List.of(in.arm("clean", in.cleanTrain()),
                                in.arm("protected", in.protectedTrain())),
                        seed, "canaries " + (k + 1) + "/" + profile.seeds(), progress);
                cleanRuns.add(r.get(0));
                protRuns.add(r.get(1));
            }
            return null;
        });
        CanarySummary clean = CanarySummary.of(cleanRuns);
        CanarySummary prot = CanarySummary.of(protRuns);
        double chance = 1.0 / s.classes();
        AuditResult.Efficacy efficacy = new AuditResult.Efficacy(chance,
                CanarySummary.protectionScore(prot.finalAccuracy(), clean.finalAccuracy(), chance),
                CanarySummary.protectionScore(prot.peakAccuracy(), clean.peakAccuracy(), chance),
                CanarySummary.protectionScore(prot.last5Accuracy(), clean.last5Accuracy(),
                        chance));

        Map<String, AuditResult.Defence> defences = new LinkedHashMap<>();
        if (settings.defences()) {
            timed("defences", cost, progress, () -> {
                List<Canaries.Arm> arms = new ArrayList<>();
                arms.add(in.arm("jpeg75", CanaryInputs.transformed(s, true, false)));
                if (s.channels() == 3) {
                    arms.add(new Canaries.Arm("grayscale",
                            CanaryInputs.transformed(s, false, true), in.grayTest(),
                            in.grayFollow()));
                }
                List<CanaryCurve> runs = Canaries.trainLockstep(profile, s, arms,
                        (int) settings.seed(), "defences", progress);
                for (CanaryCurve r : runs) {
                    String what = r.arm().equals("jpeg75")
                            ? "protected training images re-encoded as JPEG, quality 75"
                            : "protected training images (and test inputs) in grayscale"
                                    + " (image shortcut squeezing)";
                    defences.put(r.arm(), new AuditResult.Defence(r.arm(), what,
                            r.finalAccuracy(), r.peakAccuracy(), r.finalFollowRate(),
                            CanarySummary.protectionScore(r.finalAccuracy(),
                                    cleanRuns.get(0).finalAccuracy(), chance),
                            r));
                }
                return null;
            });
        }
        Verdict verdict = Verdict.decide(integrity, sep, clean, prot, chance, profile,
                settings.thresholds());
        progress.accept("audit: verdict " + verdict.level() + " (" + verdict.signal() + "): "
                + verdict.reason());
        Map<String, java.awt.image.BufferedImage> pictures = timed("pictures", cost, progress,
                () -> Pictures.render(s, cleanRuns, protRuns, defences, sep,
                        settings.samplePictures()));
        return new AuditResult(id, Instant.now(), AuditResult.Outcome.COMPLETED, null, profile,
                settings.thresholds(), settings.seed(), s.pairs(), s.train().size(),
                s.test().size(), s.labels(), s.train().get(0).raw().shape(), skipped.asMap(),
                integrity, sep, clean, prot, efficacy, defences, verdict, cost, pictures);
    }

    private static <T> T timed(String stage, Map<String, Double> cost, Consumer<String> progress,
            Supplier<T> work) {
        long start = System.nanoTime();
        T result = work.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        cost.put(stage, seconds);
        progress.accept(String.format(Locale.ROOT, "audit: stage %s took %.1f s", stage,
                seconds));
        return result;
    }
}
