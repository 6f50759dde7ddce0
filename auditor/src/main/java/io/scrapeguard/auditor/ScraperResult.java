package io.scrapeguard.auditor;

import java.awt.image.BufferedImage;

/**
 * What one scraper pipeline leaves of the protection: the cheap signals on the delivered deltas,
 * the canaries at the pipeline's resolution where the profile affords them (else null), and the
 * pipeline's verdict. {@code sameAs} names an earlier pipeline that delivered identical images
 * (e.g. resize:32 of 32x32 images), whose measurements this row reuses.
 */
public record ScraperResult(
        String name,
        String imageShape,
        String sameAs,
        Integrity integrity,
        Separability separability,
        CanaryReading canaries,
        Verdict verdict,
        BufferedImage sample,
        double seconds) {

    public boolean efficacyMeasured() {
        return verdict.signal().equals("efficacy") || verdict.signal().startsWith("defence:");
    }

    public boolean canariesRan() {
        return canaries != null;
    }

    ScraperResult renamed(String newName, String original, double secs) {
        return new ScraperResult(
                newName,
                imageShape,
                original,
                integrity,
                separability,
                canaries,
                verdict,
                sample,
                secs);
    }
}
