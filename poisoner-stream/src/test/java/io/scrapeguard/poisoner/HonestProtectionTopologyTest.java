package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.Protector;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.imaging.TestImages;
import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.ProtectedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is published is protected for real (issue 18): the budget goes to visible pixels, the image
 * is upright, a black one gets headroom, and one that clamping leaves mostly unprotected is a dead
 * letter, through the real topology and the real AR method.
 */
class HonestProtectionTopologyTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    @TempDir Path stateDir;
    private PoisonerDriver poisoner;
    private TestOutputTopic<String, ProtectedImage> published;
    private TestOutputTopic<String, byte[]> dead;

    private void start(ShortfallFloor floor) {
        start(floor, Harness.protection());
    }

    private void start(ShortfallFloor floor, Protector protection) {
        PoisonerMetrics metrics = new PoisonerMetrics(registry);
        ImagePipeline pipeline =
                ImagePipeline.png(
                                protection,
                                LabelPolicy.strict(java.util.Set.of("cats")),
                                new InMemoryLabels(10),
                                ImageLimits.DEFAULT)
                        .withShortfall(floor, metrics::clippingRatio);
        poisoner = new PoisonerDriver(pipeline, metrics, stateDir);
        published = poisoner.published;
        dead = poisoner.dead;
    }

    @AfterEach
    void close() {
        if (poisoner != null) {
            poisoner.close();
        }
    }

    @Test
    void aBlackImageGetsHeadroomAndOneTheRangeCannotHoldIsRefusedMeasuredEitherWay()
            throws Exception {
        byte[] black = ImageCodec.encodePng(Image8.of(32, 32, 3, new byte[32 * 32 * 3]));
        byte[] picture = TestImages.png(32, 32, 5);

        start(new ShortfallFloor(0.8));
        send("black", black);
        send("picture", picture);
        assertThat(published.readKeyValuesToList())
                .extracting(kv -> kv.key)
                .containsExactly("black", "picture");
        DistributionSummary clipping = registry.get("guard.perturbation.clipping.ratio").summary();
        assertThat(clipping.count()).isEqualTo(2);
        // clamping on black removes every negative sample (about 0.7 of the L2 was left before
        // the protector scaled the draw up): both carry the budget
        assertThat(clipping.totalAmount() - clipping.max())
                .as("black's, with headroom")
                .isGreaterThan(0.95);
        close();

        // RMS of hundreds of levels: no image's range holds it, scaling up cannot bring it back
        start(
                new ShortfallFloor(0.8),
                new Protector(
                        ArVariants.create(
                                ArVariants.DEFAULT, Harness.BANK, Harness.KEY, Budget.l2(100))));
        send("black", black);
        send("picture", picture);
        assertThat(published.readKeyValuesToList()).isEmpty();
        assertThat(reasons())
                .containsOnly(
                        Map.entry("black", "budget-shortfall"),
                        Map.entry("picture", "budget-shortfall"));
        DistributionSummary refused = registry.get("guard.perturbation.clipping.ratio").summary();
        assertThat(refused.count()).as("measured whether published or not").isEqualTo(4);
        assertThat(
                        registry.counter("guard.images.dead.lettered", "reason", "budget-shortfall")
                                .count())
                .isEqualTo(2);
    }

    @Test
    void transparentPixelsArePublishedUntouchedAndAnInvisibleImageIsRefused() throws Exception {
        Image8 picture = TestImages.picture(40, 30, 8);
        byte[] alpha = new byte[40 * 30];
        for (int p = 0; p < alpha.length; p++) {
            alpha[p] = (byte) (p % 40 < 20 ? 0 : 255);
        }
        byte[] halfVisible = ImageCodec.encodePng(Image8.of(40, 30, 3, picture.pixels(), alpha));
        byte[] invisible =
                ImageCodec.encodePng(Image8.of(40, 30, 3, picture.pixels(), new byte[40 * 30]));

        start(ShortfallFloor.DEFAULT);
        send("half", halfVisible);
        send("invisible", invisible);

        List<ProtectedImage> out = published.readValuesToList();
        assertThat(out).hasSize(1);
        Image8 protectedImage = ImageCodec.decode(out.get(0).getImage().array());
        byte[] before = picture.pixels();
        byte[] after = protectedImage.pixels();
        double visibleSq = 0;
        for (int p = 0; p < alpha.length; p++) {
            for (int c = 0; c < 3; c++) {
                int e = (after[p * 3 + c] & 0xFF) - (before[p * 3 + c] & 0xFF);
                if (alpha[p] == 0) {
                    assertThat(e).as("transparent pixel %d", p).isZero();
                }
                visibleSq += (double) e * e;
            }
        }
        // the whole budget on the visible half, not half of it
        double epsilon = Harness.BUDGET.epsilonFor(30, 40, 3);
        assertThat(Math.sqrt(visibleSq) / 255).isCloseTo(epsilon, within(0.1 * epsilon));
        assertThat(protectedImage.alpha()).isEqualTo(alpha);
        assertThat(reasons()).containsExactly(Map.entry("invisible", "budget-shortfall"));
    }

    @Test
    void aJpegStoredSidewaysIsPublishedUpright() throws Exception {
        start(ShortfallFloor.DEFAULT);
        send("sideways", TestImages.jpegWithOrientation(48, 32, 6, false));
        ProtectedImage out = published.readValuesToList().get(0);
        Image8 upright = ImageCodec.decode(out.getImage().array());
        assertThat(upright.width()).isEqualTo(32);
        assertThat(upright.height()).isEqualTo(48);
        assertThat(out.getWidth()).isEqualTo(32);
        assertThat(out.getHeight()).isEqualTo(48);
        // the block stored top-left shows top-right once turned right
        assertThat(upright.sample(2, 29, 0)).isGreaterThan(200);
        assertThat(upright.sample(2, 2, 0)).isLessThan(120);
    }

    private Map<String, String> reasons() {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (TestRecord<String, byte[]> r : dead.readRecordsToList()) {
            reasons.put(r.key(), DeadLetterHeaders.read(r.headers()).reason());
        }
        return reasons;
    }

    private void send(String id, byte[] image) {
        poisoner.send(id, PoisonerDriver.rawRecord(id, "cats", image));
    }
}
