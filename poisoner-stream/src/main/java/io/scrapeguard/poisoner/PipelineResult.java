package io.scrapeguard.poisoner;

import io.scrapeguard.core.Delivered;

/**
 * One protected image, encoded, with what it delivers (for JPEG output: what survives the
 * encoding).
 *
 * @param jpegSurvival share of the perturbation kept by JPEG output, null for PNG
 * @param coverage share of the image's 32x32 regions that carry their part of the energy
 * @param psnr PSNR of the published image against the upload, dB
 * @param ssim its SSIM, measured on a sample of the images (null when not measured)
 * @param pattern what the perturbation carries ({@link io.scrapeguard.core.Protector#pattern})
 */
public record PipelineResult(
        byte[] encoded,
        String contentType,
        int width,
        int height,
        int processIndex,
        Delivered delivered,
        Double jpegSurvival,
        double coverage,
        double psnr,
        Double ssim,
        String pattern) {}
