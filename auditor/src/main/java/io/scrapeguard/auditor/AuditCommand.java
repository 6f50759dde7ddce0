package io.scrapeguard.auditor;

import io.scrapeguard.service.ClusterOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./guard audit}: audits a folder pair offline ({@code --raw DIR --protected DIR}), or the
 * running stack ({@code --now}).
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Measures whether published images are protected: integrity of the AR perturbation,"
                    + " separability (probes), learnability and efficacy (paired canaries),"
                    + " defences; prints a verdict (PROTECTED, WEAK, FAILING) and writes an HTML"
                    + " report with pictures.",
            "Offline: --raw DIR --protected DIR, two folders in the image-folder layout"
                    + " (<label>/<id>.<ext>), paired by relative path (extensions may differ).",
            "Live: --now, everything on the running stack's raw and protected topics, joined"
                    + " by image id; the report is also published on guard.audit-reports."
        })
public final class AuditCommand implements Callable<Integer> {
    /** Exit code of an audit that could not run (too few pairs). */
    public static final int EXIT_NOT_RUN = 3;

    @Spec CommandSpec spec;

    @Option(
            names = "--now",
            description =
                    "Audit the running stack now: everything on its"
                            + " raw and protected topics (found through --data-dir).")
    boolean now;

    /** With --now: where the stack is and how to log in (and the data dir of reports). */
    @Mixin ClusterOptions cluster = new ClusterOptions();

    @Option(
            names = "--read-timeout",
            defaultValue = "300",
            description = "With --now: seconds" + " to read the topics (default ${DEFAULT-VALUE}).")
    long readTimeoutSeconds;

    @Option(names = "--raw", description = "Folder of the original images.")
    Path raw;

    @Option(names = "--protected", description = "Folder of the published (protected) images.")
    Path published;

    @Option(names = "--json", description = "Print the report as JSON on stdout.")
    boolean json;

    @Option(
            names = "--profile",
            defaultValue = "auto",
            description = "auto (paper on a GPU, else cpu-small), cpu-small or paper.")
    String profile;

    @Option(names = "--epochs", description = "Canary epochs (default: the profile's).")
    Integer epochs;

    @Option(
            names = "--canary-flip",
            negatable = true,
            description =
                    "Train the canaries with random horizontal flips, as most training recipes do"
                            + " (default: the profile's: cpu-small without, paper with).")
    Boolean canaryFlip;

    @Option(names = "--seeds", description = "Canary seeds (default: the profile's, 2).")
    Integer seeds;

    @Option(
            names = "--max-per-label",
            description = "At most this many pairs per label (default: the profile's).")
    Integer maxPerLabel;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description =
                    "Seed of the split, probes and canaries; the same seed gives the same figures"
                            + " (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--threshold",
            paramLabel = "KEY=VALUE",
            description =
                    "Verdict threshold, repeatable: integrity.fail, integrity.weak,"
                            + " probe.fail, probe.weak, control.max, score.weak, clean.min_gain,"
                            + " canary.decides.")
    List<String> thresholds = new ArrayList<>();

    @Option(
            names = "--scraper",
            paramLabel = "SPEC",
            description =
                    "A scraper pipeline of the threat model, STEP[+STEP...] with steps native,"
                        + " jpeg:Q, resize:R, gray, crop:F, unwave (a scraper that fits the public"
                        + " class waves out) (e.g. resize:224+jpeg:95); repeatable; the pipelines"
                        + " given replace the built-in set (native, jpeg:95, jpeg:75, resize:32,"
                        + " resize:64, gray, and resize:224+jpeg:95 above 224 px).")
    List<String> scrapers = new ArrayList<>();

    @Option(
            names = "--canary-max-resolution",
            paramLabel = "PX",
            description =
                    "Train canaries for pipelines whose training resolution is at most"
                            + " PX (default: the profile's: cpu-small 64, paper all).")
    Integer canaryMaxResolution;

    @Option(
            names = "--dilution",
            split = ",",
            paramLabel = "P",
            description =
                    "Protected shares of the diluted canaries (the rest clean"
                            + " originals), comma-separated (default 1.0,0.5).")
    List<Double> dilution;

    @Option(names = "--no-defences", description = "Skip the JPEG-75 and grayscale canaries.")
    boolean noDefences;

    @Option(
            names = "--report-dir",
            description =
                    "Where to write the HTML report (default:" + " <data-dir>/audits/<audit id>).")
    Path reportDir;

    @Option(
            names = "--bank",
            description =
                    "AR process bank (JSON) the poisoner uses (default:"
                            + " the paper's ten processes).")
    Path bank;

    @Option(
            names = "--delta-pictures",
            description =
                    "Show clean, protected and amplified delta samples per class in the report. Off"
                        + " by default: the deltas let a reader fit the secret AR coefficients.")
    boolean deltaPictures;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (now == (raw != null || published != null)) {
            throw new IllegalArgumentException(
                    "give either --now (the running stack) or --raw"
                            + " DIR and --protected DIR (an offline audit of a folder pair)");
        }
        if (!now && (raw == null || published == null)) {
            throw new IllegalArgumentException(
                    "give both --raw DIR and --protected DIR (an offline audit of a folder pair)");
        }
        AuditLogging.quiet();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> progress =
                quiet
                        ? line -> {}
                        : line -> {
                            err.println(line);
                            err.flush();
                        };
        Auditor.Settings settings = settings();
        AuditResult report;
        Path dataDir = cluster.dataDirOrDefault();
        if (now) {
            io.scrapeguard.service.Endpoints e = cluster.resolve();
            report =
                    LiveAudit.now(
                            e,
                            settings,
                            BankClassifiers.load(bank),
                            java.time.Duration.ofSeconds(readTimeoutSeconds),
                            progress);
        } else {
            PairedFolders.Pairing pairing =
                    PairedFolders.pair(
                            raw, published, settings.profile().maxPairsPerLabel(), seed, progress);
            report =
                    Auditor.audit(
                            pairing.pairs(),
                            pairing.skipped(),
                            BankClassifiers.load(bank),
                            settings,
                            progress);
        }
        Path dir = reportDir != null ? reportDir : dataDir.resolve("audits").resolve(report.id());
        Path html = HtmlReport.write(report, dir);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(ReportJson.write(report));
        } else {
            out.print(AuditSummary.text(report));
            out.println("report: " + html.toAbsolutePath());
        }
        out.flush();
        if (json) {
            progress.accept("audit: report " + html.toAbsolutePath());
        }
        return report.completed() ? 0 : EXIT_NOT_RUN;
    }

    Auditor.Settings settings() {
        AuditProfile p = AuditProfile.named(profile);
        if (epochs != null) {
            p = p.withEpochs(epochs);
        }
        if (seeds != null) {
            p = p.withSeeds(seeds);
        }
        if (canaryFlip != null) {
            p = p.withFlip(canaryFlip);
        }
        if (maxPerLabel != null) {
            p = p.withMaxPairsPerLabel(maxPerLabel);
        }
        Thresholds t = Thresholds.defaults();
        for (String a : thresholds) {
            t = t.with(a);
        }
        return Auditor.Settings.of(p)
                .withSeed(seed)
                .withThresholds(t)
                .withDefences(!noDefences)
                .withSamplePictures(deltaPictures)
                .withScrapers(scrapers)
                .withCanaryMaxResolution(canaryMaxResolution)
                .withDilution(dilution == null ? Auditor.Settings.DEFAULT_DILUTION : dilution);
    }
}
