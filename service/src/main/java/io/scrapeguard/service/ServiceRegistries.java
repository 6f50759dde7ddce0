package io.scrapeguard.service;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Prometheus registry per service in one JVM ({@code ./guard up}), each with its own {@code
 * service} tag, scraped one after the other at the single {@code /metrics}. Services must not bind
 * the same meter families (JVM metrics are bound once, by the first service).
 */
public final class ServiceRegistries implements GuardServiceContext.MeterRegistries, AutoCloseable {
    private final Map<String, PrometheusMeterRegistry> registries = new LinkedHashMap<>();

    @Override
    public synchronized PrometheusMeterRegistry forService(String service) {
        return registries.computeIfAbsent(service, GuardMetrics::newRegistry);
    }

    /** The Prometheus text of every registry. */
    public synchronized String scrape() {
        StringBuilder out = new StringBuilder();
        for (PrometheusMeterRegistry r : registries.values()) {
            out.append(r.scrape());
        }
        return out.toString();
    }

    @Override
    public synchronized void close() {
        registries.values().forEach(PrometheusMeterRegistry::close);
        registries.clear();
    }
}
