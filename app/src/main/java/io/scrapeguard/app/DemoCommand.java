package io.scrapeguard.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapeguard.auditor.AuditProfile;
import io.scrapeguard.core.ClassFreeGaussianNoise;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.dataset.DatasetOptions;
import io.scrapeguard.dataset.SyntheticDataset;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.poisoner.PoisonerCliOptions;
import io.scrapeguard.producer.ImagePublisher;
import io.scrapeguard.producer.ImageSources;
import io.scrapeguard.producer.ProducerSettings;
import io.scrapeguard.producer.ProgressBar;
import io.scrapeguard.producer.PublishItem;
import io.scrapeguard.producer.PublishSummary;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.CliLogging;
import io.scrapeguard.service.GuardHttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./guard demo}: ScrapeGuard's main job end to end, in one command. Generates a labelled
 * image set (or takes {@code --images DIR}), starts the whole system in this JVM (embedded broker
 * and registry, poisoner, auditor), publishes the images with the producer, waits until every image
 * is protected or dead-lettered, runs one audit through the auditor service, prints a short report,
 * then stops everything. Exit 0 when the run shows what it should: every image accounted for, and
 * the published images protected (the audit's native pipeline not FAILING) for the AR perturbation,
 * whatever the threat model's verdict (native, jpeg:95) says of the scrapers; FAILING for the noise
 * control.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The main job, end to end: generates a labelled image set (or takes --images DIR),"
                    + " starts the whole system (embedded Kafka and schema registry, poisoner,"
                    + " auditor), publishes the images, waits until every image is protected or"
                    + " dead-lettered, runs one audit, prints a report and where the HTML report"
                    + " with pictures is, then stops everything.",
            "Exit 0 when every image is accounted for and the audit shows what it should: the"
                    + " published images protected (the native pipeline not FAILING) with the AR"
                    + " perturbation, whatever the threat model's verdict (native, jpeg:95) says"
                    + " of the scrapers; FAILING with --control noise."
        })
public final class DemoCommand implements Callable<Integer> {
    /**
     * Exit code when the run completed but did not show what it should (wrong verdict, lost
     * images).
     */
    public static final int EXIT_NOT_SHOWN = 1;

    private static final int STEPS = 6;

    @Spec CommandSpec spec;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description =
                    "Your own images in the image-folder layout (<DIR>/<label>/*.png|jpg)"
                            + " instead of the generated set.")
    Path images;

    @Option(
            names = "--per-class",
            defaultValue = "200",
            description =
                    "Generated images per class (enough for the small canaries to learn, on"
                            + " 2 cores in about 2 minutes); with --images, at most this many per"
                            + " label"
                            + " (a seeded sample; 0 = all). Default ${DEFAULT-VALUE}.")
    int perClass;

    @Option(
            names = "--control",
            paramLabel = "noise",
            description =
                    "For comparison: 'noise' publishes class-free Gaussian noise of the same budget"
                            + " instead of the AR perturbation (the audit must call it FAILING).")
    String control;

    @Option(
            names = "--data-dir",
            defaultValue = ".guard/demo",
            description =
                    "Where the generated set, the endpoints file and the audit reports go"
                            + " (default ${DEFAULT-VALUE}); Kafka's data is temporary.")
    Path dataDir;

    @Option(
            names = "--metrics-port",
            defaultValue = "0",
            description =
                    "Port of /metrics, /health and /audit/ on 127.0.0.1 (default: a free"
                            + " one).")
    int metricsPort;

    @Option(
            names = "--profile",
            defaultValue = "auto",
            description =
                    "Audit profile: auto (paper on a GPU, else cpu-small), cpu-small or"
                            + " paper.")
    String profile;

    @Option(
            names = "--epochs",
            description = "Canary epochs (default: the profile's; cpu-small 15).")
    Integer epochs;

    @Option(
            names = "--seeds",
            description = "Canary seeds (default: 1 for cpu-small, else the" + " profile's).")
    Integer seeds;

    @Option(
            names = "--defences",
            description =
                    "Also train the protected canary on JPEG-75 and grayscale versions of"
                            + " the published images (known defences; doubles the canary time).")
    boolean defences;

    @Option(
            names = "--timeout",
            defaultValue = "900",
            description =
                    "Seconds to wait for the pipeline, and again for the audit (default"
                            + " ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Mixin DatasetOptions generated = new DatasetOptions();

    @Mixin PoisonerCliOptions poisoner = new PoisonerCliOptions();

    private PrintStream err;
    private long startNanos;
    private int step;

    @Override
    public Integer call() throws Exception {
        CliLogging.quiet();
        // The auditor logs each stage at INFO for ./guard up; here the demo shows them itself.
        quietLogger("io.scrapeguard.auditor", "warn");
        // the broker's controller channel warns that it closes a closed client at shutdown
        quietLogger("org.apache.kafka.clients.NetworkClient", "error");
        err = System.err;
        startNanos = System.nanoTime();
        boolean noise = checkOptions();
        Path dir = dataDir.toAbsolutePath();

        step("images");
        List<PublishItem> items = images != null ? sampleOf(images) : generated(dir);
        // the demo knows its labels: the strict policy protects exactly those
        poisoner.defaultLabels(
                items.stream()
                        .map(PublishItem::label)
                        .collect(Collectors.toCollection(TreeSet::new)));

        step("starting the whole system: Kafka broker, schema registry, poisoner, auditor");
        SeedingKey key = SeedingKey.resolve();
        Protector protection =
                noise
                        // the control: class-free noise of the same budget, no class shortcut (no
                        // bank)
                        ? new Protector(
                                new ClassFreeGaussianNoise(
                                        key, poisoner.budget(), poisoner.loadBank().size()))
                        : poisoner.protection(key);
        say(
                "perturbation: "
                        + (noise ? "CONTROL, class-free Gaussian noise" : "AR")
                        + " ("
                        + protection
                        + ")"
                        + (key.isDevelopmentDefault()
                                ? "; public development seeding key (set GUARD_SEEDING_KEY for real"
                                        + " use)"
                                : ""));
        Path streams = Files.createTempDirectory("guard-demo-streams");
        AllInOne system =
                new AllInOne(
                        new AllInOne.Settings(
                                dir,
                                null,
                                streams,
                                null,
                                null,
                                GuardHttpServer.DEFAULT_HOST,
                                metricsPort,
                                auditorOptions(),
                                Duration.ofSeconds(20)),
                        poisoner,
                        protection,
                        err);
        Thread hook =
                new Thread(
                        () -> {
                            system.close();
                            deleteTree(streams);
                        },
                        "guard-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int exit;
        try {
            system.start();
            say("running:");
            system.addresses().forEach(err::println);
            exit = run(system, items, noise);
        } finally {
            step("stopping everything");
            system.close();
            deleteTree(streams);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is stopping the system
            }
            say(
                    String.format(
                            Locale.ROOT,
                            "stopped; the demo took %.0f s",
                            (System.nanoTime() - startNanos) / 1e9));
        }
        return exit;
    }

    private int run(AllInOne system, List<PublishItem> items, boolean noise) {
        step("publishing " + items.size() + " images to " + Topics.RAW_IMAGES);
        String bootstrap = system.endpoints().bootstrapServers();
        long sendStart = System.nanoTime();
        PublishSummary published;
        try (Topics topics = Topics.forRegistry(system.endpoints().registryUrl());
                KafkaProducer<String, RawImage> producer =
                        new KafkaProducer<>(
                                ProducerSettings.defaults(bootstrap),
                                new StringSerializer(),
                                topics.rawImages().valueSerde().serializer());
                ProgressBar bar = ProgressBar.onStderr(items.size())) {
            published =
                    new ImagePublisher(
                                    producer,
                                    Topics.RAW_IMAGES,
                                    ImageLimits.DEFAULT,
                                    ProducerSettings.DEFAULT_MAX_IN_FLIGHT_BYTES,
                                    "demo")
                            .publish(items, bar);
        }
        double publishSeconds = (System.nanoTime() - sendStart) / 1e9;
        say(
                published.lastLine()
                        + (published.failed() > 0
                                ? " (refused before sending: " + published.failedByReason() + ")"
                                : ""));

        step("waiting until every image is protected or dead-lettered");
        TopicTally.Result tally =
                TopicTally.await(
                        bootstrap,
                        published.sent(),
                        Duration.ofSeconds(timeoutSeconds),
                        sendStart,
                        this::say);
        DemoReport.Pipeline pipeline =
                new DemoReport.Pipeline(
                        noise
                                ? "CONTROL: class-free Gaussian noise in place of the AR"
                                        + " perturbation"
                                : "AR perturbation",
                        items.size(),
                        published.sent(),
                        published.failed(),
                        published.failedByReason(),
                        tally,
                        publishSeconds);
        PrintWriter out = spec.commandLine().getOut();
        String lost = accountingProblem(published, tally);
        if (lost != null) {
            out.print(DemoReport.text(pipeline, null, null, null));
            out.flush();
            say("FAILED: " + lost);
            return EXIT_NOT_SHOWN;
        }

        step("auditing: integrity, probes and paired canaries on the published images");
        AuditorClient auditor = new AuditorClient(system.host().http().baseUrl());
        auditor.awaitPairs(
                tally.protectedIds().size(), Duration.ofSeconds(timeoutSeconds), this::say);
        JsonNode report =
                auditor.runAudit(
                        Duration.ofSeconds(timeoutSeconds),
                        line -> say(line.startsWith("audit: ") ? line.substring(7) : line));
        Path html =
                dataDir.toAbsolutePath()
                        .resolve("audits")
                        .resolve(report.path("id").asText())
                        .resolve("index.html");

        out.println();
        out.print(DemoReport.text(pipeline, report, html, auditor.reportUrl()));
        out.flush();
        if (!"completed".equals(report.path("outcome").asText())) {
            say("FAILED: the audit did not run: " + report.path("reason").asText());
            return EXIT_NOT_SHOWN;
        }
        String verdict = report.path("verdict").asText("none");
        if (noise) {
            if (!verdict.equals("FAILING")) {
                say(
                        "FAILED: expected the verdict FAILING for class-free noise, the audit says "
                                + verdict
                                + " ("
                                + report.path("verdict_signal").asText()
                                + ")");
                return EXIT_NOT_SHOWN;
            }
            say(
                    "OK: class-free noise of the same budget is not protection, and the audit says"
                            + " so (FAILING)");
            return 0;
        }
        // The AR run shows what it should when the published bytes themselves are protected
        // (the native row); what a scraper's pipeline leaves of that is the finding the
        // threat-model verdict reports, whatever it is.
        JsonNode nativeRow = scraperRow(report, "name", "native");
        String nativeVerdict =
                nativeRow == null ? verdict : nativeRow.path("verdict").asText("none");
        if (nativeVerdict.equals("FAILING") || nativeVerdict.equals("none")) {
            say(
                    "FAILED: the published images themselves are not protected: the audit says "
                            + nativeVerdict
                            + " for the native pipeline ("
                            + (nativeRow == null ? report : nativeRow)
                                    .path("verdict_signal")
                                    .asText()
                            + ")");
            return EXIT_NOT_SHOWN;
        }
        if (verdict.equals("PROTECTED")) {
            say(
                    "OK: every published image carries the AR shortcut, and the audit says"
                            + " PROTECTED against the whole threat model");
        } else {
            // the first pipeline with the overall verdict is the one that decided it
            JsonNode worst = scraperRow(report, "verdict", verdict);
            String decidedBy =
                    (worst == null ? "" : worst.path("name").asText() + ": ")
                            + report.path("verdict_signal").asText();
            say(
                    "OK: the published images carry the AR shortcut (native: "
                            + nativeVerdict
                            + "); NOTE: against the threat model the audit says "
                            + verdict
                            + " ("
                            + decidedBy
                            + "): what that scraper leaves of the protection is in the report");
        }
        return 0;
    }

    /** The report's first scraper-pipeline row whose {@code field} is {@code value}, or null. */
    private static JsonNode scraperRow(JsonNode report, String field, String value) {
        for (JsonNode row : report.path("scrapers")) {
            if (value.equals(row.path(field).asText())) {
                return row;
            }
        }
        return null;
    }

    /** Null when every sent image is on exactly one of the two topics. */
    private static String accountingProblem(PublishSummary published, TopicTally.Result t) {
        if (!t.both().isEmpty()) {
            return t.both().size() + " images are both protected and dead-lettered";
        }
        if (t.accounted() != published.sent()) {
            return String.format(
                    Locale.ROOT,
                    "%d images sent, but only %d protected and %d" + " dead-lettered after %.0f s",
                    published.sent(),
                    t.protectedIds().size(),
                    t.deadLetterIds().size(),
                    t.seconds());
        }
        return null;
    }

    private boolean checkOptions() {
        boolean noise = false;
        if (control != null) {
            if (!control.equalsIgnoreCase("noise")) {
                throw new IllegalArgumentException(
                        "--control takes 'noise' (class-free Gaussian noise), got '"
                                + control
                                + "'");
            }
            noise = true;
        }
        if (images != null && !Files.isDirectory(images)) {
            throw new IllegalArgumentException(
                    Files.exists(images)
                            ? "--images "
                                    + images
                                    + " is not a folder (expected <DIR>/<label>/*.png|jpg)"
                            : "--images " + images + ": no such folder");
        }
        if (perClass < 0 || (images == null && perClass < 1)) {
            throw new IllegalArgumentException("--per-class must be at least 1, got " + perClass);
        }
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        return noise;
    }

    /** The auditor's options for this run: the demo's one audit, on demand, all pairs. */
    private Map<String, String> auditorOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        String p = profile.toLowerCase(Locale.ROOT);
        if (p.equals("auto")) {
            p = AuditProfile.automatic().name();
        }
        o.put("auditor.profile", p);
        o.put("auditor.interval", "0");
        o.put("auditor.seed", Long.toString(generated.seed));
        o.put("auditor.defences", Boolean.toString(defences));
        // the demo is for looking at: its report shows the samples (a local, private data dir)
        o.put("auditor.pictures.deltas", "true");
        boolean small = p.equals("cpu-small");
        if (epochs != null) {
            o.put("auditor.epochs", Integer.toString(epochs));
        }
        if (seeds != null || small) {
            o.put("auditor.seeds", Integer.toString(seeds != null ? seeds : 1));
        }
        // The demo's threat model: the published bytes as they are, and the JPEG re-encoding at
        // quality 95 that img2dataset applies; canaries on both (at 32 px they fit the demo's
        // minutes), so that they decide wherever the clean canary learns.
        o.put("auditor.scrapers", "native,jpeg:95");
        if (small) {
            o.put("auditor.canary-max-resolution", "32");
        }
        // one dilution arm, all protected: it is the native canary itself and costs nothing more
        o.put("auditor.dilution", "1.0");
        // every published image in the sample (the service's default caps it per label)
        o.put(
                "auditor.max-per-label",
                Integer.toString(Math.max(perClass == 0 ? 100_000 : perClass, 2)));
        return o;
    }

    private List<PublishItem> generated(Path dir) throws IOException {
        Path out =
                dir.resolve(
                        String.format(
                                Locale.ROOT,
                                "dataset-%dx%d-%dpx-seed%d",
                                generated.classes,
                                perClass,
                                generated.size,
                                generated.seed));
        Path done = out.resolve(".complete");
        if (Files.exists(done)) {
            say("reusing the generated set in " + out);
        } else {
            say(
                    "generating "
                            + generated.classes
                            + " classes x "
                            + perClass
                            + " images of "
                            + generated.size
                            + "x"
                            + generated.size
                            + " (shapes with random colour, position, scale, rotation, noise) in "
                            + out);
            SyntheticDataset.Summary s =
                    new SyntheticDataset(generated.classes, generated.size, generated.seed)
                            .write(out, perClass, this::say);
            Files.writeString(done, s.files() + " images\n");
        }
        List<PublishItem> items = ImageSources.list(List.of(out), null).items();
        if (items.size() != generated.classes * perClass) {
            throw new IllegalStateException(
                    out
                            + " holds "
                            + items.size()
                            + " images instead of "
                            + generated.classes * perClass
                            + "; delete it and run again");
        }
        return items;
    }

    private List<PublishItem> sampleOf(Path root) {
        ImageSources.Listing listing = ImageSources.list(List.of(root), null);
        ImageSelection.Sample s =
                ImageSelection.perLabel(listing.items(), perClass, generated.seed);
        if (s.items().isEmpty()) {
            throw new IllegalArgumentException(
                    "no images in "
                            + root
                            + " (expected <DIR>/<label>/*.png|jpg, the label being the folder"
                            + " name)");
        }
        say(
                String.format(
                        Locale.ROOT,
                        "%d images in %d labels from %s%s",
                        s.items().size(),
                        s.labels(),
                        root.toAbsolutePath(),
                        s.available() > s.items().size()
                                ? " (a sample of at most "
                                        + perClass
                                        + " per label out of "
                                        + s.available()
                                        + "; --per-class 0 takes all)"
                                : ""));
        if (!listing.skipped().isEmpty()) {
            say(
                    listing.skipped().size()
                            + " files passed over (not in a label folder, or not"
                            + " PNG/JPEG)");
        }
        return s.items();
    }

    private static void quietLogger(String name, String level) {
        String key = "org.slf4j.simpleLogger.log." + name;
        if (System.getProperty(key) == null) {
            System.setProperty(key, level);
        }
    }

    private void step(String what) {
        step++;
        err.printf(
                Locale.ROOT,
                "demo: [%d/%d %4.0fs] %s%n",
                Math.min(step, STEPS),
                STEPS,
                (System.nanoTime() - startNanos) / 1e9,
                what);
        err.flush();
    }

    private void say(String line) {
        err.println("demo:   " + line);
        err.flush();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    // best effort: a temporary dir
                                }
                            });
        } catch (IOException e) {
            // best effort
        }
    }
}
