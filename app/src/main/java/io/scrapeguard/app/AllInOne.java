package io.scrapeguard.app;

import io.scrapeguard.core.Protector;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.poisoner.Poisoner;
import io.scrapeguard.poisoner.PoisonerCliOptions;
import io.scrapeguard.poisoner.PoisonerGuardService;
import io.scrapeguard.poisoner.PoisonerOptions;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.Endpoints;
import io.scrapeguard.service.GuardService;
import io.scrapeguard.service.HealthStatus;
import io.scrapeguard.service.PrivateDir;
import io.scrapeguard.service.ServiceHost;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The whole ScrapeGuard system in this JVM: the embedded broker and registry (or a given cluster),
 * the topics, the poisoner, then every service found on the classpath (the auditor), all behind one
 * HTTP endpoint, with the endpoints file in the data dir. {@code ./guard up} runs it until Ctrl-C;
 * {@code ./guard demo} runs it for one pass.
 *
 * <p>{@link #close()} is safe from a shutdown hook at any moment: during {@link #start()} it waits
 * for the start to reach its end (which then stops what it started) before stopping the rest, so
 * Ctrl-C never leaves the registry child process or a port behind.
 */
public final class AllInOne implements AutoCloseable {
    private static final Duration START_WAIT_ON_CLOSE = Duration.ofMinutes(3);

    /**
     * Where and how to run.
     *
     * @param dataDir the endpoints file, the auditor's reports and (by default) all data
     * @param stackDir the broker's and registry's data; null = a temporary dir deleted on close
     * @param streamsDir the poisoner's Kafka Streams state
     * @param bootstrap an external Kafka cluster, or null for the embedded broker and registry
     * @param registry the external schema registry (with {@code bootstrap})
     * @param httpHost address of /metrics, /health and the services' pages
     * @param httpPort its port; 0 = a free one
     * @param serviceOptions {@code --set key=value} options of the services after the poisoner
     * @param shutdownTimeout how long the poisoner may take to finish in-flight images
     */
    public record Settings(
            Path dataDir,
            Path stackDir,
            Path streamsDir,
            String bootstrap,
            String registry,
            String httpHost,
            int httpPort,
            Map<String, String> serviceOptions,
            Duration shutdownTimeout) {

        public Settings {
            if ((bootstrap == null) != (registry == null)) {
                throw new IllegalArgumentException(
                        "give both --bootstrap-servers and"
                                + " --schema-registry, or neither (embedded stack)");
            }
            serviceOptions = Map.copyOf(serviceOptions);
        }
    }

    private final Settings settings;
    private final PoisonerCliOptions poisonerOptions;
    private final Protector protection;
    private final PrintStream progress;

    /** How long start() waits for readiness before it reports the stack running anyway. */
    static final Duration READY_WAIT = Duration.ofSeconds(60);

    private final CountDownLatch startReturned = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<GuardService> services = new ArrayList<>();
    private volatile Thread starter;
    private EmbeddedStack stack;
    private ServiceHost host;
    private boolean closed;
    private boolean stoppedAll;
    private volatile boolean wroteEndpoints;
    private volatile String failure;

    public AllInOne(
            Settings settings,
            PoisonerCliOptions poisonerOptions,
            Protector protection,
            PrintStream progress) {
        this.settings = settings;
        this.poisonerOptions = poisonerOptions;
        this.protection = protection;
        this.progress = progress;
    }

    /** Starts everything, or fails with one clear message having stopped what it started. */
    public AllInOne start() throws Exception {
        starter = Thread.currentThread();
        try {
            Path dir = settings.dataDir();
            Endpoints.read(dir)
                    .ifPresent(
                            e -> {
                                throw new IllegalStateException(
                                        "a ScrapeGuard stack is already running with data"
                                                + " dir "
                                                + dir
                                                + " ("
                                                + e.bootstrapServers()
                                                + "); stop it or use another"
                                                + " --data-dir");
                            });
            checkPortFree(settings.httpHost(), settings.httpPort());
            PrivateDir.ensure(dir); // before the stack creates its dirs inside
            EmbeddedStack.Builder builder = EmbeddedStack.builder().progress(progress);
            if (settings.bootstrap() != null) {
                builder.external(settings.bootstrap(), settings.registry());
            } else {
                builder.dataDir(settings.stackDir());
            }
            EmbeddedStack s = builder.start();
            synchronized (this) {
                stack = s;
                if (closed) {
                    throw new IllegalStateException("stopped while starting");
                }
            }
            ServiceHost h =
                    new ServiceHost(
                            s.bootstrapServers(),
                            s.registryUrl(),
                            dir,
                            settings.httpHost(),
                            settings.httpPort(),
                            settings.serviceOptions());
            synchronized (this) {
                host = h;
                if (closed) {
                    throw new IllegalStateException("stopped while starting");
                }
            }
            // the poisoner creates its own topics; the audit reports' topic is created here so the
            // auditor's first report does not meet a missing topic
            s.createTopics(
                    List.of(
                            new NewTopic(Topics.AUDIT_REPORTS, Optional.empty(), Optional.empty())
                                    .configs(Topics.topicConfig())));
            // signed when a publishing key is set, so export and the auditor can check the MAC
            PoisonerOptions options =
                    poisonerOptions
                            .options(s.bootstrapServers(), s.registryUrl(), settings.streamsDir())
                            .withPublishingKey(
                                    io.scrapeguard.schemas.PublishingKey.fromEnvironment()
                                            .orElse(null));
            List<GuardService> all = new ArrayList<>();
            s.registry().ifPresent(r -> all.add(new RegistryHealthService(r)));
            all.add(new PoisonerGuardService(options, protection, settings.shutdownTimeout()));
            all.addAll(h.discover());
            h.start(all);
            synchronized (this) {
                services.addAll(all);
            }
            // the ready line and the endpoints file mean ready: /health/ready answers UP by then
            HealthStatus ready = h.awaitReady(READY_WAIT);
            if (!ready.up()) {
                progress.println(
                        "guard: not ready "
                                + READY_WAIT.toSeconds()
                                + " s after starting ("
                                + ready.reason()
                                + "); running, /health/ready says when it is");
            }
            h.endpoints().write(dir);
            wroteEndpoints = true;
            watchPoisoner();
            return this;
        } catch (Exception e) {
            stopAll();
            throw e;
        } finally {
            startReturned.countDown();
        }
    }

    /**
     * Stops everything when the poisoner gave up restarting its stream: {@code up} must not run
     * half-dead, taking images in and protecting none.
     */
    private void watchPoisoner() {
        Thread watch =
                new Thread(
                        () -> {
                            try {
                                while (!stopped.await(1, TimeUnit.SECONDS)) {
                                    String why =
                                            service(PoisonerGuardService.class)
                                                    .map(PoisonerGuardService::gaveUp)
                                                    .orElse(null);
                                    if (why != null) {
                                        failure = "the poisoner " + why;
                                        progress.println("guard: " + failure + "; stopping");
                                        close();
                                    }
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "guard-up-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** Why the system stopped by itself (null: it did not, or was stopped by close). */
    public String failure() {
        return failure;
    }

    /** Fails fast, before the minute the stack takes to start, when the HTTP port is taken. */
    static void checkPortFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "port "
                            + port
                            + " on "
                            + host
                            + " is in use ("
                            + e.getMessage()
                            + "); choose another --metrics-port (0 = a free one)",
                    e);
        }
    }

    public Endpoints endpoints() {
        return host.endpoints();
    }

    public ServiceHost host() {
        return host;
    }

    public EmbeddedStack stack() {
        return stack;
    }

    /** The running service of this type (the poisoner, the auditor), if any. */
    public synchronized <T extends GuardService> Optional<T> service(Class<T> type) {
        return services.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The running poisoner. */
    public Poisoner poisoner() {
        return service(PoisonerGuardService.class)
                .map(PoisonerGuardService::poisoner)
                .orElseThrow(() -> new IllegalStateException("the poisoner is not running"));
    }

    /** Every address a person may want, one per line, aligned. */
    public List<String> addresses() {
        String base = host.http().baseUrl();
        List<String> lines = new ArrayList<>();
        lines.add("  kafka            " + host.endpoints().bootstrapServers());
        lines.add("  schema registry  " + host.endpoints().registryUrl());
        lines.add("  metrics          " + host.endpoints().metricsUrl());
        lines.add("  health           " + base + "/health/live  " + base + "/health/ready");
        for (GuardService s : List.copyOf(services)) {
            if (s.name().equals("auditor")) {
                lines.add(
                        "  audit report     "
                                + base
                                + "/audit/  (run one: POST "
                                + base
                                + "/audit/run)");
            }
        }
        lines.add("  endpoints file   " + Endpoints.file(settings.dataDir()).toAbsolutePath());
        return lines;
    }

    /** Blocks until {@link #close()} has run (Ctrl-C). */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /** Stops the services in reverse order, then the broker and the registry. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (starter != null && starter != Thread.currentThread()) {
            try {
                startReturned.await(START_WAIT_ON_CLOSE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopAll();
    }

    private void stopAll() {
        EmbeddedStack s;
        ServiceHost h;
        synchronized (this) {
            closed = true;
            if (stoppedAll) {
                return;
            }
            stoppedAll = true;
            s = stack;
            h = host;
        }
        if (wroteEndpoints) {
            // only our own: a refused second start must not hide the running stack's file
            Endpoints.delete(settings.dataDir());
        }
        try {
            if (h != null) {
                h.close();
            }
        } finally {
            try {
                if (s != null) {
                    s.close();
                }
            } finally {
                stopped.countDown();
            }
        }
    }
}
