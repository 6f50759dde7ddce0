package io.scrapeguard.service;

/** A liveness or readiness probe; called on every request, so it must be cheap. */
@FunctionalInterface
public interface HealthCheck {
    HealthStatus check();

    HealthCheck ALWAYS_UP = () -> HealthStatus.up("running");
}
