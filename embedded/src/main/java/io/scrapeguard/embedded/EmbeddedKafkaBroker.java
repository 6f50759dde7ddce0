package io.scrapeguard.embedded;

import io.scrapeguard.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka 4.3 broker in this JVM: {@link KafkaRaftServer} in KRaft combined mode (broker and
 * controller in one node), listening only on 127.0.0.1, storage formatted with {@link StorageTool}.
 * Single-node settings: replication factors 1 and a transaction state log that works with one
 * broker, so exactly-once Kafka Streams apps run against it. Accepts records up to {@link
 * Topics#MAX_MESSAGE_BYTES} (large images).
 *
 * <p>Data lives in the given directory (kept; restart with the same directory keeps the topics) or
 * in a temporary one deleted on {@link #close()}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final int NODE_ID = 1;
    private static final int PORT_ATTEMPTS = 3;

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final int controllerPort;
    private final SecureListener secure;
    private final Properties props;
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(
            Path dataDir,
            boolean temporary,
            int port,
            int controllerPort,
            SecureListener secure,
            Properties props,
            KafkaRaftServer server) {
        this.props = props;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
        this.controllerPort = controllerPort;
        this.secure = secure;
        this.server = server;
    }

    /** Starts a broker on free ports with a temporary data directory. */
    public static EmbeddedKafkaBroker start() {
        return start(null, 0, Map.of());
    }

    /**
     * Starts a broker.
     *
     * @param dataDir where topics live (created and formatted when needed); null for a temporary
     *     directory deleted on close
     * @param port the client port on 127.0.0.1; 0 for a free one
     * @param overrides broker configs that replace the defaults
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, Map<String, String> overrides) {
        return start(dataDir, port, overrides, null);
    }

    /** As above, with a {@code SASL_SSL} listener and the standard authorizer when given. */
    public static EmbeddedKafkaBroker start(
            Path dataDir, int port, Map<String, String> overrides, SecureListener secure) {
        quietKafkaLogging();
        Ports.requireFree(port, "Kafka");
        boolean temporary = dataDir == null;
        Path dir = temporary ? TempDirs.create("guard-kafka-") : dataDir.toAbsolutePath();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int brokerPort = port > 0 ? port : Ports.free();
            int controllerPort = Ports.free();
            while (controllerPort == brokerPort) {
                controllerPort = Ports.free();
            }
            SecureListener listener =
                    secure == null || secure.port() > 0 ? secure : secure.onPort(Ports.free());
            KafkaRaftServer server = null;
            try {
                Properties props = config(dir, brokerPort, controllerPort, overrides, listener);
                format(dir, props, listener);
                server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
                server.startup();
                return new EmbeddedKafkaBroker(
                        dir, temporary, brokerPort, controllerPort, listener, props, server);
            } catch (RuntimeException e) {
                last = e;
                stopQuietly(server);
                boolean portTaken = isBindFailure(e);
                if (!portTaken || port > 0) {
                    break;
                }
            }
        }
        if (temporary) {
            TempDirs.deleteRecursively(dir);
        }
        if (last instanceof EmbeddedStackException ese) {
            throw ese;
        }
        throw new EmbeddedStackException(
                "The embedded Kafka broker failed to start (data in "
                        + dir
                        + "): "
                        + rootMessage(last)
                        + (isBindFailure(last)
                                ? "; a port was taken meanwhile: try again or pass a free port"
                                : "; if the data directory comes from another Kafka version or"
                                        + " cluster, move it away and start again"),
                last);
    }

    /** The broker's client address, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>} of the {@code SASL_SSL} listener, or null without one. */
    public String secureBootstrapServers() {
        return secure == null ? null : Ports.LOOPBACK + ":" + secure.port();
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Stops the broker as a crash or an upgrade would, keeping its data and ports, for {@link
     * #restart()} (the fault tests: clients see the broker go away and come back).
     */
    public synchronized void stop() {
        if (server != null) {
            stopQuietly(server);
            server = null;
        }
    }

    /** Starts the broker again on the same ports and log dir (stopping it first if it runs). */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        stop();
        KafkaRaftServer again =
                new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            again.startup();
        } catch (RuntimeException e) {
            stopQuietly(again);
            throw new EmbeddedStackException(
                    "the embedded Kafka broker did not start again: " + rootMessage(e), e);
        }
        server = again;
    }

    /** Whether the broker runs (false between {@link #stop()} and {@link #restart()}). */
    public synchronized boolean running() {
        return server != null;
    }

    /** Stops the broker and deletes its temporary data directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        if (temporary) {
            TempDirs.deleteRecursively(dataDir);
        }
    }

    /**
     * A broker logs hundreds of INFO lines while starting; with ./guard's binding (logging/) they
     * would bury the user's output. Kafka's loggers go to WARN unless the user chose a level
     * (-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info brings them back).
     */
    static void quietKafkaLogging() {
        for (String logger : new String[] {"kafka", "org.apache.kafka", "state.change.logger"}) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    static Properties config(
            Path dir, int port, int controllerPort, Map<String, String> overrides) {
        return config(dir, port, controllerPort, overrides, null);
    }

    static Properties config(
            Path dir,
            int port,
            int controllerPort,
            Map<String, String> overrides,
            SecureListener secure) {
        Map<String, String> c = new HashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", String.valueOf(NODE_ID));
        c.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        c.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        c.put("controller.listener.names", "CONTROLLER");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        c.put("log.dirs", dir.resolve("logs").toString());
        // One node: every internal topic has one replica; exactly-once works with one broker.
        c.put("default.replication.factor", "1");
        c.put("min.insync.replicas", "1");
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "4");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "4");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        // Large images: records up to 20 MiB (plus batch overhead).
        String maxBytes = String.valueOf(Topics.MAX_MESSAGE_BYTES + 64 * 1024);
        c.put("message.max.bytes", maxBytes);
        c.put("replica.fetch.max.bytes", maxBytes);
        c.put("fetch.max.bytes", String.valueOf(64 * 1024 * 1024));
        // Few threads: this often shares a small machine with the rest of the pipeline.
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "2");
        c.put("background.threads", "2");
        c.put("num.recovery.threads.per.data.dir", "1");
        c.put("num.replica.fetchers", "1");
        c.put("log.cleaner.threads", "1");
        c.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        c.put("auto.create.topics.enable", "true");
        c.put("delete.topic.enable", "true");
        if (secure != null) {
            String address = SecureListener.NAME + "://127.0.0.1:" + secure.port();
            c.merge("listeners", address, (a, b) -> a + "," + b);
            c.merge("advertised.listeners", address, (a, b) -> a + "," + b);
            c.merge("listener.security.protocol.map", "SASL_SSL:SASL_SSL", (a, b) -> a + "," + b);
            c.putAll(secure.brokerConfig());
        }
        c.putAll(overrides);
        Properties props = new Properties();
        props.putAll(c);
        return props;
    }

    private static void format(Path dir, Properties props, SecureListener secure) {
        Path configFile = dir.resolve("server.properties");
        PrivateTree.restrict(dir); // segments hold raw uploads: owner only
        try {
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "ScrapeGuard embedded Kafka broker (rewritten at every start)");
            }
        } catch (IOException e) {
            throw new EmbeddedStackException(
                    "Cannot write the broker config to "
                            + configFile
                            + ": "
                            + e.getMessage()
                            + "; check that the data directory is writable",
                    e);
        }
        if (Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
            return; // formatted before: keep its cluster id and data
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "format",
                                    "--cluster-id",
                                    Uuid.randomUuid().toString(),
                                    "--config",
                                    configFile.toString()));
            if (secure != null) {
                args.addAll(List.of(secure.formatArguments()));
            }
            rc = StorageTool.execute(args.toArray(String[]::new), print);
        } catch (RuntimeException e) {
            throw new EmbeddedStackException(
                    "Formatting Kafka storage in "
                            + dir
                            + " failed: "
                            + rootMessage(e)
                            + "; if the directory holds data of another Kafka version or cluster,"
                            + " move it away",
                    e);
        }
        if (rc != 0) {
            throw new EmbeddedStackException(
                    "Formatting Kafka storage in "
                            + dir
                            + " failed (exit "
                            + rc
                            + "): "
                            + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException ignored) {
            // shutting down after a failed start: the start error is what matters
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof java.net.BindException || m.contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message =
                root == e
                        ? String.valueOf(e.getMessage())
                        : e.getMessage() + " (cause: " + root + ")";
        return message;
    }
}
