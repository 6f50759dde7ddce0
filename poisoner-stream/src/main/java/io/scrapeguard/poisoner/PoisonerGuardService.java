package io.scrapeguard.poisoner;

import io.scrapeguard.core.Protector;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.scrapeguard.service.GuardService;
import io.scrapeguard.service.GuardServiceContext;
import io.scrapeguard.service.HealthStatus;

import java.time.Duration;

/** The poisoner as a service of {@code ./guard up} (started first; the auditor comes after). */
public final class PoisonerGuardService implements GuardService {
    private final PoisonerOptions options;
    private final Protector protection;
    private final Duration shutdownTimeout;
    private Poisoner poisoner;
    private JvmGcMetrics gc;

    public PoisonerGuardService(
            PoisonerOptions options, Protector protection, Duration shutdownTimeout) {
        this.options = options;
        this.protection = protection;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public String name() {
        return "poisoner";
    }

    @Override
    public void start(GuardServiceContext context) {
        var registry = context.registries().forService("poisoner");
        // JVM metrics once per process, on the first service's registry (the poisoner's heap)
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        poisoner = Poisoner.start(options, protection, registry);
        poisoner.awaitRunning(Duration.ofMinutes(2));
    }

    public Poisoner poisoner() {
        return poisoner;
    }

    @Override
    public HealthStatus live() {
        return poisoner == null ? HealthStatus.up("starting") : poisoner.live();
    }

    @Override
    public HealthStatus ready() {
        return poisoner == null ? HealthStatus.down("starting") : poisoner.ready();
    }

    @Override
    public void close() {
        if (poisoner != null) {
            poisoner.close(shutdownTimeout);
            poisoner = null;
        }
        if (gc != null) {
            gc.close();
        }
    }
}
