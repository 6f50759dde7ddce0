package io.scrapeguard.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, using and stopping the embedded stack, and what its start-up errors say. */
class EmbeddedStackLifecycleTest {
    private static final String STACK_THREADS =
            "(?i).*(kafka|broker|controller|raft|quorum|coordinator|txn|ExpirationReaper"
                    + "|LogDirFailure|data-plane|guard-registry).*";

    @Test
    void startsCarriesLargeTransactionalRecordsAndLeavesNothingBehind() throws Exception {
        long pid;
        List<Long> registryProcesses;
        List<Integer> ports;
        Path kafkaDir;
        Path registryDir;
        try (EmbeddedStack stack = EmbeddedStack.builder().start()) {
            System.out.printf("embedded stack started in %d ms%n", stack.startupTime().toMillis());
            // The start-up target (under 20 s) is measured by `./guard bench stack`, not here.
            assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(stack.registryUrl())
                    .startsWith("http://127.0.0.1:")
                    .endsWith("/apis/ccompat/v7");

            EmbeddedKafkaBroker broker = stack.broker().orElseThrow();
            EmbeddedSchemaRegistry registry = stack.registry().orElseThrow();
            pid = registry.pid().orElseThrow();
            assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive);
            registryProcesses =
                    registry.processHandle()
                            .orElseThrow()
                            .descendants()
                            .map(ProcessHandle::pid)
                            .toList();
            ports = List.of(broker.port(), broker.controllerPort(), registry.port());
            kafkaDir = broker.dataDir();
            registryDir = registry.dataDir();
            assertThat(kafkaDir).isDirectory();
            assertThat(registryDir).isDirectory();

            // Another stack pointed at this one connects instead of starting anything, and its
            // close leaves this one running.
            try (EmbeddedStack external =
                    EmbeddedStack.builder()
                            .progress(null)
                            .external(stack.bootstrapServers(), stack.registryUrl())
                            .start()) {
                assertThat(external.isEmbedded()).isFalse();
                assertThat(external.registry()).isEmpty();
                assertThat(external.bootstrapServers()).isEqualTo(stack.bootstrapServers());
            }
            assertThat(registry.isReady()).isTrue();

            // A 12 MB record, written in a transaction and read back read_committed: the broker
            // takes large images and runs exactly-once with a single node.
            stack.createTopics("big");
            byte[] image = new byte[12 * 1024 * 1024];
            new java.util.Random(7).nextBytes(image);
            Map<String, Object> producerConfig = stack.producerConfig();
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lifecycle-tx");
            try (KafkaProducer<String, byte[]> producer =
                    new KafkaProducer<>(
                            producerConfig, new StringSerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("big", "img-1", image));
                producer.commitTransaction();
            }
            Map<String, Object> consumerConfig = stack.consumerConfig("lifecycle");
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(
                            consumerConfig,
                            new StringDeserializer(),
                            new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("big"));
                ConsumerRecord<String, byte[]> record = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (record == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        record = r;
                    }
                }
                assertThat(record).isNotNull();
                assertThat(record.key()).isEqualTo("img-1");
                assertThat(record.value()).isEqualTo(image);
            }
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("registry child process %d after close", pid)
                .isEmpty();
        for (long child : registryProcesses) {
            assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive))
                    .as("registry process %d after close", child)
                    .isEmpty();
        }
        for (int port : ports) {
            assertThat(Ports.inUse(port)).as("port %d after close", port).isFalse();
        }
        assertThat(kafkaDir).doesNotExist();
        assertThat(registryDir).doesNotExist();
        // the broker's and clients' threads are gone too (Kafka's global metrics ticker is a
        // daemon)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left;
        do {
            left =
                    Thread.getAllStackTraces().keySet().stream()
                            .filter(Thread::isAlive)
                            .map(Thread::getName)
                            .filter(n -> n.matches(STACK_THREADS))
                            .toList();
        } while (!left.isEmpty() && System.nanoTime() < deadline && sleep(100));
        assertThat(left).as("threads left after close").isEmpty();
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aGivenDataDirectoryKeepsTopicsAcrossBrokerRestarts(@TempDir Path dir) throws Exception {
        // (the registry's data surviving a restart is shown by the registry outage test)
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, Map.of());
                Admin admin =
                        Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        assertThat(dir.resolve("logs").resolve("meta.properties")).isRegularFile();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, Map.of());
                Admin admin =
                        Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
        }
        assertThat(dir.resolve("logs")).isDirectory();
    }

    @Test
    void unreachableOrHalfConfiguredExternalServicesSayWhatToCheck() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(
                        () ->
                                EmbeddedStack.builder()
                                        .progress(null)
                                        .externalTimeout(Duration.ofSeconds(2))
                                        .external(
                                                "127.0.0.1:" + closed, "http://127.0.0.1:" + closed)
                                        .start())
                .isInstanceOf(EmbeddedStackException.class)
                .hasMessageContaining("Cannot reach Kafka at 127.0.0.1:" + closed)
                .hasMessageContaining(EmbeddedStack.BOOTSTRAP_SERVERS_ENV);
        // a registry URL that does not parse, with a password: refused before anything is
        // reached, and the password is in neither the message nor the causes
        Throwable bad =
                catchThrowable(
                        () ->
                                EmbeddedStack.builder()
                                        .progress(null)
                                        .externalTimeout(Duration.ofSeconds(2))
                                        .external(
                                                "127.0.0.1:" + closed,
                                                "http://alice:s3cr3t pw@127.0.0.1:" + closed)
                                        .start());
        assertThat(bad)
                .isInstanceOf(EmbeddedStackException.class)
                .hasMessageContaining("is not a valid URL")
                .hasMessageContaining("http://***@127.0.0.1:" + closed)
                .hasMessageContaining(EmbeddedStack.REGISTRY_URL_ENV);
        java.io.StringWriter trace = new java.io.StringWriter();
        bad.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("s3cr3t");
        withProperty(
                EmbeddedStack.REGISTRY_URL_PROPERTY,
                "http://alice:s3cr3t@127.0.0.1:8081",
                () ->
                        assertThatThrownBy(() -> EmbeddedStack.builder().fromEnvironment())
                                .hasMessageContaining("Only one of Kafka")
                                .hasMessageNotContaining("s3cr3t"));
        withProperty(
                EmbeddedStack.BOOTSTRAP_SERVERS_PROPERTY,
                "127.0.0.1:9092",
                () ->
                        assertThatThrownBy(() -> EmbeddedStack.builder().fromEnvironment())
                                .isInstanceOf(EmbeddedStackException.class)
                                .hasMessageContaining("Only one of Kafka")
                                .hasMessageContaining(EmbeddedStack.REGISTRY_URL_ENV));
    }

    @Test
    void aKafkaPortInUseIsNamedWithWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(null, port, Map.of()))
                    .isInstanceOf(EmbeddedStackException.class)
                    .hasMessageContaining("Kafka port " + port)
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void aRegistryPortInUseIsNamedWithWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(null, port))
                    .isInstanceOf(EmbeddedStackException.class)
                    .hasMessageContaining("registry port " + port)
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void aMissingRegistryAppSaysHowToGetIt() {
        assertThatThrownBy(
                        () ->
                                EmbeddedSchemaRegistry.findDistribution(
                                        List.of(Path.of("/nonexistent/apicurio"))))
                .isInstanceOf(EmbeddedStackException.class)
                .hasMessageContaining("Apicurio Registry is not unpacked")
                .hasMessageContaining("/nonexistent/apicurio")
                .hasMessageContaining("./guard build")
                .hasMessageContaining(EmbeddedSchemaRegistry.REGISTRY_DIR_PROPERTY);
        withProperty(
                EmbeddedSchemaRegistry.REGISTRY_DIR_PROPERTY,
                "/nonexistent/apicurio",
                () ->
                        // the build's unpacked copy is still found through the relative fallback
                        assertThat(
                                        EmbeddedSchemaRegistry.locateDistribution()
                                                .resolve("quarkus-run.jar"))
                                .isRegularFile());
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.checkJavaVersion("/nonexistent/java"))
                .isInstanceOf(EmbeddedStackException.class)
                .hasMessageContaining("/nonexistent/java")
                .hasMessageContaining(EmbeddedSchemaRegistry.REGISTRY_JAVA_PROPERTY);
    }

    @Test
    void aJavaTooOldForTheRegistryIsRefusedWithWhatToDo(@TempDir Path dir) throws IOException {
        Path fakeJava =
                script(dir.resolve("java"), "echo 'openjdk version \"17.0.15\" 2025-04-15' >&2");
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.checkJavaVersion(fakeJava.toString()))
                .isInstanceOf(EmbeddedStackException.class)
                .hasMessageContaining("needs Java 21")
                .hasMessageContaining("is Java 17")
                .hasMessageContaining("JDK >= 21");
        Path realJava17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        if (Files.isExecutable(realJava17)) {
            assertThat(EmbeddedSchemaRegistry.javaFeatureVersion(realJava17.toString()))
                    .isEqualTo(17);
        }
        assertThat(EmbeddedSchemaRegistry.parseJavaVersion("java version \"1.8.0_392\""))
                .isEqualTo(8);
        assertThat(EmbeddedSchemaRegistry.parseJavaVersion("openjdk version \"25\" 2025-09-16"))
                .isEqualTo(25);
    }

    @Test
    void aRegistryThatDiesAtStartShowsTheTailOfItsLog(@TempDir Path dir) throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        Path fakeJava =
                script(
                        dir.resolve("java"),
                        "if [ \"$1\" = -version ]; then echo 'openjdk version \"21.0.5\"' >&2; exit"
                                + " 0; fi\n"
                                + "echo 'ERROR Failed to start application: database is locked'\n"
                                + "exit 3");
        withProperty(
                EmbeddedSchemaRegistry.REGISTRY_JAVA_PROPERTY,
                fakeJava.toString(),
                () ->
                        assertThatThrownBy(() -> EmbeddedSchemaRegistry.start())
                                .isInstanceOf(EmbeddedStackException.class)
                                .hasMessageContaining("died during start-up with exit code 3")
                                .hasMessageContaining("database is locked"));
    }

    @Test
    void theRegistryWatchdogStopsTheRegistryWhenItsParentDiesWithoutCleanUp() throws Exception {
        Process fakeParent = new ProcessBuilder("sleep", "300").start();
        Process watched =
                new ProcessBuilder(
                                EmbeddedSchemaRegistry.withWatchdog(
                                        List.of("sleep", "600"), fakeParent.pid()))
                        .start();
        try {
            Thread.sleep(300);
            List<ProcessHandle> registry = watched.descendants().toList();
            assertThat(registry).isNotEmpty();
            fakeParent.destroyForcibly(); // like kill -9 of the JVM: no shutdown hook runs
            assertThat(watched.waitFor(10, TimeUnit.SECONDS)).as("watchdog exits").isTrue();
            for (ProcessHandle p : registry) {
                p.onExit().get(5, TimeUnit.SECONDS);
                assertThat(p.isAlive()).isFalse();
            }
        } finally {
            watched.descendants().forEach(ProcessHandle::destroyForcibly);
            watched.destroyForcibly();
            fakeParent.destroyForcibly();
        }
    }

    private static Path script(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    private static void withProperty(String key, String value, Runnable body) {
        Properties props = System.getProperties();
        String old = props.getProperty(key);
        System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }
}
