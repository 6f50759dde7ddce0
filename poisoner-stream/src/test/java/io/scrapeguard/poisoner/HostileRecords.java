package io.scrapeguard.poisoner;

import io.scrapeguard.imaging.TestImages;
import io.scrapeguard.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 18's hostile raw records as an attacker publishes them (raw bytes on the raw topic), each
 * with the dead-letter reason it must end with (docs/dead-letters.md). Shared through this module's
 * test-jar by {@code HostileInputIntegrationTest} (the poisoner alone) and app's {@code
 * UpHostileInputTest} (the same records through {@code ./guard up}).
 */
public final class HostileRecords {
    private HostileRecords() {}

    /** One hostile record: its key (the image id), its value bytes, the reason it must end with. */
    public record Hostile(String id, byte[] value, String reason) {}

    /**
     * Every hostile kind that reaches a running poisoner from outside with its default limits: an
     * Avro length bomb, the schema id of a JSON schema, an unknown schema id, a PNG with a second
     * IHDR, a JPEG scan bomb, a 2 MiB label and a label with a control character. Registers the raw
     * schema (through {@code topics}) and a JSON schema in the registry at {@code registryUrl}.
     */
    public static List<Hostile> fromOutside(Topics topics, String rawTopic, String registryUrl)
            throws IOException, InterruptedException {
        int rawSchemaId = rawSchemaId(topics, rawTopic);
        List<Hostile> out = new ArrayList<>();
        // a 10-byte record declaring a string of 2^31-9 bytes
        out.add(
                new Hostile(
                        "avro-string-bomb",
                        concat(header(rawSchemaId), varLong(Integer.MAX_VALUE - 8)),
                        "deserialization-error"));
        out.add(
                new Hostile(
                        "json-schema-id",
                        concat(header(registerJsonSchema(registryUrl)), new byte[] {2}),
                        "deserialization-error"));
        out.add(
                new Hostile(
                        "unknown-schema-id",
                        concat(header(987_654), new byte[] {2}),
                        "deserialization-error"));
        out.add(
                new Hostile(
                        "two-ihdr",
                        rawRecord(
                                topics,
                                rawTopic,
                                "two-ihdr",
                                "class-1",
                                TestImages.doubleIhdrPng()),
                        "corrupt-image"));
        // 300 scans: over the 64 the probe allows, refused before any scan is decoded
        out.add(
                new Hostile(
                        "scan-bomb",
                        rawRecord(
                                topics,
                                rawTopic,
                                "scan-bomb",
                                "class-2",
                                TestImages.jpegScanBomb(64, 48, 300)),
                        "image-too-expensive"));
        out.add(
                new Hostile(
                        "huge-label",
                        rawRecord(
                                topics,
                                rawTopic,
                                "huge-label",
                                "x".repeat(2 << 20),
                                TestImages.png(8, 8, 1)),
                        "invalid-label"));
        out.add(
                new Hostile(
                        "control-label",
                        rawRecord(
                                topics,
                                rawTopic,
                                "control-label",
                                "class-4\u0000class-5",
                                TestImages.png(8, 8, 2)),
                        "invalid-label"));
        return out;
    }

    /** A well-formed raw record (Avro, registry wire format) of this image. */
    public static byte[] rawRecord(
            Topics topics, String rawTopic, String id, String label, byte[] image) {
        return Harness.serialize(topics, rawTopic, Harness.raw(id, label, image));
    }

    /** The raw schema's id in the registry (registered by serialising one record). */
    private static int rawSchemaId(Topics topics, String rawTopic) {
        byte[] one =
                rawRecord(topics, rawTopic, "schema-probe", "class-0", TestImages.png(8, 8, 0));
        return ByteBuffer.wrap(one, 1, 4).getInt();
    }

    /** A JSON schema registered through the registry's Confluent API: its id is not Avro. */
    public static int registerJsonSchema(String registryUrl)
            throws IOException, InterruptedException {
        String jsonSchema =
                "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"title\":\"Hostile\","
                        + "\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}";
        String body =
                "{\"schemaType\":\"JSON\",\"schema\":\"" + jsonSchema.replace("\"", "\\\"") + "\"}";
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> answer =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    registryUrl
                                                            + "/subjects/hostile-json/versions"))
                                    .header(
                                            "Content-Type",
                                            "application/vnd.schemaregistry.v1+json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(
                        "registering a JSON schema: " + answer.statusCode() + " " + answer.body());
            }
            return Integer.parseInt(answer.body().replaceAll("\\D+", " ").trim().split(" ")[0]);
        }
    }

    /** The registry wire format's 5-byte header: magic byte 0, then the schema id. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array();
    }

    /** Avro's zig-zag variable-length long. */
    public static byte[] varLong(long v) {
        long z = (v << 1) ^ (v >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((z & ~0x7fL) != 0) {
            out.write((int) ((z & 0x7f) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
