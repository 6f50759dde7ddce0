package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.embedded.EmbeddedKafkaBroker;
import io.scrapeguard.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose's topic-init script, run for real: its kafka-topics.sh calls go to Kafka's own
 * TopicCommand (what kafka-topics.sh runs) against the embedded KRaft broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicInitScriptTest {
    private EmbeddedKafkaBroker broker;
    private Path bin;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        broker = EmbeddedKafkaBroker.start();
        bin = Files.createDirectories(dir.resolve("bin"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path shim = bin.resolve("kafka-topics.sh");
        Files.writeString(shim, "#!/usr/bin/env bash\nexec '" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp '"
                + System.getProperty("java.class.path") + "' org.apache.kafka.tools.TopicCommand \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void createsEveryTopicWithItsPartitionsAndRetentionIdempotently() throws Exception {
        Tools.Result first = runScript();
        assertThat(first.exitCode()).as(first.output()).isZero();
        Tools.Result again = runScript();
        assertThat(again.exitCode()).as("a second run (compose restart) succeeds:\n%s", again.output()).isZero();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(names).containsAll(Topics.names()).contains("guard.label-assignments");
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(topics.get(Topics.RAW_IMAGES).partitions()).hasSize(4);
            assertThat(topics.get(Topics.PROTECTED_IMAGES).partitions()).hasSize(4);
            assertThat(topics.get("guard.label-assignments").partitions()).hasSize(1);

            Map<String, Config> configs = admin.describeConfigs(names.stream()
                            .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList())
                    .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
            for (String topic : Topics.names()) {
                assertThat(value(configs, topic, "max.message.bytes"))
                        .as("%s takes images up to Topics.MAX_MESSAGE_BYTES", topic)
                        .isEqualTo(String.valueOf(Topics.MAX_MESSAGE_BYTES));
                assertThat(value(configs, topic, "cleanup.policy")).isEqualTo("delete");
            }
            assertThat(value(configs, Topics.RAW_IMAGES, "retention.ms")).isEqualTo(String.valueOf(3 * 86_400_000L));
            assertThat(value(configs, Topics.PROTECTED_IMAGES, "retention.ms")).isEqualTo(String.valueOf(7 * 86_400_000L));
            assertThat(value(configs, Topics.DEAD_LETTERS, "retention.ms")).isEqualTo(String.valueOf(14 * 86_400_000L));
            // the label assignment log: append-only, kept forever
            assertThat(value(configs, "guard.label-assignments", "cleanup.policy")).isEqualTo("delete");
            assertThat(value(configs, "guard.label-assignments", "retention.ms")).isEqualTo("-1");
            assertThat(value(configs, "guard.label-assignments", "retention.bytes")).isEqualTo("-1");
        }
    }

    private Tools.Result runScript() {
        return Tools.run(Repo.root(), List.of("env",
                "PATH=" + bin + ":" + System.getenv("PATH"),
                "BOOTSTRAP_SERVERS=" + broker.bootstrapServers(),
                "TOPIC_PARTITIONS=4",
                "TOPIC_REPLICATION_FACTOR=1",
                "bash", "ops/kafka/create-topics.sh"));
    }

    private static String value(Map<String, Config> configs, String topic, String key) {
        return configs.get(topic).get(key).value();
    }
}
