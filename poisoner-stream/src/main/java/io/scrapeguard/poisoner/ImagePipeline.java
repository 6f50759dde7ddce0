package io.scrapeguard.poisoner;

import io.scrapeguard.core.Delivered;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.ProtectedResult;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.RegionCoverage;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageLimits;
import io.scrapeguard.imaging.ImageQuality;
import io.scrapeguard.imaging.ImageRejectedException;
import io.scrapeguard.imaging.OutputFormat;
import io.scrapeguard.imaging.RejectReason;
import io.scrapeguard.schemas.LabelAssignment;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One image from upload bytes to publishable bytes, without Kafka: label policy, decode (header
 * limits first), label to process, perturb, encode. Every data problem is an {@link
 * ImageRejectedException} with its reason; anything else is a bug or an outage and propagates. Also
 * what the codec-bound benchmark measures.
 */
public final class ImagePipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ImagePipeline.class);

    private final Protector protector;
    private final LabelPolicy policy;
    private final LabelResolver labels;
    private final ImageLimits limits;
    private final OutputFormat format;
    private final int jpegQuality;
    private final double jpegSurvivalWarning;
    private final PipelineLimits costs;
    private final double minCoverage;
    private volatile ShortfallFloor shortfall = ShortfallFloor.DEFAULT;
    private volatile java.util.function.DoubleConsumer clippingObserver = ratio -> {};
    private long lastJpegWarning;

    /**
     * Below this share of 32x32 regions carrying half the mean energy an image is dead-lettered
     * (weak-coverage): the paper's Algorithm 2 leaves 0-40% on large images, ar-multiscale and
     * ar-tiled 95-100%; clipping on white or black areas costs part of it, so the floor is lower.
     */
    public static final double DEFAULT_MIN_COVERAGE = 0.5;

    /** SSIM costs about as much as the perturbation: measured on one image in this many. */
    static final int SSIM_SAMPLE = 16;

    public ImagePipeline(
            Protector protector,
            LabelPolicy policy,
            LabelResolver labels,
            ImageLimits limits,
            OutputFormat format,
            int jpegQuality,
            double jpegSurvivalWarning,
            PipelineLimits costs) {
        this(
                protector,
                policy,
                labels,
                limits,
                format,
                jpegQuality,
                jpegSurvivalWarning,
                costs,
                DEFAULT_MIN_COVERAGE);
    }

    private ImagePipeline(
            Protector protector,
            LabelPolicy policy,
            LabelResolver labels,
            ImageLimits limits,
            OutputFormat format,
            int jpegQuality,
            double jpegSurvivalWarning,
            PipelineLimits costs,
            double minCoverage) {
        if (!(minCoverage >= 0 && minCoverage <= 1)) {
            throw new IllegalArgumentException(
                    "the coverage floor must be 0..1, got " + minCoverage);
        }
        this.costs = costs;
        this.minCoverage = minCoverage;
        this.protector = protector;
        this.policy = policy;
        this.labels = labels;
        this.limits = limits;
        this.format = format;
        this.jpegQuality = jpegQuality;
        this.jpegSurvivalWarning = jpegSurvivalWarning;
    }

    public static ImagePipeline png(
            Protector protector, LabelPolicy policy, LabelResolver labels, ImageLimits limits) {
        return png(protector, policy, labels, limits, PipelineLimits.DEFAULT);
    }

    public static ImagePipeline png(
            Protector protector,
            LabelPolicy policy,
            LabelResolver labels,
            ImageLimits limits,
            PipelineLimits costs) {
        return new ImagePipeline(
                protector, policy, labels, limits, OutputFormat.PNG, 90, 0.5, costs);
    }

    /**
     * The delivered-ratio floor under which an image is a {@code budget-shortfall} dead letter, and
     * who hears every perturbed image's ratio (a metric whether published or not). Set before use.
     */
    public ImagePipeline withShortfall(
            ShortfallFloor floor, java.util.function.DoubleConsumer observer) {
        this.shortfall = floor;
        this.clippingObserver = observer;
        return this;
    }

    /** A copy with another weak-coverage floor (0: never reject for coverage). */
    public ImagePipeline withMinCoverage(double share) {
        ImagePipeline copy =
                new ImagePipeline(
                        protector,
                        policy,
                        labels,
                        limits,
                        format,
                        jpegQuality,
                        jpegSurvivalWarning,
                        costs,
                        share);
        return copy.withShortfall(shortfall, clippingObserver);
    }

    /** The method this pipeline protects with (what the published records name). */
    public PerturbationMethod method() {
        return protector.method();
    }

    public PipelineResult process(String imageId, String label, byte[] imageBytes)
            throws ImageRejectedException {
        costs.checkLabel(label);
        if (!policy.accepts(label)) {
            throw new ImageRejectedException(
                    RejectReason.UNKNOWN_LABEL,
                    label == null || label.isBlank()
                            ? "the image has no label"
                            : "label '" + label + "' is not in the configured label list");
        }
        PipelineLimits.Deadline deadline = costs.start();
        Image8 clean = ImageCodec.decode(imageBytes, limits);
        deadline.check("decoding");
        // the label is claimed only for images that decode: garbage never burns a process
        LabelAssignment assignment = labels.assign(label);
        if (!assignment.assigned()) {
            throw new ImageRejectedException(
                    RejectReason.BANK_EXHAUSTED,
                    "no free process for label '"
                            + label
                            + "': the bank's "
                            + protector.method().classes()
                            + " processes are all assigned");
        }
        ProtectedResult p;
        try {
            p = protector.protect(clean, assignment.processIndex(), imageId);
        } catch (IllegalArgumentException e) {
            throw new ImageRejectedException(
                    RejectReason.PROCESSING_ERROR,
                    "cannot perturb the image: " + e.getMessage(),
                    e);
        }
        deadline.check("perturbation");
        if (p.delivered().requestedL2() > 0) {
            clippingObserver.accept(p.delivered().l2Ratio());
        }
        shortfall.check(p.delivered());
        RegionCoverage coverage = p.coverage();
        if (coverage.covered() < minCoverage) {
            throw new ImageRejectedException(
                    RejectReason.WEAK_COVERAGE,
                    String.format(
                            Locale.ROOT,
                            "the perturbation (%s) covers only %.0f%% of the image's %d regions"
                                    + " of 32x32 (floor %.0f%%; peak %.1fx the mean): publishing"
                                    + " it would leave most of the image unprotected",
                            protector.method().name(),
                            100 * coverage.covered(),
                            coverage.regions(),
                            100 * minCoverage,
                            coverage.peak()));
        }
        Double ssim = sampled(imageId) ? ImageQuality.ssim(clean, p.image()) : null;
        String pattern = protector.pattern(clean);
        if (format.forImage(clean.width(), clean.height()) == OutputFormat.PNG) {
            byte[] png = ImageCodec.encodePng(p.image());
            costs.checkOutput(png.length, imageId, label);
            deadline.check("encoding");
            return new PipelineResult(
                    png,
                    OutputFormat.PNG.contentType(),
                    clean.width(),
                    clean.height(),
                    assignment.processIndex(),
                    p.delivered(),
                    null,
                    coverage.covered(),
                    p.psnr(),
                    ssim,
                    pattern);
        }
        byte[] jpeg = ImageCodec.encodeJpeg(p.image(), jpegQuality);
        costs.checkOutput(jpeg.length, imageId, label);
        Image8 published;
        try {
            published = ImageCodec.decode(jpeg, limits);
        } catch (ImageRejectedException e) {
            throw new IllegalStateException("our own JPEG does not decode", e);
        }
        deadline.check("encoding");
        double survival = JpegSurvival.measure(clean, p.image(), published);
        warnIfWeak(survival);
        double[] norms = Deltas.norms(clean, published);
        Delivered requested = p.delivered();
        return new PipelineResult(
                jpeg,
                OutputFormat.JPEG.contentType(),
                clean.width(),
                clean.height(),
                assignment.processIndex(),
                new Delivered(
                        requested.requestedL2(), requested.requestedLinf(), norms[0], norms[1]),
                survival,
                coverage.covered(),
                ImageQuality.psnr(clean, published),
                ssim == null ? null : ImageQuality.ssim(clean, published),
                pattern);
    }

    /** The same images are sampled on every run (by id), so reprocessing gives the same metrics. */
    private static boolean sampled(String imageId) {
        return imageId == null || Math.floorMod(imageId.hashCode(), SSIM_SAMPLE) == 0;
    }

    private synchronized void warnIfWeak(double survival) {
        long now = System.nanoTime();
        if (survival < jpegSurvivalWarning && now - lastJpegWarning > 60_000_000_000L) {
            lastJpegWarning = now;
            LOG.warn(
                    "JPEG output (quality {}) keeps only {}% of the perturbation (warning below"
                            + " {}%): compression strips AR perturbations; publish PNG or raise the"
                            + " quality",
                    jpegQuality, Math.round(survival * 100), Math.round(jpegSurvivalWarning * 100));
        }
    }
}
