package io.scrapeguard.auditor;

import io.scrapeguard.imaging.scraper.ScraperPipeline;

/**
 * An audit sample as a scraper sees it: the pipeline applied to the original and to the published
 * image of every pair with the same per-image seed, so the pair's delta is what survives.
 */
final class ScrapedSample {
    private ScrapedSample() {}

    static AuditSample of(AuditSample s, ScraperPipeline pipeline, long seed) {
        if (pipeline.steps().isEmpty()) {
            return s;
        }
        return s.mapped(
                p -> {
                    long imageSeed = seed * 0x9E3779B97F4A7C15L + p.id().hashCode();
                    return new ImagePair(
                            p.id(),
                            p.label(),
                            AuditImage.of(pipeline.apply(p.raw().toImage8(), imageSeed)),
                            AuditImage.of(pipeline.apply(p.published().toImage8(), imageSeed)));
                });
    }

    /** Whether every image came through unchanged (e.g. resize:32 of 32x32 images). */
    static boolean unchanged(AuditSample original, AuditSample scraped) {
        if (original == scraped) {
            return true;
        }
        for (int i = 0; i < original.train().size(); i++) {
            if (!same(original.train().get(i), scraped.train().get(i))) {
                return false;
            }
        }
        for (int i = 0; i < original.test().size(); i++) {
            if (!same(original.test().get(i), scraped.test().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(ImagePair a, ImagePair b) {
        return a.raw().sameShape(b.raw())
                && java.util.Arrays.equals(a.raw().pixels(), b.raw().pixels())
                && java.util.Arrays.equals(a.published().pixels(), b.published().pixels());
    }
}
