package io.scrapeguard.core.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The one rule for "is there a GPU here": the GPUs DJL's PyTorch engine sees. The AR backend's
 * {@code auto}, the auditor's {@code auto} profile and training device, and the demo all ask here,
 * so they can never disagree.
 */
public final class Accelerators {
    /** The DJL engine ScrapeGuard runs on. */
    public static final String ENGINE = "PyTorch";

    private Accelerators() {}

    /** GPUs the PyTorch engine sees; 0 when the engine cannot load (callers fall back to CPU). */
    public static int gpuCount() {
        try {
            return Engine.getEngine(ENGINE).getGpuCount();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    public static boolean gpuAvailable() {
        return gpuCount() > 0;
    }

    /** Where tensors go: the first GPU when there is one, else the CPU. */
    public static Device preferredDevice() {
        return gpuAvailable() ? Device.gpu() : Device.cpu();
    }
}
