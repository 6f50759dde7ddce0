package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeguard.app.ExportCommand;
import io.scrapeguard.auditor.AuditCommand;
import io.scrapeguard.auditor.AuditorConfig;
import io.scrapeguard.auditor.AuditorService;
import io.scrapeguard.auditor.BankClassifiers;
import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.dataset.SyntheticDataset;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.embedded.SecureListener;
import io.scrapeguard.poisoner.PoisonerGuardService;
import io.scrapeguard.poisoner.PoisonerOptions;
import io.scrapeguard.producer.PublishCommand;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.ClientSettings;
import io.scrapeguard.service.Endpoints;
import io.scrapeguard.service.ServiceHost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * ScrapeGuard on a secured cluster: the embedded broker with a SASL_SSL listener (SCRAM-SHA-512
 * users, a certificate made here with the JDK's keytool) and KRaft's standard authorizer, topics
 * and ACLs applied by ops/kafka/create-topics.sh itself ({@code GUARD_KAFKA_ACLS=true}). Every
 * service logs in as its own principal through {@code --kafka-config}: publish, poison, audit
 * ({@code --now} and the service) and export work; the publisher cannot write the protected topic;
 * a wrong password ends in one clear error, not a hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredClusterTest {
    private static final int CLASSES = 2;
    private static final int PER_CLASS = 12;
    private static final int IMAGES = CLASSES * PER_CLASS;
    private static final String PRODUCER = "scrapeguard-producer";
    private static final String POISONER = "scrapeguard-poisoner";
    private static final String AUDITOR = "scrapeguard-auditor";
    private static final String PLATFORM = "platform-publisher";

    private Path dir;
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedStack stack;
    private String secure;
    private Path trustStore;
    private String storePassword;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        storePassword = UUID.randomUUID().toString();
        Path keyStore = makeCertificate();
        for (String user : List.of(PRODUCER, POISONER, AUDITOR, PLATFORM)) {
            passwords.put(user, UUID.randomUUID().toString());
        }
        stack =
                EmbeddedStack.builder()
                        .secureListener(new SecureListener(0, keyStore, storePassword, passwords))
                        .start();
        secure = stack.broker().orElseThrow().secureBootstrapServers();
        Tools.Result init =
                Tools.run(
                        Repo.root(),
                        List.of(
                                "env",
                                "PATH=" + shims(dir.resolve("bin")) + ":" + System.getenv("PATH"),
                                "BOOTSTRAP_SERVERS="
                                        + stack.bootstrapServers(), // the operator's door
                                "TOPIC_PARTITIONS=2",
                                "TOPIC_REPLICATION_FACTOR=1",
                                "GUARD_KAFKA_ACLS=true",
                                "bash",
                                "ops/kafka/create-topics.sh"));
        assertThat(init.exitCode()).as("create-topics.sh:\n%s", init.output()).isZero();
        assertThat(init.output()).contains("ACLs applied");
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : started.reversed()) {
            c.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyServiceWorksAsItsOwnPrincipalAndNoneBeyondIt() throws Exception {
        Path images = dir.resolve("uploads");
        new SyntheticDataset(CLASSES, 32, 5).write(images, PER_CLASS, line -> {});
        assertThat(
                        run(
                                        new PublishCommand(),
                                        images.toString(),
                                        "--bootstrap-servers",
                                        secure,
                                        "--schema-registry",
                                        stack.registryUrl(),
                                        "--kafka-config",
                                        clientConfig(PRODUCER, passwords.get(PRODUCER)).toString())
                                .exit())
                .as("publish as " + PRODUCER)
                .isZero();

        assertThatThrownBy(() -> forgeAs(PRODUCER))
                .as("the publisher writes to the protected topic")
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);

        startPoisoner();
        Path out = dir.resolve("exported");
        String exported = "";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!exported.contains("exported=" + IMAGES) && System.nanoTime() < deadline) {
            Run export =
                    run(
                            new ExportCommand(),
                            "--topic",
                            "protected",
                            "--out",
                            out.toString(),
                            "--timeout",
                            "10",
                            "--bootstrap-servers",
                            secure,
                            "--schema-registry",
                            stack.registryUrl(),
                            "--kafka-config",
                            clientConfig(PLATFORM, passwords.get(PLATFORM)).toString());
            assertThat(export.exit()).as(export.toString()).isZero();
            exported = export.out();
        }
        assertThat(exported).as("export as " + PLATFORM).contains("exported=" + IMAGES);

        Run audit =
                run(
                        new AuditCommand(),
                        "--now",
                        "--profile",
                        "cpu-small",
                        "--epochs",
                        "1",
                        "--seeds",
                        "1",
                        "--no-defences",
                        "--quiet",
                        "--report-dir",
                        dir.resolve("report").toString(),
                        "--bootstrap-servers",
                        secure,
                        "--schema-registry",
                        stack.registryUrl(),
                        "--kafka-config",
                        clientConfig(AUDITOR, passwords.get(AUDITOR)).toString());
        assertThat(audit.exit()).as(audit.toString()).isZero();
        assertThat(audit.out()).contains(IMAGES + " pairs");

        String status = auditorStatus();
        assertThat(status)
                .as("the auditor service as " + AUDITOR)
                .contains("\"pairs_joined\":" + IMAGES);
    }

    @Test
    void aWrongPasswordEndsInOneClearErrorNotAHang() throws Exception {
        long t0 = System.nanoTime();
        Run export =
                run(
                        new ExportCommand(),
                        "--topic",
                        "protected",
                        "--out",
                        dir.resolve("denied").toString(),
                        "--timeout",
                        "30",
                        "--bootstrap-servers",
                        secure,
                        "--schema-registry",
                        stack.registryUrl(),
                        "--kafka-config",
                        clientConfig(PLATFORM, "not-the-password").toString());
        assertThat(export.exit()).isNotZero();
        assertThat(export.error())
                .as(export.toString())
                .contains("Authentication failed")
                .doesNotContain("\n");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    private void startPoisoner() throws Exception {
        ClientSettings clients =
                ClientSettings.load(
                        clientConfig(POISONER, passwords.get(POISONER)), Map.of(), null, Map.of());
        Protector protection =
                new Protector(
                        new ArPerturbationMethod(
                                ProcessBank.paperDefault(),
                                SeedingKey.of("secured-cluster-key"),
                                Budget.l2(1.0)));
        PoisonerOptions options =
                PoisonerOptions.defaults(secure, stack.registryUrl(), dir.resolve("state"))
                        .withClients(clients);
        ServiceHost host =
                new ServiceHost(
                        new Endpoints(secure, stack.registryUrl(), "", clients),
                        dir.resolve("poisoner-data"),
                        "127.0.0.1",
                        0,
                        Map.of());
        started.add(host);
        host.start(List.of(new PoisonerGuardService(options, protection, Duration.ofSeconds(10))));
    }

    /** Starts the auditor service as its principal and waits until it has joined every pair. */
    private String auditorStatus() throws Exception {
        ClientSettings clients =
                ClientSettings.load(
                        clientConfig(AUDITOR, passwords.get(AUDITOR)), Map.of(), null, Map.of());
        Map<String, String> settings =
                Map.of("auditor.profile", "cpu-small", "auditor.interval", "0");
        ServiceHost host =
                new ServiceHost(
                        new Endpoints(secure, stack.registryUrl(), "", clients),
                        dir.resolve("auditor-data"),
                        "127.0.0.1",
                        0,
                        settings);
        started.add(host);
        host.start(
                List.of(
                        new AuditorService(
                                AuditorConfig.from(settings), BankClassifiers.load(null))));
        String url = host.http().baseUrl() + "/audit/status";
        String status = "";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (!status.contains("\"pairs_joined\":" + IMAGES) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                status =
                        http.send(
                                        HttpRequest.newBuilder(URI.create(url)).build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body()
                                .replace(" ", "");
            }
        }
        return status;
    }

    private void forgeAs(String user) throws Exception {
        Map<String, Object> config =
                new LinkedHashMap<>(
                        ClientSettings.load(
                                        clientConfig(user, passwords.get(user)),
                                        Map.of(),
                                        null,
                                        Map.of())
                                .kafkaConfig(secure));
        config.put("max.block.ms", "20000");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    Topics.PROTECTED_IMAGES, "forged", new byte[] {0, 0, 0, 0, 1}))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private Path clientConfig(String user, String password) throws Exception {
        Path f = dir.resolve(user + "-" + Math.abs(password.hashCode()) + ".properties");
        Files.writeString(
                f,
                "security.protocol=SASL_SSL\n"
                        + "sasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";\n"
                        + "ssl.truststore.location="
                        + trustStore
                        + "\n"
                        + "ssl.truststore.password="
                        + storePassword
                        + "\n"
                        + "ssl.truststore.type=PKCS12\n");
        return f;
    }

    /** A broker key and certificate for 127.0.0.1, and a trust store with the certificate. */
    private Path makeCertificate() throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.crt");
        trustStore = dir.resolve("trust.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                storePassword);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                storePassword,
                "-file",
                cert.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                cert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                trustStore.toString(),
                "-storepass",
                storePassword);
        return keyStore;
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }

    /** kafka-topics.sh and kafka-acls.sh as the Kafka image has them, on the test classpath. */
    private static Path shims(Path bin) throws Exception {
        Files.createDirectories(bin);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        for (var tool :
                Map.of("kafka-topics.sh", "TopicCommand", "kafka-acls.sh", "AclCommand")
                        .entrySet()) {
            Path shim = bin.resolve(tool.getKey());
            Files.writeString(
                    shim,
                    "#!/usr/bin/env bash\nexec '"
                            + java
                            + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '"
                            + System.getProperty("java.class.path")
                            + "' org.apache.kafka.tools."
                            + tool.getValue()
                            + " \"$@\"\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private record Run(int exit, String out, String error) {}

    /** Runs a command as ./guard would, its output and its error's message captured. */
    private static Run run(Object command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicReference<String> error = new AtomicReference<>("");
        PrintStream saved = System.out;
        int exit;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            exit =
                    new CommandLine(command)
                            .setExecutionExceptionHandler(
                                    (e, cl, parsed) -> {
                                        error.set(String.valueOf(e.getMessage()));
                                        return 1;
                                    })
                            .execute(args);
        } finally {
            System.setOut(saved);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), error.get());
    }
}
