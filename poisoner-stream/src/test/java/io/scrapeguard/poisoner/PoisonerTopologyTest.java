package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.Protector;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.imaging.TestImages;
import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.LabelAssignmentTimeoutException;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.RawImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology's branches, one by one, with TopologyTestDriver (no broker). */
class PoisonerTopologyTest {
    private final PlainAvroSerde<RawImage> rawSerde = new PlainAvroSerde<>(RawImage.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    @TempDir Path stateDir;
    private PoisonerDriver poisoner;
    private TestOutputTopic<String, ProtectedImage> published;
    private TestOutputTopic<String, byte[]> dead;

    private void start(Protector protection, LabelPolicy policy, LabelResolver labels) {
        start(protection, policy, labels, null);
    }

    private void start(
            Protector protection,
            LabelPolicy policy,
            LabelResolver labels,
            org.apache.kafka.common.serialization.Deserializer<RawImage> deserializer) {
        ImagePipeline pipeline = ImagePipeline.png(protection, policy, labels, ImageLimits.DEFAULT);
        poisoner =
                new PoisonerDriver(pipeline, new PoisonerMetrics(registry), stateDir, deserializer);
        published = poisoner.published;
        dead = poisoner.dead;
    }

    private void startDefault() {
        start(FakeMethod.protector(10), LabelPolicy.OPEN, new InMemoryLabels(10));
    }

    @AfterEach
    void close() {
        if (poisoner != null) {
            poisoner.close();
        }
    }

    private byte[] rawRecord(String id, String label, byte[] image) {
        return PoisonerDriver.rawRecord(id, label, image);
    }

    private void send(String id, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("uploader", "alice@example.com".getBytes(StandardCharsets.UTF_8));
        poisoner.send(id, value, headers);
    }

    private double protectedCount(String method, String pattern) {
        return registry.counter("guard.images.protected", "method", method, "pattern", pattern)
                .count();
    }

    /** A 32x32 colour image: grain of +-40 levels (a photo's texture) or one flat colour. */
    private static byte[] smallColour(boolean textured, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        byte[] px = new byte[32 * 32 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (textured ? 88 + rng.nextInt(80) : (i % 3 == 0 ? 150 : 90));
        }
        return Image8.wrap(32, 32, 3, px, null).encodePng();
    }

    @Test
    void theDefaultsPhotosAndFlatImagesAreCountedByWhatTheyCarry() {
        start(
                new Protector(
                        io.scrapeguard.core.ArVariants.create(
                                null,
                                Harness.BANK,
                                Harness.KEY,
                                io.scrapeguard.core.Budget.defaultL2())),
                LabelPolicy.OPEN,
                new InMemoryLabels(10));
        send("photo-1", rawRecord("photo-1", "cats", smallColour(true, 1)));
        send("photo-2", rawRecord("photo-2", "dogs", smallColour(true, 2)));
        send("flat-1", rawRecord("flat-1", "cats", smallColour(false, 3)));
        assertThat(published.readRecordsToList()).hasSize(3);
        assertThat(protectedCount("ar-multiscale", "class-wave")).isEqualTo(2);
        assertThat(protectedCount("ar-multiscale", "ar")).isEqualTo(1);
    }

    @Test
    void aGoodImageIsPublishedProtectedWithoutTheUploadHeaders() throws Exception {
        startDefault();
        byte[] png = TestImages.png(32, 32, 1);
        send("img-1", rawRecord("img-1", "cats", png));
        assertThat(dead.isEmpty()).isTrue();
        TestRecord<String, ProtectedImage> out = published.readRecord();
        assertThat(out.key()).isEqualTo("img-1");
        assertThat(out.headers().toArray()).isEmpty();
        ProtectedImage img = out.value();
        assertThat(img.getLabel()).isEqualTo("cats");
        assertThat(img.getContentType()).isEqualTo("image/png");
        assertThat(img.getWidth()).isEqualTo(32);
        byte[] outBytes = new byte[img.getImage().remaining()];
        img.getImage().duplicate().get(outBytes);
        Image8 clean = ImageCodec.decode(png, ImageLimits.DEFAULT);
        Image8 prot = ImageCodec.decode(outBytes, ImageLimits.DEFAULT);
        assertThat(prot.pixels()).isNotEqualTo(clean.pixels());
        assertThat(published.isEmpty()).isTrue();
        assertThat(registry.counter("guard.images.in").count()).isEqualTo(1);
        assertThat(protectedCount("test-pattern", "other")).isEqualTo(1);
        assertThat(registry.summary("guard.perturbation.delivered.l2").count()).isEqualTo(1);
    }

    @Test
    void everyBadImageIsDeadLetteredWithItsReasonAndOriginalBytes() throws Exception {
        startDefault();
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("corrupt-image", rawRecord("a", "cats", TestImages.corruptPng(32, 32, 2)));
        bad.put("truncated-image", rawRecord("b", "cats", TestImages.truncatedJpeg(32, 32, 3)));
        bad.put("empty-payload", rawRecord("c", "cats", new byte[0]));
        bad.put("image-too-large", rawRecord("d", "cats", TestImages.bombPngHeader()));
        bad.put("unsupported-format", rawRecord("e", "cats", "BM not an image".getBytes()));
        bad.put("deserialization-error", "\u0000\u0000\u0000\u0000\u0007garbage avro".getBytes());
        for (var e : bad.entrySet()) {
            send(e.getKey(), e.getValue());
        }
        assertThat(published.isEmpty()).isTrue();
        List<TestRecord<String, byte[]>> letters = dead.readRecordsToList();
        assertThat(letters).hasSize(bad.size());
        for (TestRecord<String, byte[]> r : letters) {
            var dl = DeadLetterHeaders.read(r.headers());
            assertThat(dl.reason()).isEqualTo(r.key());
            assertThat(r.value()).isEqualTo(bad.get(r.key()));
            assertThat(dl.sourceTopic()).isEqualTo(PoisonerDriver.TOPICS.raw());
            assertThat(dl.sourceOffset()).isNotNull();
            assertThat(DeadLetterHeaders.string(r.headers(), DeadLetterHeaders.MESSAGE))
                    .isPresent();
            assertThat(registry.counter("guard.images.dead.lettered", "reason", r.key()).count())
                    .isEqualTo(1);
        }
        assertThat(registry.counter("guard.images.in").count()).isEqualTo(bad.size());
    }

    @Test
    void unknownLabelUnderTheStrictPolicyIsDeadLettered() throws Exception {
        start(
                FakeMethod.protector(10),
                LabelPolicy.strict(Set.of("cats", "dogs")),
                new InMemoryLabels(10));
        send("x", rawRecord("x", "cats", TestImages.png(16, 16, 4)));
        send("y", rawRecord("y", "catz", TestImages.png(16, 16, 5)));
        assertThat(published.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("x");
        TestRecord<String, byte[]> letter = dead.readRecord();
        assertThat(letter.key()).isEqualTo("y");
        assertThat(DeadLetterHeaders.read(letter.headers()).reason()).isEqualTo("unknown-label");
    }

    @Test
    void aFullBankDeadLettersNewLabelsButServesKnownOnes() throws Exception {
        start(FakeMethod.protector(2), LabelPolicy.OPEN, new InMemoryLabels(2));
        send("1", rawRecord("1", "a", TestImages.png(16, 16, 6)));
        send("2", rawRecord("2", "b", TestImages.png(16, 16, 7)));
        send("3", rawRecord("3", "c", TestImages.png(16, 16, 8)));
        send("4", rawRecord("4", "a", TestImages.png(16, 16, 9)));
        assertThat(published.readKeyValuesToList())
                .extracting(kv -> kv.key)
                .containsExactly("1", "2", "4");
        TestRecord<String, byte[]> letter = dead.readRecord();
        assertThat(letter.key()).isEqualTo("3");
        assertThat(DeadLetterHeaders.read(letter.headers()).reason()).isEqualTo("bank-exhausted");
    }

    @Test
    void aFailureInsideTheEngineIsAProcessingErrorNotAPublication() throws Exception {
        Protector broken =
                new Protector(
                        new FakeMethod(10) {
                            @Override
                            public Perturbation perturbation(
                                    int classIndex, String imageId, int h, int w, int c) {
                                throw new IllegalStateException("engine bug");
                            }
                        });
        start(broken, LabelPolicy.OPEN, new InMemoryLabels(10));
        send("p", rawRecord("p", "cats", TestImages.png(16, 16, 10)));
        assertThat(published.isEmpty()).isTrue();
        assertThat(DeadLetterHeaders.read(dead.readRecord().headers()).reason())
                .isEqualTo("processing-error");
    }

    @Test
    void aTransientFailureIsNeitherPublishedNorDeadLettered() throws Exception {
        start(
                FakeMethod.protector(10),
                LabelPolicy.OPEN,
                label -> {
                    throw new LabelAssignmentTimeoutException("kafka slow");
                });
        assertThatThrownBy(() -> send("t", rawRecord("t", "cats", TestImages.png(16, 16, 11))))
                .hasRootCauseInstanceOf(LabelAssignmentTimeoutException.class);
        assertThat(published.isEmpty()).isTrue();
        assertThat(dead.isEmpty()).isTrue();
        assertThat(
                        Poisoner.isTransient(
                                new org.apache.kafka.streams.errors.StreamsException(
                                        new LabelAssignmentTimeoutException("x"))))
                .isTrue();
        assertThat(Poisoner.isTransient(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void sameInputGivesSameBytes() throws Exception {
        startDefault();
        byte[] rec = rawRecord("same", "cats", TestImages.png(24, 24, 12));
        send("same", rec);
        send("same", rec);
        List<ProtectedImage> out = published.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).getImage()).isEqualTo(out.get(1).getImage());
    }

    @Test
    void anUnreachableRegistryIsRetriedNotDeadLettered() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean registryUp =
                new java.util.concurrent.atomic.AtomicBoolean(false);
        var real = rawSerde.deserializer();
        start(
                FakeMethod.protector(10),
                LabelPolicy.OPEN,
                new InMemoryLabels(10),
                (topic, bytes) -> {
                    if (!registryUp.get()) {
                        throw new io.scrapeguard.serde.RegistryUnavailableException(
                                "registry down");
                    }
                    return real.deserialize(topic, bytes);
                });
        byte[] rec = rawRecord("r", "cats", TestImages.png(16, 16, 13));
        assertThatThrownBy(() -> send("r", rec))
                .hasRootCauseInstanceOf(io.scrapeguard.serde.RegistryUnavailableException.class);
        assertThat(published.isEmpty()).isTrue();
        assertThat(dead.isEmpty()).as("never dead-lettered").isTrue();
        assertThat(
                        Poisoner.isTransient(
                                new org.apache.kafka.streams.errors.StreamsException(
                                        new io.scrapeguard.serde.RegistryUnavailableException(
                                                "x"))))
                .isTrue();
        // once it is back, the same record is protected
        registryUp.set(true);
        send("r", rec);
        assertThat(published.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("r");
    }
}
