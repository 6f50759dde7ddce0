package io.scrapeguard.auditor;

import io.scrapeguard.imaging.scraper.ScraperPipeline;
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
 * Runs one audit over (raw, published) pairs: per scraper pipeline of the threat model (and always
 * native), integrity, separability and, where the profile affords them, paired canaries at the
 * pipeline's resolution; dilution, defences, a verdict per pipeline and the worst of them,
 * pictures. Every stage's cost is timed. The same pairs, settings and seed give the same figures
 * and curves.
 */
public final class Auditor {

    /**
     * How to audit. {@code scrapers}: the threat model as pipeline specs (null: the built-in set
     * for the images' size); {@code canaryMaxResolution}: pipelines trained at most this many
     * pixels get canaries (null: the profile's); {@code dilution}: protected shares of the diluted
     * canaries; {@code samplePictures}: whether the report shows clean/protected/delta samples: off
     * by default, since a clean and a protected image give the delta, from which the secret AR
     * coefficients can be fitted.
     */
    public record Settings(
            AuditProfile profile,
            Thresholds thresholds,
            long seed,
            double testFraction,
            int minPerLabel,
            int minPairs,
            boolean defences,
            List<String> scrapers,
            Integer canaryMaxResolution,
            List<Double> dilution,
            boolean samplePictures) {

        public static final List<Double> DEFAULT_DILUTION = List.of(1.0, 0.5);

        public Settings {
            scrapers = scrapers == null ? null : List.copyOf(scrapers);
            dilution = List.copyOf(dilution);
            if (scrapers != null) {
                scrapers.forEach(ScraperPipeline::parse); // fail early on a bad spec
            }
            for (double p : dilution) {
                if (!(p > 0 && p <= 1)) {
                    throw new IllegalArgumentException(
                            "dilution fractions are in (0, 1], got " + p);
                }
            }
        }

        public static Settings of(AuditProfile profile) {
            return new Settings(
                    profile,
                    Thresholds.defaults(),
                    1,
                    0.2,
                    5,
                    20,
                    true,
                    null,
                    null,
                    DEFAULT_DILUTION,
                    false);
        }

        public Settings withSeed(long s) {
            return with(c -> c.seed = s);
        }

        public Settings withThresholds(Thresholds t) {
            return with(c -> c.thresholds = t);
        }

        public Settings withDefences(boolean d) {
            return with(c -> c.defences = d);
        }

        public Settings withMinimums(int perLabel, int pairs) {
            return with(
                    c -> {
                        c.minPerLabel = perLabel;
                        c.minPairs = pairs;
                    });
        }

        public Settings withSamplePictures(boolean on) {
            return with(c -> c.samplePictures = on);
        }

        /** The threat model: these pipelines replace the built-in set. */
        public Settings withScrapers(List<String> specs) {
            return with(c -> c.scrapers = specs == null || specs.isEmpty() ? null : specs);
        }

        public Settings withCanaryMaxResolution(Integer px) {
            return with(c -> c.canaryMaxResolution = px);
        }

        public Settings withDilution(List<Double> fractions) {
            return with(c -> c.dilution = fractions);
        }

        /** One copy with a change, so each wither names only what it changes. */
        private Settings with(java.util.function.Consumer<Copy> change) {
            Copy c = new Copy(this);
            change.accept(c);
            return new Settings(
                    profile,
                    c.thresholds,
                    c.seed,
                    testFraction,
                    c.minPerLabel,
                    c.minPairs,
                    c.defences,
                    c.scrapers,
                    c.canaryMaxResolution,
                    c.dilution,
                    c.samplePictures);
        }

        /** The settings a wither may change. */
        private static final class Copy {
            Thresholds thresholds;
            long seed;
            int minPerLabel;
            int minPairs;
            boolean defences;
            List<String> scrapers;
            Integer canaryMaxResolution;
            List<Double> dilution;
            boolean samplePictures;

            Copy(Settings s) {
                thresholds = s.thresholds;
                seed = s.seed;
                minPerLabel = s.minPerLabel;
                minPairs = s.minPairs;
                defences = s.defences;
                scrapers = s.scrapers;
                canaryMaxResolution = s.canaryMaxResolution;
                dilution = s.dilution;
                samplePictures = s.samplePictures;
            }
        }

        /** The pipelines of the threat model for images of {@code shortSide} pixels. */
        public List<ScraperPipeline> pipelines(int shortSide) {
            if (scrapers == null) {
                return ScraperPipeline.builtIn(shortSide);
            }
            Map<String, ScraperPipeline> byName = new LinkedHashMap<>();
            for (String spec : scrapers) {
                ScraperPipeline p = ScraperPipeline.parse(spec);
                byName.putIfAbsent(p.name(), p);
            }
            return List.copyOf(byName.values());
        }

        int canaryMaxPixels() {
            return canaryMaxResolution != null
                    ? canaryMaxResolution
                    : profile.canaryMaxResolution();
        }
    }

    private static final DateTimeFormatter ID =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private Auditor() {}

    public static AuditResult audit(
            List<ImagePair> pairs,
            SkipCounts skipped,
            DeltaClassifier classifier,
            Settings settings,
            Consumer<String> progress) {
        String id = "audit-" + ID.format(Instant.now());
        AuditProfile profile = settings.profile();
        Map<String, Double> cost = new LinkedHashMap<>();
        // Here, not in one path: the topics' sample (service, --now) and a folder pair must leave
        // out the same pairs, or the same images would not give the same audit.
        pairs = PairedFolders.keepDominantShape(pairs, skipped);
        AuditSample s;
        try {
            s =
                    AuditSample.split(
                            pairs,
                            settings.testFraction(),
                            settings.minPerLabel(),
                            settings.minPairs(),
                            settings.seed(),
                            skipped);
        } catch (AuditSample.TooFewPairs e) {
            progress.accept("audit: skipped: " + e.getMessage());
            return AuditResult.notRun(
                    id,
                    AuditResult.Outcome.SKIPPED,
                    e.getMessage(),
                    profile,
                    settings.thresholds(),
                    settings.seed(),
                    pairs.size(),
                    skipped.asMap(),
                    cost);
        }
        progress.accept(
                String.format(
                        Locale.ROOT,
                        "audit: %d pairs (%d train, %d test) of %s images in %d labels; profile %s",
                        s.pairs(),
                        s.train().size(),
                        s.test().size(),
                        s.train().get(0).raw().shape(),
                        s.classes(),
                        profile.describe()));

        Thresholds t = settings.thresholds();
        int side = Math.min(s.height(), s.width());
        List<ScraperPipeline> threat = settings.pipelines(side);
        List<ScraperPipeline> measured = new ArrayList<>();
        measured.add(ScraperPipeline.parse("native"));
        threat.stream().filter(p -> !p.steps().isEmpty()).forEach(measured::add);
        // Dilution runs under native, else the first pipeline with canaries.
        String dilutionAt =
                measured.stream()
                        .filter(p -> p.resolutionFor(side) <= settings.canaryMaxPixels())
                        .map(ScraperPipeline::name)
                        .findFirst()
                        .orElse(null);

        Map<String, ScraperAudit.Measured> results = new LinkedHashMap<>();
        Map<String, String> sameAs = new LinkedHashMap<>();
        Map<String, AuditSample> samples = new LinkedHashMap<>();
        Map<String, Double> pipelineSeconds = new LinkedHashMap<>();
        for (ScraperPipeline p : measured) {
            boolean nat = p.steps().isEmpty();
            String stage = nat ? "" : p.name() + " ";
            long start = System.nanoTime();
            AuditSample scraped = ScrapedSample.of(s, p, settings.seed());
            String twin =
                    samples.entrySet().stream()
                            .filter(
                                    e ->
                                            e.getValue().height() == scraped.height()
                                                    && e.getValue().width() == scraped.width()
                                                    && ScrapedSample.unchanged(
                                                            e.getValue(), scraped))
                            .map(Map.Entry::getKey)
                            .findFirst()
                            .orElse(null);
            if (twin != null) {
                progress.accept(
                        "audit: scraper "
                                + p.name()
                                + " delivers the images of "
                                + twin
                                + " unchanged: its row is "
                                + twin
                                + "'s");
                sameAs.put(p.name(), twin);
                pipelineSeconds.put(p.name(), (System.nanoTime() - start) / 1e9);
                continue;
            }
            samples.put(p.name(), scraped);
            if (!nat) {
                progress.accept(
                        String.format(
                                Locale.ROOT,
                                "audit: scraper %s: %s images",
                                p.name(),
                                scraped.train().get(0).raw().shape()));
            }
            Integrity integrity =
                    timed(
                            stage + "integrity",
                            cost,
                            progress,
                            () -> Integrity.measure(scraped, classifier));
            progress.accept(
                    String.format(
                            Locale.ROOT,
                            "audit: %sintegrity: %s; delivered L2 %.3f, Linf"
                                    + " %.4f (%.1f/255); PSNR %.1f dB, SSIM %.4f",
                            stage,
                            integrity.accuracyLine(
                                    integrity.available()
                                            ? String.format(
                                                    Locale.ROOT, "%.3f", integrity.filterAccuracy())
                                            : "n/a (no process bank)"),
                            integrity.meanL2(),
                            integrity.meanLinf(),
                            integrity.meanLinf() * 255,
                            integrity.psnr(),
                            integrity.meanSsim()));
            Separability sep =
                    timed(
                            stage + "separability",
                            cost,
                            progress,
                            () ->
                                    Separability.measure(
                                            scraped, profile, settings.seed(), progress));
            ScraperAudit.Measured m;
            if (p.resolutionFor(side) <= settings.canaryMaxPixels()) {
                int seeds = nat ? profile.seeds() : profile.scraperCanarySeeds();
                List<Double> dilution =
                        p.name().equals(dilutionAt) ? settings.dilution() : List.of();
                m =
                        timed(
                                stage + "canaries",
                                cost,
                                progress,
                                () ->
                                        ScraperAudit.canaries(
                                                scraped,
                                                integrity,
                                                sep,
                                                profile,
                                                seeds,
                                                settings.seed(),
                                                dilution,
                                                nat ? "native" : p.name(),
                                                progress));
            } else {
                progress.accept(
                        String.format(
                                Locale.ROOT,
                                "audit: %s: no canaries (trained at %d px, above %d px for profile"
                                        + " %s): efficacy not measured",
                                p.name(),
                                p.resolutionFor(side),
                                settings.canaryMaxPixels(),
                                profile.name()));
                m = ScraperAudit.withoutCanaries(scraped, integrity, sep);
            }
            results.put(p.name(), m);
            pipelineSeconds.put(p.name(), (System.nanoTime() - start) / 1e9);
        }
        ScraperAudit.Measured nat = results.get("native");
        double chance = 1.0 / s.classes();
        Map<String, AuditResult.Defence> defences =
                defences(s, nat, results, settings, cost, progress);

        List<ScraperResult> rows = new ArrayList<>();
        for (ScraperPipeline p : measured) {
            String twin = sameAs.get(p.name());
            if (twin != null) {
                ScraperResult original =
                        rows.stream().filter(r -> r.name().equals(twin)).findFirst().orElseThrow();
                rows.add(original.renamed(p.name(), twin, pipelineSeconds.get(p.name())));
                continue;
            }
            ScraperAudit.Measured m = results.get(p.name());
            boolean isNative = p.steps().isEmpty();
            Verdict v =
                    Verdict.decide(
                            m.integrity(),
                            m.separability(),
                            m.canaries(),
                            isNative ? defences.values() : List.of(),
                            t);
            rows.add(
                    new ScraperResult(
                            p.name(),
                            m.sample().train().get(0).raw().shape(),
                            null,
                            m.integrity(),
                            m.separability(),
                            m.canaries(),
                            v,
                            Pictures.sampleRow(m.sample().test().get(0)),
                            pipelineSeconds.get(p.name())));
            progress.accept(
                    "audit: scraper " + p.name() + ": " + v.level() + " (" + v.brief() + ")");
        }
        List<String> threatNames = threat.stream().map(ScraperPipeline::name).toList();
        List<ScraperResult> deciding =
                rows.stream().filter(r -> threatNames.contains(r.name())).toList();
        Verdict verdict = Verdict.worst(deciding);
        progress.accept(
                "audit: verdict "
                        + verdict.level()
                        + " ("
                        + verdict.brief()
                        + "): "
                        + verdict.reason());

        List<AuditResult.Dilution> dilution = new ArrayList<>();
        if (dilutionAt != null) {
            ScraperAudit.Measured m = results.get(dilutionAt);
            if (m == null) {
                m = results.get(sameAs.get(dilutionAt));
            }
            double cleanFinal = m.cleanRuns().get(0).finalAccuracy();
            for (Map.Entry<Double, CanaryCurve> e : m.diluted().entrySet()) {
                dilution.add(
                        new AuditResult.Dilution(
                                e.getKey(),
                                dilutionAt,
                                CanarySummary.protectionScore(
                                        e.getValue().finalAccuracy(), cleanFinal, chance),
                                e.getValue().finalFollowRate()));
            }
        }
        CanaryReading nc = nat.canaries();
        AuditResult.Efficacy efficacy =
                nc == null
                        ? new AuditResult.Efficacy(chance, Double.NaN, Double.NaN, Double.NaN)
                        : new AuditResult.Efficacy(
                                chance,
                                nc.scoreFinal(),
                                CanarySummary.protectionScore(
                                        nc.protectedCanary().peakAccuracy(),
                                        nc.clean().peakAccuracy(),
                                        chance),
                                CanarySummary.protectionScore(
                                        nc.protectedCanary().last5Accuracy(),
                                        nc.clean().last5Accuracy(),
                                        chance));
        Map<String, java.awt.image.BufferedImage> pictures =
                timed(
                        "pictures",
                        cost,
                        progress,
                        () ->
                                Pictures.render(
                                        s,
                                        nat.cleanRuns(),
                                        nat.protRuns(),
                                        defences,
                                        nat.separability(),
                                        settings.samplePictures()));
        return new AuditResult(
                id,
                Instant.now(),
                AuditResult.Outcome.COMPLETED,
                null,
                profile,
                t,
                settings.seed(),
                s.pairs(),
                s.train().size(),
                s.test().size(),
                s.labels(),
                s.train().get(0).raw().shape(),
                skipped.asMap(),
                nat.integrity(),
                nat.separability(),
                nc == null ? null : nc.clean(),
                nc == null ? null : nc.protectedCanary(),
                efficacy,
                defences,
                verdict,
                cost,
                pictures,
                rows,
                threatNames,
                dilution);
    }

    /**
     * The defence canaries on native images: JPEG-75 and grayscale. Where the threat model has the
     * {@code jpeg:75} or {@code gray} pipeline with canaries, that row is the defence and is not
     * trained twice.
     */
    private static Map<String, AuditResult.Defence> defences(
            AuditSample s,
            ScraperAudit.Measured nat,
            Map<String, ScraperAudit.Measured> results,
            Settings settings,
            Map<String, Double> cost,
            Consumer<String> progress) {
        Map<String, AuditResult.Defence> out = new LinkedHashMap<>();
        if (!settings.defences() || nat.cleanRuns().isEmpty()) {
            return out;
        }
        double chance = 1.0 / s.classes();
        double cleanFinal = nat.cleanRuns().get(0).finalAccuracy();
        Map<String, String> pipelineOf = new LinkedHashMap<>();
        pipelineOf.put("jpeg75", "jpeg:75");
        if (s.channels() == 3) {
            pipelineOf.put("grayscale", "gray");
        }
        List<Canaries.Arm> arms = new ArrayList<>();
        for (Map.Entry<String, String> e : pipelineOf.entrySet()) {
            ScraperAudit.Measured m = results.get(e.getValue());
            if (m != null && !m.cleanRuns().isEmpty()) {
                CanaryCurve r = m.protRuns().get(0);
                out.put(
                        e.getKey(),
                        new AuditResult.Defence(
                                e.getKey(),
                                describe(e.getKey())
                                        + " (the "
                                        + e.getValue()
                                        + " pipeline's canary)",
                                r.finalAccuracy(),
                                r.peakAccuracy(),
                                r.finalFollowRate(),
                                CanarySummary.protectionScore(
                                        r.finalAccuracy(),
                                        m.cleanRuns().get(0).finalAccuracy(),
                                        chance),
                                r));
            } else if (e.getKey().equals("jpeg75")) {
                arms.add(nat.inputs().arm("jpeg75", CanaryInputs.transformed(s, true, false)));
            } else {
                arms.add(
                        new Canaries.Arm(
                                "grayscale",
                                CanaryInputs.transformed(s, false, true),
                                nat.inputs().grayTest(),
                                nat.inputs().grayFollow()));
            }
        }
        if (arms.isEmpty()) {
            return out;
        }
        timed(
                "defences",
                cost,
                progress,
                () -> {
                    for (CanaryCurve r :
                            Canaries.trainLockstep(
                                    settings.profile(),
                                    s,
                                    arms,
                                    (int) settings.seed(),
                                    "defences",
                                    progress)) {
                        out.put(
                                r.arm(),
                                new AuditResult.Defence(
                                        r.arm(),
                                        describe(r.arm()),
                                        r.finalAccuracy(),
                                        r.peakAccuracy(),
                                        r.finalFollowRate(),
                                        CanarySummary.protectionScore(
                                                r.finalAccuracy(), cleanFinal, chance),
                                        r));
                    }
                    return null;
                });
        return out;
    }

    private static String describe(String defence) {
        return defence.equals("jpeg75")
                ? "protected training images re-encoded as JPEG, quality 75"
                : "protected training images (and test inputs) in grayscale"
                        + " (image shortcut squeezing)";
    }

    private static <T> T timed(
            String stage, Map<String, Double> cost, Consumer<String> progress, Supplier<T> work) {
        long start = System.nanoTime();
        T result = work.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        cost.put(stage, seconds);
        progress.accept(String.format(Locale.ROOT, "audit: stage %s took %.1f s", stage, seconds));
        return result;
    }
}
