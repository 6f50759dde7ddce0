package io.scrapeguard.serde;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a serializer names the registry subject of a record, as Confluent's strategies do. The
 * default, {@link #TOPIC_NAME}, gives {@code <topic>-key} / {@code <topic>-value}.
 */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} or {@code <topic>-value}: one schema lineage per topic. */
    TOPIC_NAME {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name: one lineage per record type, shared across topics. */
    RECORD_NAME {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return schema.getFullName();
        }
    },
    /** {@code <topic>-<record full name>}: several record types per topic. */
    TOPIC_RECORD_NAME {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + "-" + schema.getFullName();
        }
    };

    public abstract String subject(String topic, boolean isKey, Schema schema);

    /**
     * Parses a strategy from a config value: a Confluent class name (e.g. {@code
     * io.confluent.kafka.serializers.subject.TopicNameStrategy}), its simple name, or this enum's
     * name.
     */
    public static SubjectNameStrategy parse(String value) {
        if (value == null || value.isBlank()) {
            return TOPIC_NAME;
        }
        String simple = value.substring(value.lastIndexOf('.') + 1).trim();
        String normalized = simple.replace("_", "").toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "topicnamestrategy", "topicname" -> TOPIC_NAME;
            case "recordnamestrategy", "recordname" -> RECORD_NAME;
            case "topicrecordnamestrategy", "topicrecordname" -> TOPIC_RECORD_NAME;
            default ->
                    throw new ConfigException(
                            "Unknown subject name strategy '"
                                    + value
                                    + "': use TopicNameStrategy, RecordNameStrategy or"
                                    + " TopicRecordNameStrategy");
        };
    }
}
