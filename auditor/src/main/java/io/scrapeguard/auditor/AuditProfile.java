package io.scrapeguard.auditor;

import io.scrapeguard.core.gpu.Accelerators;
import java.util.Locale;

/**
 * A canary recipe and sample size. {@code cpu-small} is what two CPU cores can train in minutes (a
 * 3-conv CNN, Adam, crop without flip: a flip mirrors the AR process and hides the shortcut);
 * {@code paper} is the recipe of the AR-poisoning paper (ResNet-18, SGD 0.1 / 0.9 / 5e-4, batch
 * 128, crop + flip, 100 epochs, lr x0.1 at epoch 50), for a GPU.
 */
public record AuditProfile(
        String name,
        Model model,
        boolean sgd,
        float learningRate,
        float momentum,
        float weightDecay,
        int batchSize,
        int epochs,
        int lrDropEpoch,
        int cropPadding,
        boolean flip,
        int seeds,
        int maxPairsPerLabel,
        int probeMinSteps,
        int linearEpochs,
        boolean canaryDecides) {

    public enum Model {
        SMALL_CNN,
        RESNET18
    }

    public static final String CPU_SMALL = "cpu-small";
    public static final String PAPER = "paper";

    public static AuditProfile cpuSmall() {
        return new AuditProfile(
                CPU_SMALL,
                Model.SMALL_CNN,
                false,
                1e-3f,
                0f,
                0f,
                64,
                15,
                -1,
                4,
                false,
                2,
                500,
                40,
                20,
                false);
    }

    public static AuditProfile paper() {
        return new AuditProfile(
                PAPER,
                Model.RESNET18,
                true,
                0.1f,
                0.9f,
                5e-4f,
                128,
                100,
                50,
                4,
                true,
                2,
                5000,
                60,
                30,
                true);
    }

    /** {@code paper} when {@link Accelerators} finds a GPU, {@code cpu-small} otherwise. */
    public static AuditProfile automatic() {
        return Accelerators.gpuAvailable() ? paper() : cpuSmall();
    }

    /** A profile by name ("auto", "cpu-small", "paper"). */
    public static AuditProfile named(String name) {
        return switch (name == null ? "auto" : name.toLowerCase(Locale.ROOT)) {
            case "auto" -> automatic();
            case CPU_SMALL -> cpuSmall();
            case PAPER -> paper();
            default ->
                    throw new IllegalArgumentException(
                            "unknown profile '" + name + "' (choose auto, cpu-small or paper)");
        };
    }

    /** The same recipe with fewer or more epochs; the lr drop stays at the same fraction. */
    public AuditProfile withEpochs(int newEpochs) {
        if (newEpochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + newEpochs);
        }
        int drop = lrDropEpoch < 0 ? -1 : Math.max(1, lrDropEpoch * newEpochs / epochs);
        return with(newEpochs, drop, flip, seeds, maxPairsPerLabel);
    }

    /**
     * The same recipe with or without random horizontal flips: most training recipes flip, and a
     * flip mirrors what a perturbation draws (an AR process, a wave's orientation).
     */
    public AuditProfile withFlip(boolean newFlip) {
        return with(epochs, lrDropEpoch, newFlip, seeds, maxPairsPerLabel);
    }

    public AuditProfile withSeeds(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("seeds must be at least 1, got " + n);
        }
        return with(epochs, lrDropEpoch, flip, n, maxPairsPerLabel);
    }

    public AuditProfile withMaxPairsPerLabel(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("max pairs per label must be at least 2, got " + n);
        }
        return with(epochs, lrDropEpoch, flip, seeds, n);
    }

    /** This recipe with the fields the withers change; the rest stays. */
    private AuditProfile with(
            int newEpochs, int newLrDropEpoch, boolean newFlip, int newSeeds, int newMaxPairs) {
        return new AuditProfile(
                name,
                model,
                sgd,
                learningRate,
                momentum,
                weightDecay,
                batchSize,
                newEpochs,
                newLrDropEpoch,
                cropPadding,
                newFlip,
                newSeeds,
                newMaxPairs,
                probeMinSteps,
                linearEpochs,
                canaryDecides);
    }

    /** The largest training resolution whose canaries this profile trains by default. */
    public int canaryMaxResolution() {
        return model == Model.SMALL_CNN ? 64 : Integer.MAX_VALUE;
    }

    /** Canary seeds under a pipeline other than native (cpu-small: one, to fit its budget). */
    public int scraperCanarySeeds() {
        return model == Model.SMALL_CNN ? 1 : seeds;
    }

    public String describe() {
        String net = model == Model.RESNET18 ? "ResNet-18" : "3-conv CNN";
        String opt =
                sgd
                        ? String.format(
                                Locale.ROOT,
                                "SGD lr %s momentum %s wd %s",
                                learningRate,
                                momentum,
                                weightDecay)
                        : String.format(Locale.ROOT, "Adam lr %s", learningRate);
        return String.format(
                Locale.ROOT,
                "%s: %s, %s, batch %d, %d epochs%s, crop%s, %d seed(s)",
                name,
                net,
                opt,
                batchSize,
                epochs,
                lrDropEpoch > 0 ? ", lr x0.1 at epoch " + lrDropEpoch : "",
                flip ? " + flip" : " (no flip)",
                seeds);
    }
}
