package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.Protector;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.imaging.ImageRejectedException;
import io.scrapeguard.imaging.OutputFormat;
import io.scrapeguard.imaging.RejectReason;
import io.scrapeguard.imaging.TestImages;
import org.junit.jupiter.api.Test;

/** The pipeline without Kafka, with the real AR engine. */
class ImagePipelineTest {
    private final InMemoryLabels labels = new InMemoryLabels(10);

    @Test
    void pngOutputCarriesTheLabelsProcessIntact() throws Exception {
        ImagePipeline pipeline =
                ImagePipeline.png(
                        Harness.protection(), LabelPolicy.OPEN, labels, ImageLimits.DEFAULT);
        byte[] clean = TestImages.png(48, 40, 1);
        for (String label : new String[] {"a", "b", "c"}) {
            PipelineResult r = pipeline.process("id-" + label, label, clean);
            Image8 out = Harness.decode(r.encoded());
            assertThat(Harness.classify(Harness.decode(clean), out)).isEqualTo(r.processIndex());
            assertThat(r.jpegSurvival()).isNull();
            assertThat(r.delivered().l2Ratio()).isGreaterThan(0.8);
        }
        assertThat(pipeline.process("id-a", "a", clean).encoded())
                .as("deterministic")
                .isEqualTo(pipeline.process("id-a", "a", clean).encoded());
    }

    @Test
    void greyImagesAreProtectedToo() throws Exception {
        ImagePipeline pipeline =
                ImagePipeline.png(
                        Harness.protection(), LabelPolicy.OPEN, labels, ImageLimits.DEFAULT);
        byte[] grey = new byte[32 * 32];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (byte) (100 + (i % 32));
        }
        Image8 clean = Image8.of(32, 32, 1, grey);
        PipelineResult r = pipeline.process("g", "a", ImageCodec.encodePng(clean));
        Image8 out = Harness.decode(r.encoded());
        assertThat(out.channels()).isEqualTo(1);
        assertThat(out.pixels()).isNotEqualTo(grey);
    }

    @Test
    void jpegOutputMeasuresHowMuchOfThePerturbationSurvives() throws Exception {
        ImagePipeline jpeg =
                new ImagePipeline(
                        Harness.protection(),
                        LabelPolicy.OPEN,
                        labels,
                        ImageLimits.DEFAULT,
                        OutputFormat.JPEG,
                        60,
                        0.5,
                        PipelineLimits.DEFAULT);
        // quality 60, far enough from 100 that quantisation, not the 4:2:0 chroma subsampling both
        // share, decides the difference
        PipelineResult r = jpeg.process("j", "a", TestImages.png(64, 64, 2));
        assertThat(r.contentType()).isEqualTo("image/jpeg");
        assertThat(r.encoded()[0] & 0xff).isEqualTo(0xFF);
        assertThat(r.jpegSurvival()).isBetween(0.0, 1.0).isLessThan(0.99);
        ImagePipeline q100 =
                new ImagePipeline(
                        Harness.protection(),
                        LabelPolicy.OPEN,
                        labels,
                        ImageLimits.DEFAULT,
                        OutputFormat.JPEG,
                        100,
                        0.5,
                        PipelineLimits.DEFAULT);
        assertThat(q100.process("j", "a", TestImages.png(64, 64, 2)).jpegSurvival())
                .as("less compression keeps more")
                .isGreaterThan(r.jpegSurvival());
    }

    @Test
    void autoOutputPublishesPhotosAsJpegCarryingTheLabelsProcessAndSmallImagesAsPng()
            throws Exception {
        ImagePipeline auto =
                new ImagePipeline(
                        Harness.protection(),
                        LabelPolicy.OPEN,
                        labels,
                        ImageLimits.DEFAULT,
                        OutputFormat.AUTO,
                        90,
                        0.5,
                        PipelineLimits.DEFAULT);
        assertThat(auto.process("small", "a", TestImages.png(64, 64, 2)).contentType())
                .isEqualTo("image/png");
        ImagePipeline tiled =
                new ImagePipeline(
                        new Protector(
                                ArVariants.create(
                                        "ar-tiled", Harness.BANK, Harness.KEY, Harness.BUDGET)),
                        LabelPolicy.OPEN,
                        labels,
                        ImageLimits.DEFAULT,
                        OutputFormat.AUTO,
                        90,
                        0.5,
                        PipelineLimits.DEFAULT);
        for (String label : new String[] {"a", "b", "c", "d"}) {
            byte[] photo = TestImages.png(256, 192, label.charAt(0));
            PipelineResult r = auto.process("photo-" + label, label, photo);
            assertThat(r.contentType()).isEqualTo("image/jpeg");
            // the coarse components sit where JPEG keeps them; 32x32 tiles lose more
            assertThat(r.jpegSurvival())
                    .isGreaterThan(tiled.process("photo-" + label, label, photo).jpegSurvival());
            assertThat(Harness.classify(Harness.decode(photo), Harness.decode(r.encoded())))
                    .isEqualTo(r.processIndex());
        }
    }

    @Test
    void whatIsPublishedAboutTheMethodNamesNoSecret() {
        PerturbationMethod p = Harness.protection().method();
        String coefficient = Double.toString(Harness.BANK.process(0).coefficient(0, 0, 0));
        for (String published :
                new String[] {
                    p.publishedName(),
                    p.bankVersion(),
                    Harness.protection().toString(),
                    Double.toString(p.budget().epsilon())
                }) {
            assertThat(published).doesNotContain(coefficient).doesNotContain("processes");
        }
        assertThat(p.bankVersion()).isEqualTo(Harness.BANK.fingerprint()).hasSizeLessThan(20);
        assertThat(p.publishedName()).isEqualTo("ar-multiscale-l2");
    }

    @Test
    void aPerturbationLeftInACornerIsDeadLetteredAsWeakCoverage() throws Exception {
        byte[] photo = TestImages.png(256, 192, 5);
        ImagePipeline paper =
                ImagePipeline.png(
                        new Protector(
                                ArVariants.create(
                                        "ar-paper", Harness.BANK, Harness.KEY, Harness.BUDGET)),
                        LabelPolicy.OPEN,
                        labels,
                        ImageLimits.DEFAULT);
        // the paper's process 2 grows into the bottom-right corner of a large image
        labels.assign("two-0");
        labels.assign("two-1");
        assertThatThrownBy(() -> paper.process("p", "two-2", photo))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(RejectReason.WEAK_COVERAGE);
                            assertThat(e.getMessage())
                                    .contains("(ar-paper) covers only")
                                    .contains("of the image's 48 regions of 32x32");
                        });
        PipelineResult ok =
                ImagePipeline.png(
                                Harness.protection(), LabelPolicy.OPEN, labels, ImageLimits.DEFAULT)
                        .process("p", "two-2", photo);
        assertThat(ok.processIndex()).isEqualTo(2);
        assertThat(ok.coverage()).isGreaterThanOrEqualTo(0.95);
        assertThat(ok.psnr()).isBetween(33.0, 37.0);
        // the floor is a setting: 0 publishes whatever the method gives
        assertThat(paper.withMinCoverage(0).process("p", "two-2", photo).coverage())
                .isLessThan(0.5);
    }

    @Test
    void imagesTheHeapCannotHoldAreTooLargeRatherThanAnOutOfMemoryError() throws Exception {
        // the limits of a poisoner with -Xmx512m and two stream threads
        ImageLimits limits = ImageLimits.DEFAULT.cappedForHeap(512L << 20, 2);
        assertThat(limits.maxPixels()).isLessThan(4000L * 3000).isGreaterThan(1200L * 900);
        ImagePipeline pipeline =
                ImagePipeline.png(Harness.protection(), LabelPolicy.OPEN, labels, limits);
        // an ordinary 12 MP photo: at -Xmx512m it ran out of memory during the perturbation
        byte[] photo = ImageCodec.encodePng(Image8.of(4000, 3000, 3, new byte[4000 * 3000 * 3]));
        assertThatThrownBy(() -> pipeline.process("photo", "a", photo))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(RejectReason.IMAGE_TOO_LARGE);
                            assertThat(e.getMessage()).contains("4000x3000");
                        });
        byte[] smaller = ImageCodec.encodePng(Image8.of(1200, 900, 3, new byte[1200 * 900 * 3]));
        assertThat(Harness.decode(pipeline.process("smaller", "a", smaller).encoded()).width())
                .isEqualTo(1200);
    }
}
