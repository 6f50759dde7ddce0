package io.scrapeguard.bench.audit;

import io.scrapeguard.auditor.AuditImage;
import io.scrapeguard.auditor.ImagePair;
import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ClassFreeGaussianNoise;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.scraper.ScraperPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * (original, protected) pairs of real labelled photos in memory: the first pairs/labels images of
 * each label (sorted by name), optionally upscaled with the scrapers' bicubic, protected as the
 * poisoner would (label index = sorted label order), optionally scraped afterwards.
 */
final class PhotoPairs {
    private PhotoPairs() {}

    static List<ImagePair> load(
            Path dir, int pairs, int upscale, String method, Budget budget, String scraped)
            throws IOException {
        ScraperPipeline scraper = scraped == null ? null : ScraperPipeline.parse(scraped);
        List<Path> labels;
        try (Stream<Path> s = Files.list(dir)) {
            labels = s.filter(Files::isDirectory).sorted().toList();
        }
        int perLabel = pairs / labels.size();
        Protector protector = new Protector(method(method, labels.size(), budget));
        ScraperPipeline up = upscale > 0 ? ScraperPipeline.parse("resize:" + upscale) : null;
        List<ImagePair> out = new ArrayList<>();
        for (int k = 0; k < labels.size(); k++) {
            List<Path> files;
            try (Stream<Path> s = Files.list(labels.get(k))) {
                files = s.sorted().limit(perLabel).toList();
            }
            String label = labels.get(k).getFileName().toString();
            for (Path f : files) {
                String id = label + "/" + f.getFileName();
                Image8 img = AuditImage.read(f).toImage8();
                if (up != null) {
                    img = up.apply(img, 0);
                }
                Image8 prot = protector.protect(img, k, id).image();
                if (scraper != null) { // what the auditor does per pipeline, done up front
                    long seed = id.hashCode();
                    img = scraper.apply(img, seed);
                    prot = scraper.apply(prot, seed);
                }
                out.add(new ImagePair(id, label, AuditImage.of(img), AuditImage.of(prot)));
            }
        }
        return out;
    }

    static PerturbationMethod method(String name, int classes, Budget budget) {
        SeedingKey key = SeedingKey.of("bench");
        return switch (name) {
            case "ar" -> new ArPerturbationMethod(ProcessBank.paperDefault(), key, budget);
            case "ar-tile32" ->
                    new ArPerturbationMethod(ProcessBank.paperDefault(), key, budget, 32);
            case "noise" -> new ClassFreeGaussianNoise(key, budget, classes);
            default -> // a method name as --method takes it elsewhere, e.g. ar-multiscale
                    ArVariants.create(name, ProcessBank.paperDefault(), key, budget);
        };
    }
}
