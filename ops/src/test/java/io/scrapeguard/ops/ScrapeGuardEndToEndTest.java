package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.poisoner.ArImageProtection;
import io.scrapeguard.poisoner.OutputFormat;
import io.scrapeguard.poisoner.PoisonerGuardService;
import io.scrapeguard.poisoner.PoisonerOptions;
import io.scrapeguard.poisoner.PoisonerTopics;
import io.scrapeguard.producer.PublishCommand;
import io.scrapeguard.runtime.LabelAssignmentLog;
import io.scrapeguard.runtime.ServiceHost;
import io.scrapeguard.schemas.Topics;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The deployment's monitoring on the real services: the embedded stack (KRaft broker, registry),
 * two real poisoner instances as `./guard poisoner` runs them (PNG, and a JPEG-output one, so the
 * JPEG panel has data), images published with `./guard publish` plus a garbage record, and a real
 * Prometheus running ops/prometheus/prometheus.yml and its rules against their /metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScrapeGuardEndToEndTest {
    private static final int LABELS = 4;
    private static final int PER_LABEL = 12;
    private static final Duration WAIT = Duration.ofSeconds(120);

    private EmbeddedStack stack;
    private final List<ServiceHost> poisoners = new ArrayList<>();
    private PrometheusServer prometheus;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        stack = EmbeddedStack.start();
        ArImageProtection protection =
                new ArImageProtection(ProcessBank.paperDefault(), SeedingKey.of("ops-e2e-key"), Budget.l2(1.0));
        PoisonerOptions png = PoisonerOptions.defaults(stack.bootstrapServers(), stack.registryUrl(),
                        dir.resolve("state-png")).withThreads(1);
        // a second deployment flavour on the same raw topic: JPEG output to topics of its own
        PoisonerOptions jpeg = PoisonerOptions.defaults(stack.bootstrapServers(), stack.registryUrl(),
                        dir.resolve("state-jpeg"))
                .withThreads(1)
                .withApplicationId("scrapeguard-poisoner-jpeg")
                .withTopics(new PoisonerTopics(Topics.RAW_IMAGES, Topics.PROTECTED_IMAGES + ".jpeg",
                        Topics.DEAD_LETTERS + ".jpeg", LabelAssignmentLog.TOPIC))
                .withOutput(OutputFormat.JPEG, 100, 0.5);
        for (PoisonerOptions options : List.of(png, jpeg)) {
            ServiceHost host = new ServiceHost(stack.bootstrapServers(), stack.registryUrl(),
                    dir.resolve("data-" + options.applicationId()), "127.0.0.1", 0, Map.of());
            poisoners.add(host);
            host.start(List.of(new PoisonerGuardService(options, protection, Duration.ofSeconds(10))));
        }
        List<String> targets = poisoners.stream()
                .map(h -> "127.0.0.1:" + h.http().port()).toList();
        prometheus = new PrometheusServer(dir.resolve("prometheus"), Map.of("poisoner", targets));

        Path images = writeImages(dir.resolve("uploads"));
        int exit = new CommandLine(new PublishCommand()).execute(images.toString(),
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry", stack.registryUrl());
        assertThat(exit).as("./guard publish").isZero();
        // an upload that is not a RawImage at all: fail-closed to the dead-letter topic
        try (KafkaProducer<String, byte[]> garbage = new KafkaProducer<>(
                Map.of("bootstrap.servers", stack.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            garbage.send(new ProducerRecord<>(Topics.RAW_IMAGES, "garbage-1",
                    "\0not an avro record".getBytes(StandardCharsets.UTF_8))).get();
        }
        int total = LABELS * PER_LABEL + 1;
        prometheus.await("both poisoners to account for every image (protected + dead-lettered)", WAIT,
                () -> prometheus.query("sum by (instance) (guard_images_protected_total)"
                        + " + on(instance) sum by (instance) (guard_images_dead_lettered_total)"),
                r -> r.size() == 2 && allEqual(r, total));
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        for (ServiceHost host : poisoners) {
            host.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyImageIsCountedOnceAsProtectedOrDeadLettered() throws Exception {
        int total = LABELS * PER_LABEL + 1;
        JsonNode in = prometheus.query("sum by (instance) (guard_images_in_total)");
        assertThat(in).hasSize(2);
        assertThat(allEqual(in, total)).as("guard_images_in_total per instance: %s", in).isTrue();
        JsonNode dead = prometheus.query("sum by (instance, reason) (guard_images_dead_lettered_total) > 0");
        assertThat(dead).hasSize(2).allSatisfy(r -> {
            assertThat(r.path("metric").path("reason").asText()).isEqualTo("deserialization-error");
            assertThat(r.path("value").get(1).asDouble()).isEqualTo(1.0);
        });
        assertThat(prometheus.query("up{job=\"poisoner\"} == 1")).hasSize(2);
        // the contract's common tag: every ScrapeGuard series says which service it comes from
        assertThat(prometheus.query("{__name__=~\"guard_.+\", service=\"poisoner\"}")).isNotEmpty();
        assertThat(prometheus.query("{__name__=~\"guard_.+\", service!=\"poisoner\"}")).isEmpty();
    }

    @Test
    @Order(2)
    void everyPipelineDashboardQueryReturnsData() throws Exception {
        List<Dashboards.Query> queries = Dashboards.queries().stream()
                .filter(q -> q.dashboard().contains("pipeline")).toList();
        assertThat(queries).hasSizeGreaterThan(10);
        List<String> empty = prometheus.await("every pipeline dashboard query to return data", Duration.ofSeconds(60), () -> {
            List<String> missing = new ArrayList<>();
            for (Dashboards.Query q : queries) {
                if (prometheus.query(q.forPrometheus("1m")).isEmpty()) {
                    missing.add(q.toString());
                }
            }
            return missing;
        }, List::isEmpty);
        assertThat(empty).isEmpty();
    }

    @Test
    @Order(3)
    void aHealthyPipelineFiresNoPipelineAlert() throws Exception {
        Thread.sleep(2000);
        for (JsonNode a : prometheus.alerts()) {
            String name = a.path("labels").path("alertname").asText();
            String detail = a + "; dead letters "
                    + prometheus.query("sum by (instance, reason) (rate(guard_images_dead_lettered_total[10m])) > 0");
            if (!"poisoner".equals(a.path("labels").path("component").asText())) {
                continue; // the auditor is not part of this run
            }
            assertThat(a.path("state").asText()).as("firing on a healthy pipeline: %s", detail).isEqualTo("pending");
            if (a.path("labels").path("instance").asText().equals(jpegInstance())
                    && name.equals("PerturbationLostToJpeg")) {
                // measured, not a test artefact: JPEG output keeps only about half of the
                // perturbation on these images, even at quality 100 (the poisoner warns too)
                continue;
            }
            // With 49 images, the one garbage record can briefly be more than 5% of what has come in
            // while the images still stream: the reason DeadLettersRising waits 10 minutes. Every
            // other pipeline alert measures a steady state and must not even be pending.
            assertThat(name).as("pending on a healthy pipeline: %s", detail).isEqualTo("DeadLettersRising");
        }
    }

    private String jpegInstance() {
        return "127.0.0.1:" + poisoners.get(1).http().port();
    }

    private static boolean allEqual(JsonNode result, double expected) {
        for (JsonNode r : result) {
            if (r.path("value").get(1).asDouble() != expected) {
                return false;
            }
        }
        return true;
    }

    /** Image-folder layout (label = folder): textured 32x32 images, a different texture per label. */
    private static Path writeImages(Path root) throws Exception {
        Random random = new Random(7);
        for (int label = 0; label < LABELS; label++) {
            Path folder = Files.createDirectories(root.resolve("class-" + label));
            for (int i = 0; i < PER_LABEL; i++) {
                BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int v = 60 + (int) (60 * Math.sin((x * (label + 1) + y * (i % 3 + 1)) / 4.0))
                                + random.nextInt(40);
                        img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | (v / 2 + 40 * label));
                    }
                }
                ImageIO.write(img, "png", folder.resolve("img-" + i + ".png").toFile());
            }
        }
        return root;
    }
}
