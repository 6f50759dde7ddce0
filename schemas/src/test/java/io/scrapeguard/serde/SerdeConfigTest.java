package io.scrapeguard.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SerdeConfigTest {

    @Test
    void readsConfluentKeysWithTheirDefaults() {
        SerdeConfig defaults =
                new SerdeConfig(Map.of("schema.registry.url", "http://a:1, http://b:2/"));
        assertThat(defaults.registryUrls()).containsExactly("http://a:1", "http://b:2/");
        assertThat(defaults.autoRegisterSchemas()).isTrue();
        assertThat(defaults.specificAvroReader()).isFalse();
        assertThat(defaults.subjectNameStrategy(false)).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
        assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(10));

        SerdeConfig set =
                new SerdeConfig(
                        Map.of(
                                "schema.registry.url", List.of("http://x:9"),
                                "auto.register.schemas", "false",
                                "specific.avro.reader", true,
                                "key.subject.name.strategy",
                                        "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
                                "schema.registry.request.timeout.ms", "2500"));
        assertThat(set.registryUrls()).containsExactly("http://x:9");
        assertThat(set.autoRegisterSchemas()).isFalse();
        assertThat(set.specificAvroReader()).isTrue();
        assertThat(set.subjectNameStrategy(true)).isEqualTo(SubjectNameStrategy.TOPIC_RECORD_NAME);
        assertThat(set.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void missingUrlAndBadValuesSayWhatIsWrong() {
        assertThatThrownBy(() -> new SerdeConfig(Map.of()).registryUrls())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(
                        () ->
                                new SerdeConfig(Map.of("auto.register.schemas", "yes"))
                                        .autoRegisterSchemas())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.register.schemas");
        assertThatThrownBy(() -> SubjectNameStrategy.parse("com.example.Mine"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TopicNameStrategy");
    }

    @Test
    void subjectNamesFollowConfluentsStrategies() {
        Schema schema =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"a.b\",\"fields\":[]}");
        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("t", false, schema)).isEqualTo("t-value");
        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("t", true, schema)).isEqualTo("t-key");
        assertThat(SubjectNameStrategy.RECORD_NAME.subject("t", false, schema)).isEqualTo("a.b.R");
        assertThat(SubjectNameStrategy.TOPIC_RECORD_NAME.subject("t", false, schema))
                .isEqualTo("t-a.b.R");
        assertThat(SubjectNameStrategy.parse("RecordNameStrategy"))
                .isEqualTo(SubjectNameStrategy.RECORD_NAME);
    }
}
