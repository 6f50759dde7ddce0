package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.dataset.SyntheticDataset;
import io.scrapeguard.poisoner.Poisoner;
import io.scrapeguard.poisoner.PoisonerOptions;
import io.scrapeguard.producer.PublishCommand;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;
import picocli.CommandLine;

/**
 * The pipeline against the images the compose file runs (apache/kafka and Confluent's
 * cp-schema-registry, as {@code .env} pins them) instead of the embedded broker and Apicurio:
 * {@code ./guard publish}, the poisoner, and the protected records read back twice, by our serde
 * and by Confluent's own {@code kafka-avro-console-consumer} inside the registry container, so the
 * wire format is checked by Confluent's deserializer. Needs a Docker engine; without one JUnit
 * reports the class skipped ("disabledWithoutDocker").
 */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfluentImagesTest {
    private static final int CLASSES = 3;
    private static final int PER_CLASS = 2;
    private static final int IMAGES = CLASSES * PER_CLASS;
    private static final Duration WAIT = Duration.ofMinutes(3);

    /** The broker's listener for the other containers (the test itself uses the mapped port). */
    private static final String KAFKA_IN_NETWORK = "kafka:19092";

    private Network network;
    private KafkaContainer kafka;
    private GenericContainer<?> registry;
    private String registryUrl;
    private Poisoner poisoner;
    private final Map<String, ProtectedImage> protectedById = new HashMap<>();
    private final Map<String, RawImage> rawById = new HashMap<>();

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        Map<String, String> env = Repo.dotEnv();
        network = Network.newNetwork();
        kafka =
                new KafkaContainer(DockerImageName.parse(env.get("KAFKA_IMAGE")))
                        .withNetwork(network)
                        .withListener(KAFKA_IN_NETWORK)
                        // as in docker-compose.yml: every topic is created on purpose
                        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        kafka.start();
        registry =
                new GenericContainer<>(DockerImageName.parse(env.get("SCHEMA_REGISTRY_IMAGE")))
                        .withNetwork(network)
                        .withNetworkAliases("schema-registry")
                        .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                        .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                        .withEnv(
                                "SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS",
                                "PLAINTEXT://" + KAFKA_IN_NETWORK)
                        .withEnv("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", "1")
                        .withExposedPorts(8081)
                        .waitingFor(
                                Wait.forHttp("/subjects")
                                        .forStatusCode(200)
                                        .withStartupTimeout(WAIT));
        registry.start();
        registryUrl = "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);

        Protector protection =
                new Protector(
                        new ArPerturbationMethod(
                                ProcessBank.paperDefault(),
                                SeedingKey.of("confluent-images-key"),
                                Budget.l2(1.0)));
        PoisonerOptions options =
                PoisonerOptions.defaults(
                                kafka.getBootstrapServers(), registryUrl, tmp.resolve("state"))
                        .withThreads(1);
        poisoner = Poisoner.start(options, protection, new SimpleMeterRegistry());
        poisoner.awaitRunning(WAIT);

        Path uploads = tmp.resolve("uploads");
        new SyntheticDataset(CLASSES, 32, 5).write(uploads, PER_CLASS, line -> {});
        int exit =
                new CommandLine(new PublishCommand())
                        .execute(
                                uploads.toString(),
                                "--bootstrap-servers",
                                kafka.getBootstrapServers(),
                                "--schema-registry",
                                registryUrl);
        assertThat(exit).as("./guard publish against the containers").isZero();

        Topics topics = Topics.forRegistry(registryUrl);
        for (ProtectedImage image :
                read(Topics.PROTECTED_IMAGES, topics.protectedImages().valueSerde())) {
            protectedById.put(image.getImageId(), image);
        }
        for (RawImage image : read(Topics.RAW_IMAGES, topics.rawImages().valueSerde())) {
            rawById.put(image.getImageId(), image);
        }
    }

    @AfterAll
    void stop() {
        if (poisoner != null) {
            poisoner.close(Duration.ofSeconds(30));
        }
        if (registry != null) {
            registry.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void everyPublishedImageComesOutProtected() {
        assertThat(rawById).hasSize(IMAGES);
        assertThat(protectedById.keySet()).isEqualTo(rawById.keySet());
        for (Map.Entry<String, ProtectedImage> e : protectedById.entrySet()) {
            RawImage raw = rawById.get(e.getKey());
            ProtectedImage image = e.getValue();
            assertThat(image.getLabel()).isEqualTo(raw.getLabel());
            assertThat(image.getMethod()).as("method of %s", e.getKey()).isNotBlank();
            assertThat(bytes(image.getImage()))
                    .as("%s is perturbed", e.getKey())
                    .isNotEqualTo(bytes(raw.getImage()));
        }
    }

    @Test
    void confluentsAvroConsoleConsumerReadsOurProtectedRecords() throws Exception {
        ExecResult result =
                registry.execInContainer(
                        "kafka-avro-console-consumer",
                        "--bootstrap-server",
                        KAFKA_IN_NETWORK,
                        "--topic",
                        Topics.PROTECTED_IMAGES,
                        "--from-beginning",
                        "--isolation-level",
                        "read_committed",
                        "--max-messages",
                        String.valueOf(IMAGES),
                        "--timeout-ms",
                        String.valueOf(WAIT.toMillis()),
                        "--property",
                        "schema.registry.url=http://localhost:8081");

        assertThat(result.getExitCode()).as(result.getStderr()).isZero();
        ObjectMapper json = new ObjectMapper();
        Map<String, String> labelById = new HashMap<>();
        for (String line : result.getStdout().lines().filter(l -> l.startsWith("{")).toList()) {
            JsonNode record = json.readTree(line);
            labelById.put(record.get("imageId").asText(), record.get("label").asText());
        }
        assertThat(labelById.keySet()).as(result.getStdout()).isEqualTo(protectedById.keySet());
        protectedById.forEach(
                (id, image) -> assertThat(labelById.get(id)).as(id).isEqualTo(image.getLabel()));
    }

    /** Reads a topic from the beginning until every image arrived or the wait is over. */
    private <V> List<V> read(String topic, Serde<V> values) {
        Map<String, Object> config =
                Map.of(
                        "bootstrap.servers",
                        kafka.getBootstrapServers(),
                        "group.id",
                        "confluent-images-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest",
                        // the poisoner writes transactions: what an aborted one wrote must not
                        // count
                        "isolation.level",
                        "read_committed");
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(
                        config,
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        values.deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < IMAGES && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
                    out.add(record.value());
                }
            }
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
