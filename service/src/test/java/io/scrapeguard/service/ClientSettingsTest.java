package io.scrapeguard.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client settings reach the clients and never their printed forms or endpoints.properties. */
class ClientSettingsTest {
    @TempDir Path dir;

    @Test
    void settingsReachClientsButNotPrintsOrTheEndpointsFile() throws Exception {
        Path kafka =
                Files.writeString(
                        dir.resolve("k.properties"),
                        "security.protocol=SASL_SSL\nsasl.jaas.config=x password=\"k-secret\";\n");
        Path registry =
                Files.writeString(dir.resolve("r.properties"), "basic.auth.user.info=u:r-secret\n");
        ClientSettings s =
                ClientSettings.load(
                        null,
                        Map.of("security.protocol", "SSL"),
                        registry,
                        Map.of(ClientSettings.KAFKA_CONFIG_ENV, kafka.toString()));
        assertThat(s.kafkaConfig("b:9093"))
                .containsEntry("security.protocol", "SSL")
                .containsEntry("bootstrap.servers", "b:9093")
                .containsKey("sasl.jaas.config");
        assertThat(s.registryConfig("http://r"))
                .containsEntry("basic.auth.user.info", "u:r-secret");

        Endpoints e = new Endpoints("b:9093", "http://u:url-secret@r:8081/apis", "", s);
        Path data = dir.resolve("data");
        e.write(data);
        String written = Files.readString(Endpoints.file(data));
        for (String printed : new String[] {s.toString(), e.toString(), e.readyLine(), written}) {
            assertThat(printed).doesNotContain("k-secret", "r-secret", "url-secret");
        }
        assertThat(written).contains("r\\:8081/apis");
    }

    @Test
    void theEnvironmentNamesTheClusterBeforeTheDataDir() {
        Endpoints e =
                Endpoints.resolve(
                        null,
                        null,
                        dir,
                        Map.of(
                                Endpoints.BOOTSTRAP_ENV,
                                "k:9092",
                                Endpoints.REGISTRY_ENV,
                                "http://reg"));
        assertThat(e.bootstrapServers()).isEqualTo("k:9092");
        assertThat(e.registryUrl()).isEqualTo("http://reg");
    }
}
