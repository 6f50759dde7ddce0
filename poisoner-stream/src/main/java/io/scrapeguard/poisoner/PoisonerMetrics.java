package io.scrapeguard.poisoner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scrapeguard.core.Delivered;
import io.scrapeguard.imaging.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The poisoner's meters, named as docs/metrics.md says (a contract with alerts and dashboards). */
public final class PoisonerMetrics {
    private final MeterRegistry registry;
    private final Counter imagesIn;
    private final Map<String, Counter> protectedByMethod =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<RejectReason, Counter> deadLettered = new EnumMap<>(RejectReason.class);
    private final Timer processing;
    private final DistributionSummary deliveredL2;
    private final DistributionSummary deliveredLinf;
    private final DistributionSummary ratioL2;
    private final DistributionSummary ratioLinf;
    private final DistributionSummary jpegSurvival;
    private final DistributionSummary clipping;
    private final Counter reprocessed;

    /** Per input partition, the highest offset whose outcome was counted. */
    private final Map<String, Long> lastCounted = new java.util.concurrent.ConcurrentHashMap<>();

    private final DistributionSummary coverage;
    private final DistributionSummary psnr;
    private final DistributionSummary ssim;

    public PoisonerMetrics(MeterRegistry registry) {
        this.registry = registry;
        imagesIn =
                Counter.builder("guard.images.in")
                        .description("raw records read")
                        .register(registry);
        for (RejectReason r : RejectReason.values()) {
            deadLettered.put(
                    r,
                    Counter.builder("guard.images.dead.lettered")
                            .description("records sent to the dead-letter topic")
                            .tag("reason", r.tag())
                            .register(registry));
        }
        processing =
                Timer.builder("guard.image.processing")
                        .description("decode + perturb + encode of one image")
                        .publishPercentileHistogram()
                        .register(registry);
        deliveredL2 =
                DistributionSummary.builder("guard.perturbation.delivered.l2")
                        .description("L2 norm of the published perturbation (pixels in [0,1])")
                        .publishPercentiles(0.01, 0.5, 0.99)
                        .register(registry);
        deliveredLinf =
                DistributionSummary.builder("guard.perturbation.delivered.linf")
                        .description("Linf norm of the published perturbation (pixels in [0,1])")
                        .publishPercentiles(0.01, 0.5, 0.99)
                        .register(registry);
        ratioL2 = ratio("l2");
        clipping =
                DistributionSummary.builder("guard.perturbation.clipping.ratio")
                        .description(
                                "delivered / requested L2 after clamping, every perturbed image"
                                        + " (budget-shortfall dead letters too)")
                        .publishPercentiles(0.01, 0.5)
                        .register(registry);
        ratioLinf = ratio("linf");
        jpegSurvival =
                DistributionSummary.builder("guard.perturbation.jpeg.survival")
                        .description("fraction of the perturbation kept after JPEG output")
                        .publishPercentiles(0.01, 0.5)
                        .register(registry);
        coverage =
                DistributionSummary.builder("guard.perturbation.coverage")
                        .description(
                                "share of the image's 32x32 regions carrying at least half the"
                                        + " mean regional energy")
                        .publishPercentiles(0.01, 0.5)
                        .register(registry);
        psnr =
                DistributionSummary.builder("guard.image.psnr")
                        .description("PSNR of the published image against the upload, dB")
                        .publishPercentiles(0.01, 0.5)
                        .register(registry);
        ssim =
                DistributionSummary.builder("guard.image.ssim")
                        .description("SSIM of the published image against the upload (sampled)")
                        .publishPercentiles(0.01, 0.5)
                        .register(registry);
        reprocessed =
                Counter.builder("guard.images.reprocessed")
                        .description(
                                "records processed again after an aborted transaction (not"
                                        + " counted again in in, protected or dead.lettered)")
                        .register(registry);
    }

    /**
     * True the first time an outcome is reached for this input offset in this instance; false for a
     * record met again because its transaction aborted (a fenced or replaced thread), which then
     * counts only as {@code guard.images.reprocessed}. So in = protected + dead.lettered holds
     * under fencing and retries. Records of a partition arrive in offset order.
     */
    public boolean firstOutcome(String topic, int partition, long offset) {
        if (offset < 0) {
            return true; // no input position known: nothing to compare with
        }
        boolean[] first = {false};
        lastCounted.compute(
                topic + "-" + partition,
                (k, last) -> {
                    first[0] = last == null || offset > last;
                    return first[0] ? offset : last;
                });
        if (!first[0]) {
            reprocessed.increment();
        }
        return first[0];
    }

    /** Alerts and dashboards read its mean (sum / count); no per-image percentile bookkeeping. */
    private DistributionSummary ratio(String norm) {
        return DistributionSummary.builder("guard.perturbation.delivered.ratio")
                .description("delivered / requested perturbation norm")
                .tag("norm", norm)
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void imageIn() {
        imagesIn.increment();
    }

    public void protectedImage(String method, PipelineResult r) {
        protectedByMethod
                .computeIfAbsent(
                        method + "\u0000" + r.pattern(),
                        k ->
                                Counter.builder("guard.images.protected")
                                        .description("images published on the protected topic")
                                        .tag("method", method)
                                        .tag("pattern", r.pattern())
                                        .register(registry))
                .increment();
        Delivered d = r.delivered();
        deliveredL2.record(d.deliveredL2());
        deliveredLinf.record(d.deliveredLinf());
        if (d.requestedL2() > 0) {
            ratioL2.record(d.l2Ratio());
        }
        if (d.requestedLinf() > 0) {
            ratioLinf.record(d.linfRatio());
        }
        if (r.jpegSurvival() != null) {
            jpegSurvival.record(r.jpegSurvival());
        }
        coverage.record(r.coverage());
        if (Double.isFinite(r.psnr())) {
            psnr.record(r.psnr());
        }
        if (r.ssim() != null) {
            ssim.record(r.ssim());
        }
    }

    /** What clamping left of one image's perturbation, whether it is published or refused. */
    public void clippingRatio(double ratio) {
        clipping.record(ratio);
    }

    public void deadLettered(RejectReason reason) {
        deadLettered.get(reason).increment();
    }

    public <T> T time(Supplier<T> work) {
        return processing.record(work);
    }

    public void recordProcessing(long nanos) {
        processing.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
