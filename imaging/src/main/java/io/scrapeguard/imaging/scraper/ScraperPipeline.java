package io.scrapeguard.imaging.scraper;

import io.scrapeguard.imaging.Image8;
import java.util.ArrayList;
import java.util.List;

/**
 * What a scraper does to a published image before training on it, written {@code STEP[+STEP...]}
 * with steps {@code native}, {@code jpeg:Q}, {@code resize:R}, {@code gray}, {@code crop:F} and
 * {@code unwave} (a scraper that fits ScrapeGuard's public class waves out), e.g. {@code
 * resize:224+jpeg:95} (img2dataset's defaults). The auditor and the robustness benchmark apply the
 * same pipeline to an original and to its protected copy, with the same seed, so that their
 * difference is the perturbation that survives the scraper.
 */
public record ScraperPipeline(String name, List<ScraperStep> steps) {
    /**
     * The pipelines a scraper commonly applies; {@code resize:224+jpeg:95} only for images over
     * 224.
     */
    public static final List<String> BUILT_IN =
            List.of("native", "jpeg:95", "jpeg:75", "resize:32", "resize:64", "gray");

    /** img2dataset's defaults, built in where images are larger than 224 on the short side. */
    public static final String IMG2DATASET = "resize:224+jpeg:95";

    public ScraperPipeline {
        steps = List.copyOf(steps);
    }

    /** Parses {@code STEP[+STEP...]}; a clear IllegalArgumentException for anything else. */
    public static ScraperPipeline parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "an empty scraper pipeline: use e.g. native or resize:224+jpeg:95");
        }
        List<ScraperStep> steps = new ArrayList<>();
        for (String part : spec.split("\\+")) {
            steps.add(ScraperStep.parse(part));
        }
        List<ScraperStep> effective =
                steps.stream().filter(s -> !(s instanceof ScraperStep.Native)).toList();
        String name =
                effective.isEmpty()
                        ? "native"
                        : String.join("+", effective.stream().map(ScraperStep::spec).toList());
        return new ScraperPipeline(name, effective);
    }

    /** The built-in set for images whose short side is {@code shortSide} pixels. */
    public static List<ScraperPipeline> builtIn(int shortSide) {
        List<ScraperPipeline> out = new ArrayList<>();
        for (String s : BUILT_IN) {
            out.add(parse(s));
        }
        if (shortSide > 224) {
            out.add(parse(IMG2DATASET));
        }
        return out;
    }

    /** The image after every step, in order; {@code seed} fixes the random ones (crop). */
    public Image8 apply(Image8 image, long seed) {
        Image8 out = image;
        long s = seed;
        for (ScraperStep step : steps) {
            out = step.apply(out, s);
            s = s * 0x9E3779B97F4A7C15L + 1;
        }
        return out;
    }

    /**
     * The side of the square images the scraper trains at: the last {@code resize:R}, or 0 when the
     * pipeline keeps the published size.
     */
    public int resolution() {
        int r = 0;
        for (ScraperStep step : steps) {
            if (step.resolution() > 0) {
                r = step.resolution();
            }
        }
        return r;
    }

    /**
     * The training resolution for images of {@code nativeSide}: the resize's, else the native one.
     */
    public int resolutionFor(int nativeSide) {
        int r = resolution();
        return r > 0 ? r : nativeSide;
    }

    @Override
    public String toString() {
        return name;
    }
}
