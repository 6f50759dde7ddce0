package io.scrapeguard.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.scrapeguard.schemas.RawImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded mutation fuzzer over the deserializer as the poisoner uses it (a {@link RawImage} reader
 * against a registry): every mutant of a real record is read or is an {@link
 * InvalidPayloadException}; nothing else escapes, and none allocates much more than its own size.
 * Bounded by a count of inputs; a longer run: {@code mvn -pl schemas surefire:test
 * -Dtest=AvroFuzzTest -Dfuzz.inputs=1000000 -Dfuzz.seed=N} (docs/testing.md).
 */
class AvroFuzzTest {
    private static final int SCHEMA_ID = 7;

    @Test
    @Timeout(600) // a hang guard only: the count of inputs bounds the work
    void mutantsAreReadOrAreDataErrors() throws Exception {
        long seed = Long.getLong("fuzz.seed", 18L);
        int inputs = Integer.getInteger("fuzz.inputs", 20_000);
        HttpServer registry =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext(
                "/schemas/ids/",
                exchange -> {
                    String schema = RawImage.getClassSchema().toString();
                    String body =
                            "{\"schema\":\""
                                    + schema.replace("\\", "\\\\").replace("\"", "\\\"")
                                    + "\"}";
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    exchange.close();
                });
        registry.start();
        try (SchemaRegistryClient client =
                        new SchemaRegistryClient(
                                "http://127.0.0.1:" + registry.getAddress().getPort());
                AvroDeserializer<RawImage> deserializer =
                        new AvroDeserializer<>(client, RawImage.class)) {
            byte[] good = record();
            assertThat(deserializer.deserialize("t", good).getImageId()).isEqualTo("img-1");
            SplittableRandom rnd = new SplittableRandom(seed);
            int read = 0;
            int refused = 0;
            for (int i = 0; i < inputs; i++) {
                byte[] input = mutate(good, rnd);
                long before = allocated();
                try {
                    deserializer.deserialize("t", input);
                    read++;
                } catch (InvalidPayloadException e) {
                    refused++;
                } catch (Throwable t) {
                    fail("input %d of seed %d escaped as %s", i, seed, t, t);
                }
                long cost = allocated() - before;
                if (cost > 64L * input.length + (1 << 20)) {
                    fail(
                            "input %d of seed %d (%d bytes) allocated %d",
                            i, seed, input.length, cost);
                }
            }
            System.out.printf(
                    "avro fuzz: seed %d, %d inputs, %d read, %d refused%n",
                    seed, inputs, read, refused);
            assertThat(refused).as("the mutations reach the error paths").isPositive();
        } finally {
            registry.stop(0);
        }
    }

    /** A Confluent-format RawImage record with a small image, a label and attributes. */
    private static byte[] record() {
        RawImage raw =
                RawImage.newBuilder()
                        .setImageId("img-1")
                        .setLabel("cats")
                        .setContentType("image/png")
                        .setWidth(4)
                        .setHeight(4)
                        .setChannels(3)
                        .setImage(ByteBuffer.wrap(new byte[64]))
                        .setSource("fuzz")
                        .setIngestTime(Instant.EPOCH)
                        .setAttributes(Map.of("camera", "x", "owner", "y"))
                        .build();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(WireFormat.MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(SCHEMA_ID).array());
            out.write(raw.toByteBuffer().array()); // single-object encoding: header then body
            byte[] b = out.toByteArray();
            // drop the single-object header (2 marker bytes + 8 fingerprint bytes)
            byte[] plain = new byte[b.length - 10];
            System.arraycopy(b, 0, plain, 0, 5);
            System.arraycopy(b, 15, plain, 5, b.length - 15);
            return plain;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bit flips, boundary varints, inserted, deleted and truncated ranges after the header. */
    private static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        byte[] b = seed.clone();
        int n = 1 + rnd.nextInt(3);
        for (int k = 0; k < n && b.length > 5; k++) {
            int at = 5 + rnd.nextInt(b.length - 5);
            switch (rnd.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> {
                    // a varint with the continuation bit: lengths up to 2^63
                    byte[] big = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
                    byte[] out = new byte[b.length + big.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(big, 0, out, at, big.length);
                    System.arraycopy(b, at, out, at + big.length, b.length - at);
                    b = out;
                }
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(8));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                default -> b[at] = (byte) rnd.nextInt(256);
            }
        }
        return b;
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
