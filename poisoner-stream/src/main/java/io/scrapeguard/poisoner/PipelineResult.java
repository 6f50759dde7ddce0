package io.scrapeguard.poisoner;

/**
 * One protected image, encoded, with what was delivered (pixels in [0,1]).
 *
 * @param jpegSurvival share of the perturbation kept by JPEG output, null for PNG
 */
public record PipelineResult(
        byte[] encoded,
        String contentType,
        int width,
        int height,
        int processIndex,
        double deliveredL2,
        double deliveredLinf,
        double requestedL2,
        double requestedLinf,
        Double jpegSurvival) {}
