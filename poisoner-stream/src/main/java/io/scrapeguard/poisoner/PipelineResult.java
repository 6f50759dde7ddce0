package io.scrapeguard.poisoner;

import io.scrapeguard.core.Delivered;

/**
 * One protected image, encoded, with what it delivers (for JPEG output: what survives the encoding).
 *
 * @param jpegSurvival share of the perturbation kept by JPEG output, null for PNG
 */
public record PipelineResult(
        byte[] encoded,
        String contentType,
        int width,
        int height,
        int processIndex,
        Delivered delivered,
        Double jpegSurvival) {}
