package io.scrapeguard.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * Nothing listens at the registry URL: every registry call is a retriable error, never a data
 * error.
 */
class UnreachableRegistryTest {
    private static final Schema SCHEMA =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\","
                                    + "\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");

    @Test
    void serializerAndDeserializerFailRetriablyNamingTheRegistry() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        Map<String, Object> config =
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url, SerdeConfig.REQUEST_TIMEOUT_MS, 2000);
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("a", "x");
        try (AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
                AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>()) {
            serializer.configure(config, false);
            deserializer.configure(config, false);
            Throwable write = catchThrowable(() -> serializer.serialize("topic", record));
            assertThat(write)
                    .isInstanceOf(RegistryUnavailableException.class)
                    .isInstanceOf(RetriableException.class)
                    .isNotInstanceOf(SerializationException.class)
                    .hasMessageContaining(url)
                    .hasMessageContaining("unreachable");

            byte[] payload = ByteBuffer.allocate(6).put((byte) 0).putInt(3).put((byte) 2).array();
            Throwable read = catchThrowable(() -> deserializer.deserialize("topic", payload));
            assertThat(read)
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining(url);
        }
    }

    @Test
    void triesEveryConfiguredUrlBeforeGivingUp() throws IOException {
        String urls =
                "http://127.0.0.1:" + closedPort() + ",http://127.0.0.1:" + closedPort() + "/";
        try (SchemaRegistryClient client = new SchemaRegistryClient(urls)) {
            Throwable t = catchThrowable(() -> client.register("s", SCHEMA));
            assertThat(t).isInstanceOf(RegistryUnavailableException.class);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return s.getLocalPort();
        }
    }
}
