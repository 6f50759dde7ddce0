package io.scrapeguard.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records an attacker can write, against a registry that answers as told: each is a data error
 * (dead letter) or, when the registry is the problem, a retriable one; none costs more heap than
 * its own size.
 */
class HostilePayloadTest {
    private static final Schema SCHEMA =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"string\"},"
                                    + "{\"name\":\"image\",\"type\":\"bytes\"},"
                                    + "{\"name\":\"tags\",\"type\":{\"type\":\"array\","
                                    + "\"items\":\"string\"}},"
                                    + "{\"name\":\"meta\",\"type\":{\"type\":\"map\","
                                    + "\"values\":[\"null\",\"long\"]}},"
                                    + "{\"name\":\"kind\",\"type\":{\"type\":\"enum\","
                                    + "\"name\":\"K\",\"symbols\":[\"A\",\"B\"]}},"
                                    + "{\"name\":\"sum\",\"type\":{\"type\":\"fixed\","
                                    + "\"name\":\"F\",\"size\":4}},"
                                    + "{\"name\":\"x\",\"type\":\"double\"}]}");
    private static final int AVRO_ID = 1;
    private static final int JSON_ID = 2;

    private HttpServer registry;
    private AvroDeserializer<GenericRecord> deserializer;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext(
                "/schemas/ids/",
                exchange -> {
                    String path = exchange.getRequestURI().getPath();
                    int id = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
                    int status = 200;
                    String body;
                    if (id == AVRO_ID) {
                        body = "{\"schema\":" + quote(SCHEMA.toString()) + "}";
                    } else if (id == JSON_ID) {
                        body =
                                "{\"schemaType\":\"JSON\",\"schema\":\"{\\\"type\\\":\\\"object\\\"}\"}";
                    } else if (id == 401 || id == 500 || id == 503) {
                        status = id;
                        body = "{\"error_code\":" + id + ",\"message\":\"no\"}";
                    } else {
                        status = 404;
                        body = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
                    }
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(status, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    exchange.close();
                });
        registry.start();
        String url = "http://127.0.0.1:" + registry.getAddress().getPort();
        deserializer = new AvroDeserializer<>();
        deserializer.configure(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url, SerdeConfig.REQUEST_TIMEOUT_MS, 2000),
                false);
    }

    @AfterEach
    void stopRegistry() {
        deserializer.close();
        registry.stop(0);
    }

    @Test
    void aWellFormedRecordOfEveryShapeStillReads() throws IOException {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", "img-1");
        r.put("image", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        r.put("tags", List.of("a", "bc"));
        r.put("meta", Map.of("w", 3L, "h", 4L, "n", 0L));
        r.put("kind", new GenericData.EnumSymbol(SCHEMA.getField("kind").schema(), "B"));
        r.put(
                "sum",
                new GenericData.Fixed(SCHEMA.getField("sum").schema(), new byte[] {9, 8, 7, 6}));
        r.put("x", 0.5);

        GenericRecord read = deserializer.deserialize("t", payload(AVRO_ID, encode(r)));

        assertThat(read.get("id").toString()).isEqualTo("img-1");
        assertThat(read.get("tags").toString()).isEqualTo("[a, bc]");
        assertThat(((Map<?, ?>) read.get("meta"))).hasSize(3);
        assertThat(read.get("kind").toString()).isEqualTo("B");
        assertThat(read.get("x")).isEqualTo(0.5);
    }

    @Test
    void aTenByteRecordDeclaringATwoGigabyteStringIsADataErrorThatAllocatesNothing() {
        // (the first call fetches the schema: not part of the cost measured)
        // magic, schema id, then the zig-zag varint of 2^31-9: the length of the first string
        byte[] hostile = payload(AVRO_ID, varLong(Integer.MAX_VALUE - 8));
        assertThat(hostile).hasSize(10);
        catchThrowable(() -> deserializer.deserialize("t", payload(AVRO_ID, new byte[0])));

        long before = allocated();
        Throwable t = catchThrowable(() -> deserializer.deserialize("t", hostile));
        long cost = allocated() - before;

        assertThat(t)
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("schema id 1")
                .hasMessageContaining("2147483639 bytes");
        assertThat(cost).as("bytes allocated").isLessThan(1 << 20);
    }

    @Test
    void hugeBytesCollectionsAndIndexesAreDataErrors() {
        byte[] id = concat(varLong(1), new byte[] {'a'});
        byte[][] bodies = {
            concat(id, varLong(1L << 40)), // bytes length
            concat(id, varLong(0), varLong(Integer.MAX_VALUE)), // array of 2^31-1 strings
            concat(id, varLong(0), varLong(-100_000), varLong(3)), // a block's count, negative
            concat(id, varLong(0), varLong(0), varLong(7)), // map count
            concat(id, varLong(0), varLong(0), varLong(0), varLong(99)), // enum index
        };
        for (byte[] body : bodies) {
            Throwable t =
                    catchThrowable(() -> deserializer.deserialize("t", payload(AVRO_ID, body)));
            assertThat(t).isInstanceOf(InvalidPayloadException.class);
        }
    }

    @Test
    void aSchemaIdNamingANonAvroOrUnknownSchemaIsADataError() {
        Throwable json =
                catchThrowable(
                        () -> deserializer.deserialize("t", payload(JSON_ID, new byte[] {2})));
        Throwable unknown =
                catchThrowable(() -> deserializer.deserialize("t", payload(77, new byte[] {2})));

        assertThat(json)
                .isInstanceOf(InvalidPayloadException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("JSON schema");
        assertThat(unknown)
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("Unknown schema id 77");
    }

    @Test
    void aRegistryAnswering401Or5xxIsRetriedNotDeadLettered() {
        for (int status : new int[] {401, 500, 503}) {
            Throwable t =
                    catchThrowable(
                            () -> deserializer.deserialize("t", payload(status, new byte[] {2})));
            assertThat(t)
                    .as("HTTP %d", status)
                    .isInstanceOf(RegistryUnavailableException.class)
                    .isInstanceOf(RetriableException.class)
                    .isNotInstanceOf(InvalidPayloadException.class)
                    .hasMessageContaining("HTTP " + status);
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private static byte[] encode(GenericRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(SCHEMA).write(r, enc);
        enc.flush();
        return out.toByteArray();
    }

    private static byte[] payload(int schemaId, byte[] body) {
        return ByteBuffer.allocate(5 + body.length)
                .put((byte) 0)
                .putInt(schemaId)
                .put(body)
                .array();
    }

    static byte[] varLong(long v) {
        long z = (v << 1) ^ (v >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((z & ~0x7fL) != 0) {
            out.write((int) ((z & 0x7f) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
