package io.scrapeguard.poisoner;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.scrapeguard.core.Protector;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.schemas.LabelAssignmentLog;
import io.scrapeguard.schemas.RecordLimit;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One running poisoner instance: the label assignment log, the topology, its metrics and health.
 * Several instances with the same application id share the raw topic's partitions.
 */
public final class Poisoner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Poisoner.class);

    /**
     * The configured limits, with the pixel limit lowered to what this JVM's heap can protect on
     * all its stream threads at once (fail-closed: a dead letter, not an OutOfMemoryError).
     */
    static ImageLimits limitsForThisHeap(PoisonerOptions options) {
        long heap = Runtime.getRuntime().maxMemory();
        ImageLimits limits = options.limits().cappedForHeap(heap, options.threads());
        if (limits.maxPixels() < options.limits().maxPixels()) {
            // a warning when it matters; a heap a little short of the limit is only worth a note
            boolean far = limits.maxPixels() < 0.9 * options.limits().maxPixels();
            LOG.atLevel(far ? Level.WARN : Level.INFO)
                    .log(
                            "images over {} pixels are dead-lettered as image-too-large: a {} MB"
                                + " heap protects at most that on each of {} stream threads at once"
                                + " (the configured limit, {} pixels, needs a heap of {} MB: raise"
                                + " -Xmx)",
                            limits.maxPixels(),
                            heap >> 20,
                            options.threads(),
                            options.limits().maxPixels(),
                            ImageLimits.heapNeededFor(
                                            options.limits().maxPixels(), options.threads())
                                    >> 20);
        }
        return limits;
    }

    private final PoisonerOptions options;
    private final Topics topics;
    private final LabelAssignmentLog assignments;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final RecordAttempts attempts;
    private final ProgressWatch progress;
    private final RegistryProbe registryProbe;
    private MeterRegistry registry;
    private List<io.micrometer.core.instrument.Meter> ownMeters = List.of();
    private volatile Throwable fatal;

    private Poisoner(
            PoisonerOptions options,
            Topics topics,
            LabelAssignmentLog assignments,
            KafkaStreams streams,
            KafkaStreamsMetrics streamsMetrics,
            RecordAttempts attempts) {
        this.attempts = attempts;
        this.options = options;
        this.topics = topics;
        this.assignments = assignments;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.progress =
                new ProgressWatch(
                        options.kafkaConfig(),
                        options.applicationId(),
                        options.topics().raw(),
                        options.stallThreshold());
        this.registryProbe = new RegistryProbe(topics.registryClient());
    }

    /** Creates the topics if needed, reads the label assignments, starts the stream. */
    public static Poisoner start(
            PoisonerOptions options, Protector protection, MeterRegistry registry) {
        createTopics(options);
        Topics topics = Topics.fromConfig(options.clients().registryConfig(options.registryUrl()));
        LabelAssignmentLog assignments = null;
        try {
            assignments =
                    new LabelAssignmentLog(
                                    options.kafkaConfig(),
                                    options.topics().labelAssignments(),
                                    ClaimingBank.of(protection.method()),
                                    options.applicationId()
                                            + "-"
                                            + ProcessHandle.current().pid()
                                            + "-"
                                            + System.identityHashCode(protection))
                            .start(Duration.ofSeconds(60));
            LabelAssignmentLog log = assignments;
            // removed on close: a restarted poisoner's gauges must read its own log
            List<io.micrometer.core.instrument.Meter> gauges =
                    List.of(
                            io.micrometer.core.instrument.Gauge.builder(
                                            "guard.bank.labels.assigned",
                                            log,
                                            l -> l.assignedCount())
                                    .register(registry),
                            io.micrometer.core.instrument.Gauge.builder(
                                            "guard.bank.size", log, l -> l.bankSize())
                                    .register(registry));
            PoisonerMetrics metrics = new PoisonerMetrics(registry);
            ImageLimits limits = limitsForThisHeap(options);
            // the protected topic's own max.message.bytes: a record over it is a dead letter
            // before it is sent, not a broker error that stops the stream thread
            RecordLimit outputLimit =
                    RecordLimit.read(
                            options.kafkaConfig(),
                            options.topics().protectedImages(),
                            note -> LOG.warn("poisoner: {}", note));
            ImagePipeline pipeline =
                    new ImagePipeline(
                                    protection,
                                    options.labelPolicy(),
                                    LabelResolver.of(log, options.labelClaimTimeout()),
                                    limits,
                                    options.outputFormat(),
                                    options.jpegQuality(),
                                    options.jpegSurvivalWarning(),
                                    PipelineLimits.DEFAULT
                                            .withTimeBudget(options.imageTimeBudget())
                                            .withMaxOutputBytes(outputLimit.maxMessageBytes()))
                            .withMinCoverage(options.minCoverage())
                            .withShortfall(options.shortfallFloor(), metrics::clippingRatio);
            var raw = topics.rawImages().valueSerde().deserializer();
            var out = topics.protectedImages().valueSerde();
            RecordAttempts attempts = new RecordAttempts(RecordAttempts.DEFAULT_MAX_ATTEMPTS);
            var topology =
                    PoisonerTopology.buildTopology(
                            options.topics(),
                            raw,
                            out,
                            pipeline,
                            metrics,
                            attempts,
                            options.publishingKey());
            Properties config =
                    PoisonerTopology.streamsConfig(
                            options.applicationId(),
                            options.bootstrapServers(),
                            options.stateDir(),
                            options.threads(),
                            options.imageTimeBudget());
            config.putAll(options.clients().kafka()); // security settings reach every client
            config.putAll(options.streamsOverrides());
            KafkaStreams streams = new KafkaStreams(topology, config);
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
            Poisoner p = new Poisoner(options, topics, log, streams, streamsMetrics, attempts);
            p.registry = registry;
            p.ownMeters = gauges;
            streams.setUncaughtExceptionHandler(p::onUncaught);
            streams.start();
            return p;
        } catch (RuntimeException e) {
            if (assignments != null) {
                assignments.close();
            }
            topics.close();
            throw e;
        }
    }

    /** Transient causes (registry or Kafka unreachable) replace the thread; others stop the app. */
    private StreamThreadExceptionResponse onUncaught(Throwable e) {
        if (isTransient(e)) {
            LOG.warn("transient failure, replacing the stream thread in 1 s: {}", rootMessage(e));
            try {
                Thread.sleep(1000); // registry down: do not spin through replacements
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        if (attempts.anyPending()) {
            // a record killed the thread: its replacement meets it again, and after
            // RecordAttempts' limit dead-letters it as a poison-pill instead of looping
            LOG.error("a record killed a stream thread, replacing it: {}", rootMessage(e), e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("fatal failure, stopping the poisoner: {}", rootMessage(e), e);
        fatal = e;
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetriableException
                    || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }

    public static void createTopics(PoisonerOptions options) {
        Properties p = new Properties();
        p.putAll(options.kafkaConfig());
        PoisonerTopics t = options.topics();
        try (Admin admin = Admin.create(p)) {
            // partitions bound the stream threads that can work; a broker default of 1 would
            // leave all but one idle (only applies to topics created here)
            int partitions = Math.max(4, options.threads());
            for (String name : List.of(t.raw(), t.protectedImages(), t.deadLetters())) {
                try {
                    admin.createTopics(
                                    List.of(
                                            new NewTopic(
                                                            name,
                                                            java.util.Optional.of(partitions),
                                                            java.util.Optional.empty())
                                                    .configs(Topics.topicConfig())))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // not allowed to create: on a secured cluster the operator creates the topics
                    if (!(e.getCause() instanceof TopicExistsException
                            || e.getCause() instanceof TopicAuthorizationException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + name + ": " + e.getCause().getMessage(),
                                e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "timed out creating topics: is Kafka reachable at "
                            + options.bootstrapServers()
                            + "?",
                    e);
        }
        LabelAssignmentLog.createTopic(options.kafkaConfig(), t.labelAssignments());
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public HealthStatus live() {
        KafkaStreams.State s = streams.state();
        return s == KafkaStreams.State.ERROR
                        || s == KafkaStreams.State.NOT_RUNNING
                        || s == KafkaStreams.State.PENDING_ERROR
                ? HealthStatus.down(
                        "stream " + s + (fatal != null ? ": " + rootMessage(fatal) : ""))
                : HealthStatus.up("stream " + s);
    }

    /**
     * Ready: the stream RUNNING and moving with a readable assignment log, and the schema registry
     * answering (the serdes' cached ids hide an outage from the stream until it meets a new schema,
     * so the registry is asked itself: {@link RegistryProbe}). DOWN names every cause that applies.
     * Liveness does not look at the registry: an outage is waited out, not a reason to restart.
     */
    public HealthStatus ready() {
        HealthStatus stream = streamReady();
        HealthStatus registry = registryProbe.status();
        if (stream.up() && registry.up()) {
            return HealthStatus.up(stream.reason() + "; " + registry.reason());
        }
        return HealthStatus.down(
                Stream.of(stream, registry)
                        .filter(h -> !h.up())
                        .map(HealthStatus::reason)
                        .collect(Collectors.joining("; ")));
    }

    private HealthStatus streamReady() {
        KafkaStreams.State s = streams.state();
        if (s != KafkaStreams.State.RUNNING) {
            return HealthStatus.down("stream " + s);
        }
        if (!assignments.healthy()) {
            return HealthStatus.down("label assignment log unreadable");
        }
        HealthStatus moving = progress.status();
        return moving.up() ? HealthStatus.up("stream RUNNING, " + moving.reason()) : moving;
    }

    /** Waits until the stream runs (all tasks assigned) or fails. */
    public void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (live().up() == false) {
                throw new IllegalStateException("the poisoner stopped: " + live().reason());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the poisoner is not running after "
                                + timeout
                                + " (state "
                                + streams.state()
                                + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public PoisonerOptions options() {
        return options;
    }

    public LabelAssignmentLog assignments() {
        return assignments;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Graceful: finishes the current records and commits, within the timeout. */
    public void close(Duration timeout) {
        try {
            progress.close();
            streams.close(timeout);
        } finally {
            ownMeters.forEach(registry::remove);
            streamsMetrics.close();
            assignments.close();
            topics.close();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
