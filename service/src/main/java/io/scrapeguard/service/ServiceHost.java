package io.scrapeguard.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ScrapeGuard services in one JVM behind one HTTP endpoint: starts them in order, answers
 * {@code /health/*} for all of them, closes them in reverse order (once), and lets the main thread
 * wait until that happened (Ctrl-C runs {@link #close()} from a shutdown hook).
 */
public final class ServiceHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHost.class);

    private final ServiceRegistries registries = new ServiceRegistries();
    private final List<GuardService> started = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Path dataDir;
    private final Map<String, String> options;
    private final GuardHttpServer http;
    private final Endpoints endpoints;
    private Supplier<HealthStatus> extraLiveness = () -> HealthStatus.up("running");
    private boolean closed;

    /** Starts the HTTP endpoint (not ready until {@link #start} returns). */
    public ServiceHost(
            String bootstrapServers,
            String registryUrl,
            Path dataDir,
            String httpHost,
            int httpPort,
            Map<String, String> options) {
        this(
                new Endpoints(bootstrapServers, registryUrl, ""),
                dataDir,
                httpHost,
                httpPort,
                options);
    }

    /** As above, for a cluster whose clients need settings (security) beyond the addresses. */
    public ServiceHost(
            Endpoints cluster,
            Path dataDir,
            String httpHost,
            int httpPort,
            Map<String, String> options) {
        this.dataDir = dataDir == null ? null : PrivateDir.ensure(dataDir);
        this.options = Map.copyOf(options);
        HttpToken token = HttpToken.fromEnvironment().orElse(null); // before the port is bound
        this.http =
                GuardHttpServer.start(httpHost, httpPort, registries::scrape).requireToken(token);
        this.endpoints =
                new Endpoints(
                        cluster.bootstrapServers(),
                        cluster.registryUrl(),
                        http.metricsUrl(),
                        cluster.clients());
        http.liveness(this::live);
        http.readiness(() -> HealthStatus.down("starting"));
    }

    /** Adds a liveness condition beyond the services' own (e.g. the embedded broker). */
    public ServiceHost liveness(Supplier<HealthStatus> check) {
        this.extraLiveness = check;
        return this;
    }

    public GuardServiceContext context() {
        return new GuardServiceContext(endpoints, dataDir, http, registries, options);
    }

    /** The services of the {@link GuardServiceProvider}s on the classpath, in their order. */
    public List<GuardService> discover() {
        GuardServiceContext ctx = context();
        List<GuardServiceProvider> providers = new ArrayList<>();
        ServiceLoader.load(GuardServiceProvider.class).forEach(providers::add);
        providers.sort(Comparator.comparingInt(GuardServiceProvider::order));
        List<GuardService> out = new ArrayList<>();
        for (GuardServiceProvider p : providers) {
            p.create(ctx).ifPresent(out::add);
        }
        return out;
    }

    /** Starts the services in order; on failure, closes what was started and rethrows. */
    public void start(List<GuardService> services) throws Exception {
        GuardServiceContext ctx = context();
        for (GuardService s : services) {
            try {
                s.start(ctx);
            } catch (Exception e) {
                s.close();
                close();
                throw new IllegalStateException(
                        s.name()
                                + " failed to start: "
                                + (e.getMessage() != null ? e.getMessage() : e),
                        e);
            }
            synchronized (this) {
                started.add(s);
            }
        }
        http.readiness(this::ready);
    }

    private synchronized HealthStatus live() {
        HealthStatus extra = extraLiveness.get();
        if (!extra.up()) {
            return extra;
        }
        if (closed) {
            return HealthStatus.down("stopping");
        }
        for (GuardService s : started) {
            HealthStatus h = s.live();
            if (!h.up()) {
                return new HealthStatus(false, s.name() + ": " + h.reason());
            }
        }
        return HealthStatus.up("running");
    }

    /**
     * Waits until {@code /health/ready} would answer UP, at most {@code timeout} (a stream that
     * runs may still be settling its first assignment); the last status either way.
     */
    public HealthStatus awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HealthStatus s = ready();
        while (!s.up() && System.nanoTime() < deadline) {
            synchronized (this) {
                if (closed) {
                    return s;
                }
            }
            Thread.sleep(100);
            s = ready();
        }
        return s;
    }

    private synchronized HealthStatus ready() {
        if (closed) {
            return HealthStatus.down("stopping");
        }
        List<String> reasons = new ArrayList<>();
        boolean up = true;
        for (GuardService s : started) {
            HealthStatus h = s.ready();
            up &= h.up();
            reasons.add(s.name() + ": " + h.reason());
        }
        return new HealthStatus(up, String.join("; ", reasons));
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public GuardHttpServer http() {
        return http;
    }

    public ServiceRegistries registries() {
        return registries;
    }

    /** Blocks until {@link #close()} has run. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        List<GuardService> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(started);
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            GuardService s = toClose.get(i);
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("{} did not close cleanly: {}", s.name(), e.toString());
            }
        }
        http.close();
        registries.close();
        stopped.countDown();
    }
}
