package io.scrapeguard.embedded;

import io.scrapeguard.schemas.Topics;
import io.scrapeguard.serde.RegistryUrls;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Kafka and a schema registry for ScrapeGuard: either embedded (a real {@link EmbeddedKafkaBroker}
 * in this JVM and an {@link EmbeddedSchemaRegistry} child process, both on 127.0.0.1, started in
 * parallel) or external ones, when configured.
 *
 * <pre>{@code
 * try (EmbeddedStack stack = EmbeddedStack.builder().start()) {
 *     stack.createTopics(Topics.names());
 *     Topics topics = Topics.forRegistry(stack.registryUrl());
 *     ... stack.bootstrapServers() ...
 * }
 * }</pre>
 *
 * External mode: {@link Builder#external(String, String)}, or {@link Builder#fromEnvironment()}
 * reading {@value #BOOTSTRAP_SERVERS_PROPERTY} / {@value #REGISTRY_URL_PROPERTY} (system
 * properties) or {@code GUARD_BOOTSTRAP_SERVERS} / {@code GUARD_REGISTRY_URL} (environment).
 */
public final class EmbeddedStack implements AutoCloseable {
    public static final String BOOTSTRAP_SERVERS_PROPERTY = "guard.bootstrap.servers";
    public static final String REGISTRY_URL_PROPERTY = "guard.registry.url";
    public static final String BOOTSTRAP_SERVERS_ENV = "GUARD_BOOTSTRAP_SERVERS";
    public static final String REGISTRY_URL_ENV = "GUARD_REGISTRY_URL";

    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;
    private final String bootstrapServers;
    private final String registryUrl;
    private final Duration startupTime;
    private boolean closed;

    private EmbeddedStack(
            EmbeddedKafkaBroker broker,
            EmbeddedSchemaRegistry registry,
            String bootstrapServers,
            String registryUrl,
            Duration startupTime) {
        this.broker = broker;
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.startupTime = startupTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts an embedded stack on free ports with temporary data. */
    public static EmbeddedStack start() {
        return builder().start();
    }

    /** Kafka's bootstrap servers, e.g. {@code 127.0.0.1:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The registry's Confluent-compatible base URL (Apicurio: {@code .../apis/ccompat/v7}). */
    public String registryUrl() {
        return registryUrl;
    }

    /** Whether Kafka and the registry run here (false: external ones). */
    public boolean isEmbedded() {
        return broker != null;
    }

    public Optional<EmbeddedKafkaBroker> broker() {
        return Optional.ofNullable(broker);
    }

    public Optional<EmbeddedSchemaRegistry> registry() {
        return Optional.ofNullable(registry);
    }

    /** How long {@link Builder#start()} took. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Admin client settings for this stack. */
    public Map<String, Object> adminConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return c;
    }

    /** Producer settings that carry large images (and the registry URL for the Avro serde). */
    public Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * Topics.MAX_MESSAGE_BYTES);
        c.put("schema.registry.url", registryUrl);
        return c;
    }

    /** Consumer settings reading from the earliest offset (and the registry URL). */
    public Map<String, Object> consumerConfig(String groupId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Topics.MAX_MESSAGE_BYTES + 64 * 1024);
        c.put("schema.registry.url", registryUrl);
        return c;
    }

    /** Creates topics with one partition each (existing ones are left alone). */
    public void createTopics(String... names) {
        createTopics(List.of(names), 1);
    }

    /**
     * Creates {@code names} with {@code partitions} partitions, replication factor 1 and {@link
     * Topics#topicConfig()} (large records); existing topics are left alone.
     */
    public void createTopics(Collection<String> names, int partitions) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1).configs(Topics.topicConfig()));
        }
        createTopics(topics);
    }

    /** Creates the given topics; existing ones are left alone. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(adminConfig())) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new EmbeddedStackException(
                                "Cannot create topic "
                                        + entry.getKey()
                                        + " on "
                                        + bootstrapServers
                                        + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStackException("Interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new EmbeddedStackException(
                    "Kafka at " + bootstrapServers + " did not create topics within 60 s", e);
        }
    }

    /** Stops the registry and the broker (embedded only) and deletes temporary data. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        if (registry != null) {
            try {
                registry.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (broker != null) {
            try {
                broker.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** How to start a stack. */
    public static final class Builder {
        private Path dataDir;
        private int kafkaPort;
        private int registryPort;
        private String externalBootstrap;
        private String externalRegistry;
        private final Map<String, String> brokerOverrides = new HashMap<>();
        private SecureListener secureListener;
        private PrintStream progress = System.err;
        private Duration registryStartTimeout = Duration.ofSeconds(90);
        private Duration externalTimeout = Duration.ofSeconds(15);

        private Builder() {}

        /**
         * Keep data here ({@code kafka/}, {@code registry/}); default: temporary, deleted on close.
         */
        /** A SASL_SSL listener with SCRAM users and the standard authorizer (default: none). */
        public Builder secureListener(SecureListener listener) {
            this.secureListener = listener;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Kafka's client port on 127.0.0.1 (default 0: a free one). */
        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        /** The registry's HTTP port on 127.0.0.1 (default 0: a free one). */
        public Builder registryPort(int port) {
            this.registryPort = port;
            return this;
        }

        /** Use an existing Kafka cluster and registry instead of starting them. */
        public Builder external(String bootstrapServers, String registryUrl) {
            this.externalBootstrap = bootstrapServers;
            this.externalRegistry = registryUrl;
            return this;
        }

        /**
         * Use external Kafka and registry when configured through system properties {@value
         * #BOOTSTRAP_SERVERS_PROPERTY} and {@value #REGISTRY_URL_PROPERTY} or the environment
         * variables {@code GUARD_BOOTSTRAP_SERVERS} and {@code GUARD_REGISTRY_URL}.
         */
        public Builder fromEnvironment() {
            String bootstrap = setting(BOOTSTRAP_SERVERS_PROPERTY, BOOTSTRAP_SERVERS_ENV);
            String registry = setting(REGISTRY_URL_PROPERTY, REGISTRY_URL_ENV);
            if (bootstrap != null || registry != null) {
                if (bootstrap == null || registry == null) {
                    throw new EmbeddedStackException(
                            "Only one of Kafka ("
                                    + BOOTSTRAP_SERVERS_ENV
                                    + "="
                                    + bootstrap
                                    + ") and the schema registry ("
                                    + REGISTRY_URL_ENV
                                    + "="
                                    + RegistryUrls.redacted(registry)
                                    + ") is configured: set both to use external ones,"
                                    + " or neither for the embedded stack");
                }
                external(bootstrap, registry);
            }
            return this;
        }

        /** A broker config that replaces the embedded default. */
        public Builder brokerConfig(String key, String value) {
            brokerOverrides.put(key, value);
            return this;
        }

        /** Where progress lines go (default System.err); null for silence. */
        public Builder progress(PrintStream progress) {
            this.progress = progress;
            return this;
        }

        public Builder registryStartTimeout(Duration timeout) {
            this.registryStartTimeout = timeout;
            return this;
        }

        /** How long to try reaching external Kafka and registry before giving up (default 15 s). */
        public Builder externalTimeout(Duration timeout) {
            this.externalTimeout = timeout;
            return this;
        }

        public boolean isExternal() {
            return externalBootstrap != null;
        }

        /**
         * Starts (or connects to) Kafka and the registry; fails with what went wrong and what to
         * do.
         */
        public EmbeddedStack start() {
            long t0 = System.nanoTime();
            if (externalBootstrap != null) {
                // a registry URL that does not parse: a one-line error before anything is
                // reached, without the URL's user info (URI.create's repeats it, a password too)
                try {
                    RegistryUrls.parse(externalRegistry);
                } catch (org.apache.kafka.common.config.ConfigException e) {
                    throw new EmbeddedStackException(
                            e.getMessage()
                                    + ": check "
                                    + REGISTRY_URL_ENV
                                    + " / -D"
                                    + REGISTRY_URL_PROPERTY);
                }
                checkKafka(externalBootstrap, externalTimeout);
                checkRegistry(externalRegistry, externalTimeout);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                say(
                        "guard: using Kafka at "
                                + externalBootstrap
                                + " and the schema registry at "
                                + RegistryUrls.redacted(externalRegistry));
                return new EmbeddedStack(null, null, externalBootstrap, externalRegistry, took);
            }
            // Fail fast, before starting anything, when a chosen port is taken.
            Ports.requireFree(kafkaPort, "Kafka");
            Ports.requireFree(registryPort, "Schema registry");
            say("guard: starting the embedded Kafka broker and schema registry ...");
            if (dataDir != null) {
                PrivateTree.restrict(dataDir);
            }
            Path kafkaDir = dataDir == null ? null : dataDir.resolve("kafka");
            Path registryDir = dataDir == null ? null : dataDir.resolve("registry");
            // The registry is a separate process: boot it while Kafka starts in this JVM.
            CompletableFuture<EmbeddedSchemaRegistry> registryFuture =
                    CompletableFuture.supplyAsync(
                            () ->
                                    EmbeddedSchemaRegistry.start(
                                            registryDir, registryPort, registryStartTimeout));
            EmbeddedKafkaBroker broker;
            try {
                broker =
                        EmbeddedKafkaBroker.start(
                                kafkaDir, kafkaPort, brokerOverrides, secureListener);
            } catch (RuntimeException e) {
                registryFuture.thenAccept(EmbeddedSchemaRegistry::close);
                closeWhenDone(registryFuture);
                throw e;
            }
            EmbeddedSchemaRegistry registry;
            try {
                registry = registryFuture.join();
            } catch (CompletionException e) {
                broker.close();
                throw e.getCause() instanceof RuntimeException re
                        ? re
                        : new EmbeddedStackException(
                                "The schema registry failed to start", e.getCause());
            }
            registry.supervise(); // a registry that dies is started again, not left dead
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            EmbeddedStack stack =
                    new EmbeddedStack(
                            broker, registry, broker.bootstrapServers(), registry.url(), took);
            say(
                    String.format(
                            Locale.ROOT,
                            "guard: embedded stack ready in %.1f s: Kafka %s, schema registry %s",
                            took.toMillis() / 1000.0,
                            stack.bootstrapServers(),
                            stack.registryUrl()));
            return stack;
        }

        private static void closeWhenDone(CompletableFuture<EmbeddedSchemaRegistry> future) {
            try {
                future.join().close();
            } catch (RuntimeException ignored) {
                // the registry failed as well; the broker's error is reported
            }
        }

        private void say(String line) {
            if (progress != null) {
                progress.println(line);
            }
        }

        private static String setting(String property, String env) {
            String value = System.getProperty(property);
            if (value == null || value.isBlank()) {
                value = System.getenv(env);
            }
            return value == null || value.isBlank() ? null : value.trim();
        }

        private static void checkKafka(String bootstrap, Duration timeout) {
            int millis = (int) timeout.toMillis();
            Map<String, Object> c = new HashMap<>();
            c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
            c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
            try (Admin admin = Admin.create(c)) {
                admin.describeCluster().nodes().get(millis, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                throw new EmbeddedStackException(
                        "Cannot reach Kafka at "
                                + bootstrap
                                + " ("
                                + e
                                + "): check "
                                + BOOTSTRAP_SERVERS_ENV
                                + " / -D"
                                + BOOTSTRAP_SERVERS_PROPERTY
                                + ", or unset both settings to use the embedded stack",
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedStackException("Interrupted while checking Kafka", e);
            }
        }

        private static void checkRegistry(String url, Duration timeout) {
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
                String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
                HttpResponse<Void> response =
                        http.send(
                                HttpRequest.newBuilder(URI.create(base + "/subjects"))
                                        .timeout(timeout)
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                    throw new EmbeddedStackException(
                            "The schema registry at "
                                    + RegistryUrls.redacted(url)
                                    + " answered HTTP "
                                    + response.statusCode()
                                    + " to GET /subjects: is it a Confluent-compatible base URL"
                                    + " (Apicurio: http://host:port/apis/ccompat/v7)?");
                }
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new EmbeddedStackException(
                        "Cannot reach the schema registry at "
                                + RegistryUrls.redacted(url)
                                + " ("
                                + RegistryUrls.scrub(String.valueOf(e), url)
                                + "): check "
                                + REGISTRY_URL_ENV
                                + " / -D"
                                + REGISTRY_URL_PROPERTY,
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedStackException("Interrupted while checking the registry", e);
            }
        }
    }
}
