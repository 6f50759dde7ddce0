package io.scrapeguard.auditor;

/** Quiet logs for the auditor's commands: progress lines are the auditor's own output. */
final class AuditLogging {
    private AuditLogging() {}

    static void quiet() {
        io.scrapeguard.service.CliLogging.quiet();
        // DJL warns on every start where CUDA libraries exist but no usable GPU does.
        String key = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "error");
        }
    }
}
