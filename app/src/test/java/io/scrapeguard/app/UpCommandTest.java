package io.scrapeguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.imaging.TestImages;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.service.Endpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./guard up} as users run it: its own JVM, one ready line, the endpoints file, metrics and
 * health on 127.0.0.1, images protected, and a stop (SIGTERM, the same shutdown hook as Ctrl-C)
 * that leaves no process and no endpoints file behind.
 */
class UpCommandTest {
    @TempDir Path tmp;

    @Test
    void upPrintsOneReadyLineServesAndStopsCleanly() throws Exception {
        Path dataDir = tmp.resolve("data");
        Path stderr = tmp.resolve("up.err");
        Path stdout = tmp.resolve("up.out");
        Process up =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                UpMain.class.getName(),
                                "--data-dir",
                                dataDir.toString(),
                                "--metrics-port",
                                "0",
                                "--threads",
                                "1",
                                "--labels",
                                "cats")
                        .redirectError(stderr.toFile())
                        .redirectOutput(stdout.toFile())
                        .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (Files.readString(stdout).isEmpty()
                    && up.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(200); // the rest of the line
            String ready = Files.readString(stdout).strip();
            assertThat(ready)
                    .as("stderr: %s", stderr)
                    .startsWith("ScrapeGuard ready: bootstrap=127.0.0.1:");
            Endpoints endpoints = Endpoints.read(dataDir).orElseThrow();
            assertThat(ready).isEqualTo(endpoints.readyLine());
            assertThat(endpoints.metricsUrl()).startsWith("http://127.0.0.1:");
            assertThat(Files.readString(stderr)).containsOnlyOnce("PUBLIC development seeding key");

            HttpClient http = HttpClient.newHttpClient();
            String base = endpoints.metricsUrl().replace("/metrics", "");
            assertThat(
                            http.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(base + "/health/ready"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode())
                    .isEqualTo(200);

            // publish a few images against the endpoints found in the data dir
            var stack = new StackView(endpoints);
            List<Map.Entry<String, byte[]>> records = new ArrayList<>();
            try (Topics topics = Topics.forRegistry(endpoints.registryUrl())) {
                for (int i = 0; i < 5; i++) {
                    records.add(
                            new SimpleEntry<>(
                                    "up-" + i,
                                    topics.rawImages()
                                            .valueSerde()
                                            .serializer()
                                            .serialize(
                                                    Topics.RAW_IMAGES,
                                                    raw("up-" + i, TestImages.png(16, 16, i)))));
                }
            }
            stack.send(records);
            assertThat(stack.readCommitted(Topics.PROTECTED_IMAGES, 5)).hasSize(5);
            String metrics =
                    http.send(
                                    HttpRequest.newBuilder(URI.create(endpoints.metricsUrl()))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            assertThat(metrics)
                    .contains("guard_images_in_total{service=\"poisoner\"} 5.0")
                    .contains("kafka_stream_");
            // by what each image carries (the class wave or the AR process), 5 in all
            java.util.regex.Matcher protectedSeries =
                    java.util.regex.Pattern.compile(
                                    "guard_images_protected_total\\{method=\"ar-multiscale\","
                                            + "pattern=\"(ar|class-wave)\",service=\"poisoner\"\\}"
                                            + " ([0-9.]+)")
                            .matcher(metrics);
            double published = 0;
            while (protectedSeries.find()) {
                published += Double.parseDouble(protectedSeries.group(2));
            }
            assertThat(published).isEqualTo(5.0);

            List<ProcessHandle> children = up.toHandle().descendants().toList();
            assertThat(children).as("the registry runs as a child process").isNotEmpty();
            up.destroy(); // SIGTERM
            assertThat(up.waitFor(90, TimeUnit.SECONDS)).as("up stopped").isTrue();
            for (ProcessHandle child : children) {
                child.onExit().get(30, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("child %s", child.pid()).isFalse();
            }
            assertThat(Endpoints.file(dataDir)).doesNotExist();
            assertThat(Files.readAllLines(stdout))
                    .as("exactly one line on stdout")
                    .containsExactly(ready);
        } finally {
            up.destroyForcibly();
            up.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static RawImage raw(String id, byte[] png) {
        return RawImage.newBuilder()
                .setImageId(id)
                .setLabel("cats")
                .setContentType("image/png")
                .setWidth(16)
                .setHeight(16)
                .setChannels(3)
                .setImage(java.nio.ByteBuffer.wrap(png))
                .setSource("test")
                .setIngestTime(java.time.Instant.now())
                .setAttributes(Map.of())
                .build();
    }

    /** The broker and registry of a running {@code up}, seen from outside. */
    private record StackView(Endpoints endpoints) {
        void send(List<Map.Entry<String, byte[]>> records) {
            var p = new java.util.Properties();
            p.put("bootstrap.servers", endpoints.bootstrapServers());
            try (var producer =
                    new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                            p,
                            new org.apache.kafka.common.serialization.StringSerializer(),
                            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                for (var r : records) {
                    producer.send(
                            new org.apache.kafka.clients.producer.ProducerRecord<>(
                                    Topics.RAW_IMAGES, r.getKey(), r.getValue()));
                }
            }
        }

        List<?> readCommitted(String topic, int n) {
            var p = new java.util.Properties();
            p.put("bootstrap.servers", endpoints.bootstrapServers());
            p.put("isolation.level", "read_committed");
            List<Object> out = new ArrayList<>();
            try (var c =
                    new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
                            p,
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                var parts =
                        c.partitionsFor(topic).stream()
                                .map(
                                        i ->
                                                new org.apache.kafka.common.TopicPartition(
                                                        topic, i.partition()))
                                .toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (out.size() < n && System.nanoTime() < deadline) {
                    c.poll(Duration.ofMillis(200)).forEach(out::add);
                }
            }
            return out;
        }
    }
}
