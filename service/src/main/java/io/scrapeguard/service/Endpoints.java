package io.scrapeguard.service;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a running stack is: written by {@code ./guard up} into the data dir ({@code
 * .guard/endpoints.properties}) and read by {@code publish}, {@code export} and the auditor, so
 * that they find the stack without being told.
 */
public record Endpoints(
        String bootstrapServers, String registryUrl, String metricsUrl, ClientSettings clients) {
    public static final Path DEFAULT_DATA_DIR = Path.of(".guard");
    public static final String FILE_NAME = "endpoints.properties";
    public static final String BOOTSTRAP_ENV = "GUARD_BOOTSTRAP_SERVERS";
    public static final String REGISTRY_ENV = "GUARD_REGISTRY_URL";

    public Endpoints {
        clients = clients == null ? ClientSettings.NONE : clients;
    }

    public Endpoints(String bootstrapServers, String registryUrl, String metricsUrl) {
        this(bootstrapServers, registryUrl, metricsUrl, ClientSettings.NONE);
    }

    /** The same endpoints, whose clients use {@code settings} (security, timeouts). */
    public Endpoints withClients(ClientSettings settings) {
        return new Endpoints(bootstrapServers, registryUrl, metricsUrl, settings);
    }

    /** Every Kafka client's settings: {@code bootstrap.servers} and the client settings. */
    public Map<String, Object> kafkaConfig() {
        return clients.kafkaConfig(bootstrapServers);
    }

    /** The registry client's settings (Confluent keys), for {@code Topics.fromConfig}. */
    public Map<String, Object> registryConfig() {
        return clients.registryConfig(registryUrl);
    }

    /** {@code url} without {@code user:password@}: what may be printed or written. */
    public static String withoutUserInfo(String url) {
        if (url == null) {
            return null;
        }
        // The last '@', as RegistryUrls.redacted: a password may hold a raw '@' or '/', and
        // cutting at the first one would write the rest of it into the endpoints file.
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme + 3) {
            return url;
        }
        return url.substring(0, scheme + 3) + url.substring(at + 1);
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /** Writes atomically (a reader never sees half a file). */
    public void write(Path dataDir) {
        try {
            PrivateDir.ensure(dataDir);
            Properties p = new Properties();
            p.setProperty("bootstrap.servers", bootstrapServers);
            p.setProperty("schema.registry.url", withoutUserInfo(registryUrl));
            p.setProperty("metrics.url", metricsUrl == null ? "" : metricsUrl);
            p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
            Path tmp = Files.createTempFile(dataDir, "endpoints", ".tmp"); // 0600 on POSIX
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "written by ./guard up; removed when it stops");
            }
            try {
                Files.move(
                        tmp,
                        file(dataDir),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(dataDir), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write " + file(dataDir) + ": " + e.getMessage(), e);
        }
    }

    /** The endpoints of a running stack, if its file is there and its process is still alive. */
    public static Optional<Endpoints> read(Path dataDir) {
        Path f = file(dataDir);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        String pid = p.getProperty("pid");
        if (pid != null && !pid.isBlank()) {
            boolean alive =
                    ProcessHandle.of(Long.parseLong(pid.trim()))
                            .map(ProcessHandle::isAlive)
                            .orElse(false);
            if (!alive) {
                return Optional.empty();
            }
        }
        String bootstrap = p.getProperty("bootstrap.servers");
        String registry = p.getProperty("schema.registry.url");
        if (bootstrap == null || registry == null) {
            throw new IllegalStateException(
                    f + " is incomplete (bootstrap.servers, schema.registry.url)");
        }
        return Optional.of(new Endpoints(bootstrap, registry, p.getProperty("metrics.url", "")));
    }

    /**
     * The cluster a command should talk to: explicit options first, then {@code
     * GUARD_BOOTSTRAP_SERVERS} / {@code GUARD_REGISTRY_URL}, then the data dir of a running {@code
     * ./guard up}; a clear error when none is there.
     */
    public static Endpoints resolve(String bootstrap, String registry, Path dataDir) {
        return resolve(bootstrap, registry, dataDir, System.getenv());
    }

    static Endpoints resolve(
            String bootstrap, String registry, Path dataDir, Map<String, String> env) {
        bootstrap = bootstrap != null ? bootstrap : blankToNull(env.get(BOOTSTRAP_ENV));
        registry = registry != null ? registry : blankToNull(env.get(REGISTRY_ENV));
        if (bootstrap != null && registry != null) {
            return new Endpoints(bootstrap, registry, "");
        }
        Path dir = dataDir == null ? DEFAULT_DATA_DIR : dataDir;
        Endpoints found =
                read(dir)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no running ScrapeGuard stack found in "
                                                        + dir
                                                        + " (start one with './guard up', or give"
                                                        + " --bootstrap-servers and"
                                                        + " --schema-registry, or set "
                                                        + BOOTSTRAP_ENV
                                                        + " and "
                                                        + REGISTRY_ENV
                                                        + ")"));
        return new Endpoints(
                bootstrap != null ? bootstrap : found.bootstrapServers(),
                registry != null ? registry : found.registryUrl(),
                found.metricsUrl());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(file(dataDir));
        } catch (IOException e) {
            // best effort at shutdown; a stale file is detected by its dead pid
        }
    }

    /** The one line {@code ./guard up} prints when ready. */
    public String readyLine() {
        return "ScrapeGuard ready: bootstrap="
                + bootstrapServers
                + " registry="
                + withoutUserInfo(registryUrl)
                + " metrics="
                + metricsUrl;
    }

    /** Without registry credentials or client setting values. */
    @Override
    public String toString() {
        return "Endpoints[bootstrap="
                + bootstrapServers
                + ", registry="
                + withoutUserInfo(registryUrl)
                + ", metrics="
                + metricsUrl
                + ", "
                + clients
                + "]";
    }
}
