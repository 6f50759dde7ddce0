package io.scrapeguard.app;

import io.scrapeguard.embedded.EmbeddedSchemaRegistry;
import io.scrapeguard.service.GuardService;
import io.scrapeguard.service.GuardServiceContext;
import io.scrapeguard.service.HealthStatus;

/**
 * The embedded schema registry's child process in {@code /health/ready} of {@code ./guard up}: not
 * ready from its death until the one the stack starts again answers, since no new schema can be
 * read or written meanwhile.
 */
final class RegistryHealthService implements GuardService {
    private final EmbeddedSchemaRegistry registry;

    RegistryHealthService(EmbeddedSchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "schema-registry";
    }

    @Override
    public void start(GuardServiceContext context) {
        // nothing to start: the stack runs and supervises the registry
    }

    @Override
    public HealthStatus ready() {
        String restarts =
                registry.restarts() == 0 ? "" : ", restarted " + registry.restarts() + "x";
        return registry.running()
                ? HealthStatus.up("schema registry running" + restarts)
                : HealthStatus.down(
                        "schema registry down or not answering yet, being restarted" + restarts);
    }

    @Override
    public void close() {
        // the stack stops the registry after every service
    }
}
