package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapeguard.embedded.EmbeddedStack;
import io.scrapeguard.embedded.EmbeddedStackExtension;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "The audit models real scrapers": {@code ./guard audit --now} on the running stack and
 * {@code ./guard audit --raw DIR --protected DIR} on the same pairs written as two folders ({@code
 * <label>/<id>.png}) give the same per-pipeline matrix with the same seed and settings. The pairs
 * are published the way the producer and the poisoner publish them, in a shuffled order (protected
 * before raw for some), with redeliveries, a raw image whose protected twin never came (dead
 * letter) and one pair of another size, so both paths must select, order and decode the pairs
 * alike. Both audits run through the CLI, as a user runs them.
 */
class LiveOfflineSameMatrixTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();

    /** native and two scraper pipelines; canaries on the 32 px ones (native, jpeg:95). */
    static final List<String> SETTINGS =
            List.of(
                    "--profile",
                    "cpu-small",
                    "--epochs",
                    "2",
                    "--seeds",
                    "1",
                    "--seed",
                    "7",
                    "--no-defences",
                    "--dilution",
                    "1.0",
                    "--scraper",
                    "native",
                    "--scraper",
                    "jpeg:95",
                    "--scraper",
                    "resize:64",
                    "--canary-max-resolution",
                    "32",
                    "--json",
                    "--quiet");

    record Published(String id, String label, byte[] raw, byte[] prot) {}

    @Test
    void liveAndOfflineAuditsOfTheSamePairsGiveTheSameMatrix(@TempDir Path tmp) throws Exception {
        EmbeddedStack stack = STACK.stack();
        stack.createTopics(Topics.names(), 1);

        // 4 labels x 10 images of 32 px, AR-protected as the poisoner does (label index = sorted).
        Path raw = Fixtures.dataset(tmp.resolve("gen-raw"), 4, 10, 32);
        Path prot = Fixtures.protect(raw, tmp.resolve("gen-ar"), Fixtures.ar(), false);
        List<Published> pairs = read(raw, prot);
        // One pair of another size in the first label: both paths must leave it out alike.
        Path oddRaw = Fixtures.dataset(tmp.resolve("gen-odd"), 4, 1, 24);
        Path oddProt = Fixtures.protect(oddRaw, tmp.resolve("gen-odd-ar"), Fixtures.ar(), false);
        pairs.add(read(oddRaw, oddProt).get(0));
        // A raw image whose protected version never came (dead-lettered by the poisoner).
        Path lone = Fixtures.dataset(tmp.resolve("gen-lone"), 4, 11, 32);
        List<String> ids = pairs.stream().map(Published::id).toList();
        Published orphan =
                read(lone, lone).stream()
                        .filter(p -> !ids.contains(p.id()))
                        .findFirst()
                        .orElseThrow();

        // Offline: the same pairs as two folders, <label>/<id>.png.
        Path rawDir = tmp.resolve("raw");
        Path protDir = tmp.resolve("protected");
        for (Published p : pairs) {
            write(rawDir.resolve(p.label()).resolve(p.id() + ".png"), p.raw());
            write(protDir.resolve(p.label()).resolve(p.id() + ".png"), p.prot());
        }
        write(rawDir.resolve(orphan.label()).resolve(orphan.id() + ".png"), orphan.raw());

        // Live: published in a shuffled order, some protected before raw, three redelivered.
        List<Published> order = new ArrayList<>(pairs);
        Collections.shuffle(order, new Random(42));
        order.addAll(order.subList(0, 3));
        publish(stack, order, orphan);

        long start = System.nanoTime();
        JsonNode offline = audit("--raw", rawDir.toString(), "--protected", protDir.toString());
        double offlineSeconds = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        JsonNode live =
                audit(
                        "--now",
                        "--bootstrap-servers",
                        stack.bootstrapServers(),
                        "--schema-registry",
                        stack.registryUrl(),
                        "--data-dir",
                        tmp.resolve("data").toString(),
                        "--read-timeout",
                        "60");
        double liveSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "LiveOfflineSameMatrixTest: offline audit %.1f s, live audit %.1f s%n",
                offlineSeconds, liveSeconds);

        assertThat(offline.get("outcome").asText()).isEqualTo("completed");
        assertThat(offline.get("pairs").asInt()).isEqualTo(40);
        assertThat(offline.get("threat_model").toString())
                .isEqualTo("[\"native\",\"jpeg:95\",\"resize:64\"]");
        JsonNode rows = offline.get("scrapers");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).has("canary")).as("native canaries").isTrue();
        assertThat(rows.get(1).has("canary")).as("jpeg:95 canaries").isTrue();
        assertThat(rows.get(2).has("canary")).as("resize:64 trains at 64 px").isFalse();

        // The matrix, row by row, figure by figure (a readable failure) ...
        for (int i = 0; i < rows.size(); i++) {
            JsonNode o = rows.get(i);
            JsonNode l = live.get("scrapers").get(i);
            String name = o.get("name").asText();
            assertThat(l.get("name").asText()).isEqualTo(name);
            for (String figure :
                    List.of(
                            "/verdict",
                            "/verdict_signal",
                            "/delivered_l2",
                            "/integrity/filter_accuracy",
                            "/separability/probe_accuracy",
                            "/separability/control_accuracy",
                            "/separability/linear_heldout_accuracy",
                            "/canary/clean/final_accuracy",
                            "/canary/clean/follow_rate",
                            "/canary/protected/final_accuracy",
                            "/canary/protected/follow_rate")) {
                assertThat(l.at(figure)).as(name + figure).isEqualTo(o.at(figure));
            }
        }
        // ... and everything measured: pairs, skipped, split, curves, verdicts (not ids, times).
        assertThat(measured(live)).isEqualTo(measured(offline));
    }

    /** The report without what differs by run: its id, time and costs. */
    static JsonNode measured(JsonNode report) {
        ObjectNode m = report.deepCopy();
        m.remove(List.of("id", "created_at", "cost_seconds"));
        for (JsonNode row : m.get("scrapers")) {
            ((ObjectNode) row).remove("cost_seconds");
        }
        return m;
    }

    static JsonNode audit(String... where) throws Exception {
        List<String> args = new ArrayList<>(List.of(where));
        args.addAll(SETTINGS);
        AuditCommandTest.Run r = AuditCommandTest.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    /** The pairs of two generated folders, sorted by path, with the producer's ids. */
    static List<Published> read(Path raw, Path prot) throws Exception {
        List<Published> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(raw)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                String rel = raw.relativize(f).toString();
                byte[] r = Files.readAllBytes(f);
                out.add(
                        new Published(
                                ImagePair.idOf(r),
                                rel.substring(0, rel.indexOf('/')),
                                r,
                                Files.readAllBytes(prot.resolve(rel))));
            }
        }
        return out;
    }

    static void write(Path file, byte[] bytes) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    static void publish(EmbeddedStack stack, List<Published> order, Published orphan)
            throws Exception {
        try (Topics topics = Topics.forRegistry(stack.registryUrl());
                KafkaProducer<String, RawImage> rp =
                        new KafkaProducer<>(
                                stack.producerConfig(),
                                topics.rawImages().keySerde().serializer(),
                                topics.rawImages().valueSerde().serializer());
                KafkaProducer<String, ProtectedImage> pp =
                        new KafkaProducer<>(
                                stack.producerConfig(),
                                topics.protectedImages().keySerde().serializer(),
                                topics.protectedImages().valueSerde().serializer())) {
            int n = 0;
            for (Published p : order) {
                if (n % 3 == 0) {
                    pp.send(protectedRecord(p)).get();
                }
                rp.send(rawRecord(p)).get();
                if (n % 3 != 0) {
                    pp.send(protectedRecord(p)).get();
                }
                n++;
            }
            rp.send(rawRecord(orphan)).get();
        }
    }

    static ProducerRecord<String, RawImage> rawRecord(Published p) throws Exception {
        AuditImage img = AuditImage.decode(p.raw());
        return new ProducerRecord<>(
                Topics.RAW_IMAGES,
                p.id(),
                RawImage.newBuilder()
                        .setImageId(p.id())
                        .setLabel(p.label())
                        .setContentType("image/png")
                        .setWidth(img.width())
                        .setHeight(img.height())
                        .setChannels(img.channels())
                        .setImage(ByteBuffer.wrap(p.raw()))
                        .setSource(p.label() + "/" + p.id() + ".png")
                        .setIngestTime(Instant.now())
                        .build());
    }

    static ProducerRecord<String, ProtectedImage> protectedRecord(Published p) throws Exception {
        AuditImage img = AuditImage.decode(p.prot());
        return new ProducerRecord<>(
                Topics.PROTECTED_IMAGES,
                p.id(),
                ProtectedImage.newBuilder()
                        .setImageId(p.id())
                        .setLabel(p.label())
                        .setContentType("image/png")
                        .setWidth(img.width())
                        .setHeight(img.height())
                        .setImage(ByteBuffer.wrap(p.prot()))
                        .setMethod("ar")
                        .setBudget(1.0)
                        .setBankVersion("test")
                        .setProcessedTime(Instant.now())
                        .build());
    }
}
