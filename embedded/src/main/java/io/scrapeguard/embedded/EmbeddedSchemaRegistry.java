package io.scrapeguard.embedded;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apicurio Registry 3.3.3 as a child process on 127.0.0.1: its Confluent-compatible API at {@link
 * #url()} ({@code http://127.0.0.1:<port>/apis/ccompat/v7}), health-checked until ready, its output
 * kept in a log file (the tail is shown on errors), stopped with SIGTERM and then forcibly on
 * {@link #close()} or when this JVM exits.
 *
 * <p>The registry app is found at system property {@value #REGISTRY_DIR_PROPERTY}, else {@code
 * ${guard.home}/embedded/target/apicurio-registry}, else {@code embedded/target/apicurio-registry}
 * or {@code ../embedded/target/apicurio-registry} relative to the working directory (the build
 * unpacks it there). Schemas are kept in an H2 file database in the data directory, so a restart of
 * the registry (e.g. {@link #restart()}) keeps them and their ids.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    public static final String REGISTRY_DIR_PROPERTY = "guard.registry.dir";

    /** Optional: the java binary for the registry (default: the one running this JVM). */
    public static final String REGISTRY_JAVA_PROPERTY = "guard.registry.java";

    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    static final int MIN_JAVA = 21;
    private static final String RUNNER = "quarkus-run.jar";
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

    private final Path distribution;
    private final Path dataDir;
    private final boolean temporary;
    private final String javaCommand;
    private final int port;
    private final int managementPort;
    private final Duration startTimeout;
    private final Path log;
    private final HttpClient http;
    private RegistryStartupCache startupCache = RegistryStartupCache.none();
    private Process process;
    private Thread shutdownHook;
    private volatile boolean supervised;

    /** The child that answered since its launch, and the registry JVM inside it; null when none. */
    private volatile Answered answered;

    private final java.util.concurrent.atomic.AtomicInteger restarts =
            new java.util.concurrent.atomic.AtomicInteger();

    private EmbeddedSchemaRegistry(
            Path distribution,
            Path dataDir,
            boolean temporary,
            String java,
            int port,
            int managementPort,
            Duration startTimeout) {
        this.distribution = distribution;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.javaCommand = java;
        this.port = port;
        this.managementPort = managementPort;
        this.startTimeout = startTimeout;
        this.log = dataDir.resolve("registry.log");
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build();
    }

    /** Starts a registry on a free port with a temporary data directory. */
    public static EmbeddedSchemaRegistry start() {
        return start(null, 0);
    }

    /**
     * Starts a registry and waits until it is ready.
     *
     * @param dataDir where its database and log live (kept); null for a temporary directory deleted
     *     on close
     * @param port HTTP port on 127.0.0.1; 0 for a free one
     */
    public static EmbeddedSchemaRegistry start(Path dataDir, int port) {
        return start(dataDir, port, DEFAULT_START_TIMEOUT);
    }

    public static EmbeddedSchemaRegistry start(Path dataDir, int port, Duration startTimeout) {
        Path distribution = locateDistribution();
        String java = javaBinary();
        checkJavaVersion(java);
        Ports.requireFree(port, "Schema registry");
        boolean temporary = dataDir == null;
        Path dir = temporary ? TempDirs.create("guard-registry-") : dataDir.toAbsolutePath();
        PrivateTree.restrict(dir); // H2's files: owner only
        int httpPort = port > 0 ? port : Ports.free();
        int managementPort = Ports.free();
        while (managementPort == httpPort) {
            managementPort = Ports.free();
        }
        EmbeddedSchemaRegistry registry =
                new EmbeddedSchemaRegistry(
                        distribution, dir, temporary, java, httpPort, managementPort, startTimeout);
        try {
            registry.launch();
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /** The Confluent-compatible base URL, {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String url() {
        return "http://" + Ports.LOOPBACK + ":" + port + CCOMPAT_PATH;
    }

    /** Apicurio's own v3 API base URL (for Apicurio's serdes). */
    public String apicurioApiUrl() {
        return "http://" + Ports.LOOPBACK + ":" + port + "/apis/registry/v3";
    }

    public int port() {
        return port;
    }

    /** The child process id, while it runs. */
    public Optional<Long> pid() {
        Process p = process;
        return p == null ? Optional.empty() : Optional.of(p.pid());
    }

    /** The child process handle, while it runs (tests check it is gone after close). */
    public Optional<ProcessHandle> processHandle() {
        Process p = process;
        return p == null ? Optional.empty() : Optional.of(p.toHandle());
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return log;
    }

    /** Whether the child runs and answers its readiness check. */
    public boolean isReady() {
        Process p = process;
        return p != null && p.isAlive() && ready();
    }

    /**
     * From now on a child that dies by itself (crash, OOM kill) is started again on the same port
     * with the same data, until {@link #stop()} or {@link #close()}.
     */
    public synchronized void supervise() {
        supervised = true;
        watch(process);
    }

    /** How often a dead child was started again by the supervision. */
    public int restarts() {
        return restarts.get();
    }

    /**
     * Whether the registry JVM is alive and has answered since it was (re)started: false from its
     * death until a new one answers (cheap: no HTTP call, for health checks). Not merely whether
     * the child process is alive: its watchdog shell outlives the JVM by up to a second, and a
     * child started again is alive long before it answers.
     */
    public boolean running() {
        Answered a = answered;
        return a != null && a.child().isAlive() && a.jvm().isAlive();
    }

    /** A launched child that answered: the watchdog shell (or the JVM itself) and the JVM. */
    private record Answered(Process child, ProcessHandle jvm) {}

    private void watch(Process p) {
        if (p != null && supervised) {
            p.onExit()
                    .thenRunAsync(
                            () -> relaunchAfterDeath(p),
                            r -> {
                                Thread t = new Thread(r, "guard-registry-supervisor");
                                t.setDaemon(true);
                                t.start();
                            });
        }
    }

    private void relaunchAfterDeath(Process died) {
        for (int attempt = 1; ; attempt++) {
            synchronized (this) {
                if (!supervised) {
                    return; // closed, or the JVM is shutting down
                }
                if (attempt == 1) {
                    if (process != died) {
                        return; // stopped on purpose (stop() clears it), or already replaced
                    }
                    Answered a = answered;
                    process = null;
                    answered = null;
                    removeShutdownHook();
                    // the watchdog shell died (kill -9), not the JVM: the orphaned JVM holds the
                    // port and the data, so it goes first
                    stopOrphan(a, died);
                } else if (process != null) {
                    return; // started meanwhile by restart()
                }
                try {
                    launch(); // watches the new child
                    restarts.incrementAndGet();
                    return;
                } catch (RuntimeException e) {
                    // the port may still be held by the dying child: try again shortly
                    stop();
                }
            }
            sleep(Math.min(30_000, 1000L * attempt));
        }
    }

    /** Stops the registry process (SIGTERM, then forced) but keeps its port and data. */
    public synchronized void stop() {
        Process p = process;
        Answered a = answered;
        process = null;
        answered = null;
        if (p != null) {
            terminate(p, a, startupCache);
        }
        removeShutdownHook();
    }

    /** Starts the registry again on the same port with the same data (after {@link #stop()}). */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Stops the registry and deletes its temporary data directory. Idempotent. */
    @Override
    public synchronized void close() {
        supervised = false;
        stop();
        http.close();
        if (temporary) {
            TempDirs.deleteRecursively(dataDir);
        }
    }

    private synchronized void launch() {
        RegistryStartupCache cache =
                javaCommand.equals(ProcessHandle.current().info().command().orElse(null))
                        ? RegistryStartupCache.forCurrentJvm(distribution)
                        : RegistryStartupCache.none();
        try {
            launch(cache);
        } catch (EmbeddedStackException e) {
            if (cache.jvmOptions().isEmpty() || !tail(20).contains("initialization of VM")) {
                throw e;
            }
            // This JVM refused the start-up cache options: start without them.
            launch(RegistryStartupCache.none());
        }
    }

    private void launch(RegistryStartupCache cache) {
        startupCache = cache;
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        // Quick start on a small, busy machine: C1 only, small heap, serial GC, CDS on.
        command.add("-Xmx320m");
        command.add("-Xss512k");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:-UsePerfData");
        command.add("-XX:CICompilerCount=1");
        command.addAll(startupCache.jvmOptions());
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        // The management interface (health) is built in; keep it on loopback, on a free port.
        command.add("-Dquarkus.management.enabled=false");
        command.add("-Dquarkus.management.host=127.0.0.1");
        command.add("-Dquarkus.management.port=" + managementPort);
        command.add("-Dquarkus.http.access-log.enabled=false");
        command.add("-Dquarkus.otel.sdk.disabled=true");
        command.add(
                "-Dapicurio.datasource.url=jdbc:h2:file:"
                        + dataDir.resolve("registry-db")
                        // every commit reaches the file at once (H2 batches writes for 500 ms by
                        // default): a registry killed with -9 must not forget a schema id that a
                        // published record already carries
                        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        command.add("-Dapicurio.datasource.jdbc.initial-size=2");
        command.add("-Dapicurio.datasource.jdbc.min-size=2");
        command.add("-Dapicurio.datasource.jdbc.max-size=10");
        command.add("-Dapicurio.storage.snapshot.location=" + dataDir);
        command.add("-Djava.io.tmpdir=" + dataDir);
        command.add("-jar");
        command.add(distribution.resolve(RUNNER).toString());
        ProcessBuilder builder =
                new ProcessBuilder(withWatchdog(command, ProcessHandle.current().pid()))
                        .directory(dataDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new EmbeddedStackException(
                    "Cannot run the schema registry with " + javaCommand + ": " + e.getMessage(),
                    e);
        }
        Process started = process;
        shutdownHook =
                new Thread(
                        () -> {
                            supervised = false; // a child stopped by the JVM's exit stays stopped
                            terminate(started, answered, cache);
                        },
                        "guard-registry-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        awaitReady(started);
        // the registry JVM under its watchdog shell (the child itself without a watchdog)
        answered = new Answered(started, started.children().findFirst().orElse(started.toHandle()));
        watch(started);
    }

    private void awaitReady(Process started) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                int code = started.exitValue();
                String tail = tail(40);
                String hint =
                        tail.contains("Address already in use") || tail.contains("Port")
                                ? "a port was taken: start again (free ports are picked anew)"
                                : temporary
                                        ? "check the Java installation and free memory"
                                        : "the whole log is " + log;
                throw new EmbeddedStackException(
                        "The schema registry (Apicurio) died during start-up with exit code "
                                + code
                                + "; "
                                + hint
                                + ". Last lines of its log:\n"
                                + tail);
            }
            if (ready()) {
                return;
            }
            sleep(100);
        }
        String tail = tail(40);
        stop();
        throw new EmbeddedStackException(
                "The schema registry (Apicurio) was not ready after "
                        + startTimeout.toSeconds()
                        + " s: the machine may be overloaded (try again, or give it more time)"
                        + (temporary ? "" : "; the whole log is " + log)
                        + ". Last lines of its log:\n"
                        + tail);
    }

    private boolean ready() {
        return get("http://127.0.0.1:" + managementPort + "/health/ready")
                && get(url() + "/subjects");
    }

    private boolean get(String url) {
        try {
            HttpResponse<Void> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(2))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStackException(
                    "Interrupted while waiting for the schema registry", e);
        }
    }

    /**
     * Wraps the registry command in a small POSIX shell watchdog that stops the registry when this
     * JVM disappears without running its shutdown hooks (kill -9, a crashed test fork): no orphan
     * registry is left behind. SIGTERM to the watchdog is passed on to the registry.
     */
    static List<String> withWatchdog(List<String> command, long parentPid) {
        Path sh = Paths.get("/bin/sh");
        if (!Files.isExecutable(sh) || Boolean.getBoolean("guard.registry.no-watchdog")) {
            return command;
        }
        String script =
                "\"$@\" & child=$!\n"
                    + "trap 'kill -TERM $child 2>/dev/null; wait $child; exit $?' TERM INT HUP\n"
                    + "while kill -0 "
                        + parentPid
                        + " 2>/dev/null"
                        + " && kill -0 $child 2>/dev/null; do sleep 1; done\n"
                        + "kill -TERM $child 2>/dev/null\n"
                        + "wait $child\n";
        List<String> wrapped =
                new ArrayList<>(List.of(sh.toString(), "-c", script, "guard-registry"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Stops the child, its descendants and, should it have outlived its watchdog, its JVM. */
    private static void terminate(Process p, Answered a, RegistryStartupCache cache) {
        List<ProcessHandle> children = p.descendants().toList();
        terminateOne(p, cache);
        // the registry JVM under the watchdog, should the watchdog have gone first
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                forceStop(child);
            }
        }
        stopOrphan(a, p);
    }

    /**
     * Stops the registry JVM of {@code child} when it outlived its watchdog shell: a kill -9 of the
     * shell leaves the JVM running, no longer a descendant, holding the port and the database.
     */
    private static void stopOrphan(Answered a, Process child) {
        if (a == null || a.child() != child || a.jvm().pid() == child.pid() || !a.jvm().isAlive()) {
            return;
        }
        a.jvm().destroy(); // SIGTERM: the database is closed cleanly
        try {
            a.jvm().onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            a.jvm().destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            forceStop(a.jvm());
        }
    }

    /** SIGKILL, and a short wait for the exit (best effort). */
    private static void forceStop(ProcessHandle h) {
        h.destroyForcibly();
        try {
            h.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort: it was killed
        }
    }

    private static void terminateOne(Process p, RegistryStartupCache cache) {
        if (!p.isAlive()) {
            cache.afterExit(false); // it died by itself: whatever it recorded is suspect
            return;
        }
        p.destroy(); // SIGTERM: Quarkus shuts down cleanly and closes the database
        // Recording the start-up cache happens at exit and takes a while (first start only).
        long grace = cache.training() ? 90 : 10;
        boolean clean = false;
        try {
            clean = p.waitFor(grace, TimeUnit.SECONDS);
            if (!clean) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        cache.afterExit(clean);
    }

    private void removeShutdownHook() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down: the hook runs anyway
            }
            shutdownHook = null;
        }
    }

    /** The last {@code lines} lines of the registry's log. */
    public String tail(int lines) {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - 16 * 1024);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n");
            int start = Math.max(0, all.length - lines);
            return String.join("\n", Arrays.copyOfRange(all, start, all.length));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Where the unpacked Apicurio Registry app is (holds quarkus-run.jar). */
    public static Path locateDistribution() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty(REGISTRY_DIR_PROPERTY);
        if (property != null && !property.isBlank()) {
            candidates.add(Paths.get(property));
        }
        String home = System.getProperty("guard.home");
        if (home != null && !home.isBlank()) {
            candidates.add(Paths.get(home, "embedded", "target", "apicurio-registry"));
        }
        candidates.add(Paths.get("embedded", "target", "apicurio-registry"));
        candidates.add(Paths.get("..", "embedded", "target", "apicurio-registry"));
        candidates.add(Paths.get("target", "apicurio-registry"));
        return findDistribution(candidates);
    }

    static Path findDistribution(List<Path> candidates) {
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve(RUNNER))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new EmbeddedStackException(
                "Apicurio Registry is not unpacked: looked for "
                        + RUNNER
                        + " in "
                        + candidates
                        + ". Build the project (./guard build, or mvn -pl embedded -am package),"
                        + " which unpacks io.apicurio:apicurio-registry-app:3.3.3 into"
                        + " embedded/target/apicurio-registry, or set -D"
                        + REGISTRY_DIR_PROPERTY
                        + "=<dir>");
    }

    /** The java binary for the registry: {@value #REGISTRY_JAVA_PROPERTY}, else this JVM's. */
    static String javaBinary() {
        String configured = System.getProperty(REGISTRY_JAVA_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return ProcessHandle.current()
                .info()
                .command()
                .orElseGet(
                        () -> Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Fails with a clear message when {@code java} is older than Java 21. */
    static void checkJavaVersion(String java) {
        int feature = javaFeatureVersion(java);
        if (feature < MIN_JAVA) {
            throw new EmbeddedStackException(
                    "The schema registry (Apicurio Registry 3.3.3) needs Java "
                            + MIN_JAVA
                            + " or newer, but "
                            + java
                            + " is Java "
                            + feature
                            + ": run with a JDK >= "
                            + MIN_JAVA
                            + " (./guard finds one) or set -D"
                            + REGISTRY_JAVA_PROPERTY
                            + "=<path to a java >= "
                            + MIN_JAVA
                            + ">");
        }
    }

    static int javaFeatureVersion(String java) {
        String current = ProcessHandle.current().info().command().orElse(null);
        if (java.equals(current)) {
            return Runtime.version().feature();
        }
        try {
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return parseJavaVersion(out);
        } catch (IOException e) {
            throw new EmbeddedStackException(
                    "Cannot run "
                            + java
                            + " for the schema registry: "
                            + e.getMessage()
                            + "; set -D"
                            + REGISTRY_JAVA_PROPERTY
                            + " to a java >= "
                            + MIN_JAVA,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStackException("Interrupted while checking " + java, e);
        }
    }

    /** The feature version in {@code java -version} output ("1.8.0_x" is 8, "17.0.2" is 17). */
    static int parseJavaVersion(String versionOutput) {
        Matcher m = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?").matcher(versionOutput);
        if (!m.find()) {
            return -1;
        }
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStackException(
                    "Interrupted while waiting for the schema registry", e);
        }
    }
}
