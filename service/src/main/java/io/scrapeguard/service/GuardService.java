package io.scrapeguard.service;

/**
 * A service {@code ./guard up} starts after the poisoner (the auditor plugs in here). Services are
 * found with {@link java.util.ServiceLoader} through {@link GuardServiceProvider}, started in order
 * and closed in reverse order.
 */
public interface GuardService extends AutoCloseable {
    /** A short name for logs and errors, e.g. {@code auditor}. */
    String name();

    /** Starts the service; returns once it runs (its own threads do the work). */
    void start(GuardServiceContext context) throws Exception;

    /** Alive: not failed beyond repair (feeds {@code /health/live}). */
    default HealthStatus live() {
        return HealthStatus.up(name() + " running");
    }

    /** Ready to do its job (feeds {@code /health/ready}). */
    default HealthStatus ready() {
        return HealthStatus.up(name() + " running");
    }

    @Override
    void close();
}
