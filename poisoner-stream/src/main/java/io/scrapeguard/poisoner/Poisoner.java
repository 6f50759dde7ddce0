package io.scrapeguard.poisoner;

import io.scrapeguard.core.Protector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.scrapeguard.service.HealthStatus;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.schemas.LabelAssignmentLog;
import io.scrapeguard.schemas.Topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
            LOG.atLevel(far ? Level.WARN : Level.INFO).log(
                    "images over {} pixels are dead-lettered as image-too-large: a {} MB heap"
                            + " protects at most that on each of {} stream threads at once (the"
                            + " configured limit, {} pixels, needs a heap of {} MB: raise -Xmx)",
                    limits.maxPixels(),
                    heap >> 20,
                    options.threads(),
                    options.limits().maxPixels(),
                    ImageLimits.heapNeededFor(options.limits().maxPixels(), options.threads())
                            >> 20);
        }
        return limits;
    }

    private final PoisonerOptions options;
    private final Topics topics;
    private final LabelAssignmentLog assignments;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private volatile Throwable fatal;

    private Poisoner(
            PoisonerOptions options,
            Topics topics,
            LabelAssignmentLog assignments,
            KafkaStreams streams,
            KafkaStreamsMetrics streamsMetrics) {
        this.options = options;
        this.topics = topics;
        this.assignments = assignments;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
    }

    /** Creates the topics if needed, reads the label assignments, starts the stream. */
    public static Poisoner start(
            PoisonerOptions options, Protector protection, MeterRegistry registry) {
        createTopics(options);
        Topics topics = Topics.forRegistry(options.registryUrl());
        LabelAssignmentLog assignments = null;
        try {
            assignments =
                    new LabelAssignmentLog(
                                    Map.of("bootstrap.servers", options.bootstrapServers()),
                                    options.topics().labelAssignments(),
                                    protection.method().classes(),
                                    options.applicationId()
                                            + "-"
                                            + ProcessHandle.current().pid()
                                            + "-"
                                            + System.identityHashCode(protection))
                            .start(Duration.ofSeconds(60));
            LabelAssignmentLog log = assignments;
            registry.gauge("guard.bank.labels.assigned", log, l -> l.assignedCount());
            registry.gauge("guard.bank.size", log, l -> l.bankSize());
            PoisonerMetrics metrics = new PoisonerMetrics(registry);
            ImageLimits limits = limitsForThisHeap(options);
            ImagePipeline pipeline =
                    new ImagePipeline(
                            protection,
                            options.labelPolicy(),
                            LabelResolver.of(log, options.labelClaimTimeout()),
                            limits,
                            options.outputFormat(),
                            options.jpegQuality(),
                            options.jpegSurvivalWarning())
                    .withMinCoverage(options.minCoverage());
            var raw = topics.rawImages().valueSerde().deserializer();
            var out = topics.protectedImages().valueSerde();
            var topology =
                    PoisonerTopology.buildTopology(options.topics(), raw, out, pipeline, metrics);
            Properties config =
                    PoisonerTopology.streamsConfig(
                            options.applicationId(),
                            options.bootstrapServers(),
                            options.stateDir(),
                            options.threads());
            config.putAll(options.streamsOverrides());
            KafkaStreams streams = new KafkaStreams(topology, config);
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
            Poisoner p = new Poisoner(options, topics, log, streams, streamsMetrics);
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
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
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
                    if (!(e.getCause() instanceof TopicExistsException)) {
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
        LabelAssignmentLog.createTopic(
                Map.of("bootstrap.servers", options.bootstrapServers()), t.labelAssignments());
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

    public HealthStatus ready() {
        KafkaStreams.State s = streams.state();
        if (s != KafkaStreams.State.RUNNING) {
            return HealthStatus.down("stream " + s);
        }
        if (!assignments.healthy()) {
            return HealthStatus.down("label assignment log unreadable");
        }
        return HealthStatus.up("stream RUNNING");
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
            streams.close(timeout);
        } finally {
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
