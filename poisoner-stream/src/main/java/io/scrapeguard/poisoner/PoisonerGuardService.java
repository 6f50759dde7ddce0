package io.scrapeguard.poisoner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.scrapeguard.core.Protector;
import io.scrapeguard.service.GuardService;
import io.scrapeguard.service.GuardServiceContext;
import io.scrapeguard.service.HealthStatus;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poisoner as a service of {@code ./guard up} (started first; the auditor comes after). A
 * stream that stopped (ERROR, or NOT_RUNNING without our close) is replaced by a fresh one; after
 * {@link #MAX_RESTARTS} failed restarts in a row the service gives up and says so in {@code
 * /health/live}, and {@code up} exits non-zero rather than run half-dead.
 */
public final class PoisonerGuardService implements GuardService {
    private static final Logger LOG = LoggerFactory.getLogger(PoisonerGuardService.class);
    static final int MAX_RESTARTS = 5;
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final PoisonerOptions options;
    private final Protector protection;
    private final Duration shutdownTimeout;
    private final int maxRestarts;
    private final Duration checkEvery;
    private final Starter starter;
    private volatile Poisoner poisoner;
    private volatile String gaveUp;
    private volatile boolean closing;
    private MeterRegistry registry;
    private Counter restarts;
    private ScheduledExecutorService supervisor;
    private int failedRestarts;
    private JvmGcMetrics gc;

    public PoisonerGuardService(
            PoisonerOptions options, Protector protection, Duration shutdownTimeout) {
        this(options, protection, shutdownTimeout, MAX_RESTARTS, CHECK_EVERY, Poisoner::start);
    }

    /** How a stream is started: {@link Poisoner#start}, or a test's that fails on purpose. */
    @FunctionalInterface
    interface Starter {
        Poisoner start(PoisonerOptions options, Protector protection, MeterRegistry registry);
    }

    /**
     * Tests: gives up after {@code maxRestarts} failed restarts in a row, looks at the stream every
     * {@code checkEvery}, starts every stream (the first too) with {@code starter}.
     */
    PoisonerGuardService(
            PoisonerOptions options,
            Protector protection,
            Duration shutdownTimeout,
            int maxRestarts,
            Duration checkEvery,
            Starter starter) {
        if (maxRestarts < 1) {
            throw new IllegalArgumentException("maxRestarts must be at least 1: " + maxRestarts);
        }
        this.options = options;
        this.protection = protection;
        this.shutdownTimeout = shutdownTimeout;
        this.maxRestarts = maxRestarts;
        this.checkEvery = checkEvery;
        this.starter = starter;
    }

    @Override
    public String name() {
        return "poisoner";
    }

    @Override
    public void start(GuardServiceContext context) {
        start(context.registries().forService("poisoner"));
    }

    /** Starts the poisoner and its supervisor with this meter registry. */
    public void start(MeterRegistry registry) {
        this.registry = registry;
        // JVM metrics once per process, on the first service's registry (the poisoner's heap)
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        restarts = registry.counter("guard.poisoner.restarts");
        poisoner = starter.start(options, protection, registry);
        poisoner.awaitRunning(Duration.ofMinutes(2));
        supervisor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "guard-poisoner-supervisor");
                            t.setDaemon(true);
                            return t;
                        });
        supervisor.scheduleWithFixedDelay(
                this::check, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Poisoner poisoner() {
        return poisoner;
    }

    /** Why the service stopped restarting the stream, or null while it has not. */
    public String gaveUp() {
        return gaveUp;
    }

    private void check() {
        try {
            Poisoner current = poisoner;
            if (closing || gaveUp != null || current == null || !stopped(current.state())) {
                return;
            }
            LOG.error("the poisoner stream stopped ({}); starting a new one", current.live());
            restarts.increment();
            current.close(Duration.ofSeconds(10));
            Poisoner next = starter.start(options, protection, registry);
            try {
                next.awaitRunning(Duration.ofMinutes(2));
            } catch (Throwable e) {
                poisoner = next; // the next check closes it and tries again
                throw e;
            }
            // the run of failures ends before anyone can see the new stream: one that dies
            // right after it ran starts a new count instead of extending the old one
            failedRestarts = 0;
            poisoner = next;
            LOG.info("the poisoner stream runs again");
        } catch (Throwable e) {
            failedRestarts++;
            LOG.error(
                    "restarting the poisoner stream failed ({}): {}", failedRestarts, e.toString());
            if (failedRestarts >= maxRestarts) {
                gaveUp = "gave up after " + failedRestarts + " failed restarts: " + e;
            }
        }
    }

    private static boolean stopped(KafkaStreams.State s) {
        return s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING;
    }

    @Override
    public HealthStatus live() {
        if (gaveUp != null) {
            return HealthStatus.down(gaveUp);
        }
        Poisoner p = poisoner;
        return p == null ? HealthStatus.up("starting") : p.live();
    }

    @Override
    public HealthStatus ready() {
        Poisoner p = poisoner;
        return gaveUp != null
                ? HealthStatus.down(gaveUp)
                : p == null ? HealthStatus.down("starting") : p.ready();
    }

    @Override
    public void close() {
        closing = true;
        if (supervisor != null) {
            supervisor.shutdownNow();
            try {
                supervisor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (poisoner != null) {
            poisoner.close(shutdownTimeout);
            poisoner = null;
        }
        if (gc != null) {
            gc.close();
        }
    }
}
