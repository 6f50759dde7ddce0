package io.scrapeguard.auditor;

import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ClassFreeGaussianNoise;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.dataset.SyntheticDataset;
import io.scrapeguard.imaging.Image8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test data made here: the generated dataset, protected by core's AR method (label index = sorted
 * label order, as the poisoner's label assignment does for a fresh bank), or by class-free noise of
 * the same budget, optionally re-encoded as JPEG.
 */
final class Fixtures {

    /**
     * The live auditor's quickest real configuration (cpu-small, one epoch, one seed, no defence
     * canaries, audits on demand, audit seed 3), with {@code more} key/value pairs over it.
     */
    static AuditorConfig quickAuditor(String... more) {
        Map<String, String> m =
                new HashMap<>(
                        Map.of(
                                "auditor.profile", "cpu-small",
                                "auditor.epochs", "1",
                                "auditor.seeds", "1",
                                "auditor.defences", "false",
                                "auditor.interval", "0",
                                "auditor.seed", "3"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return AuditorConfig.from(m);
    }

    static final SeedingKey KEY = SeedingKey.of("auditor-tests");

    private Fixtures() {}

    static Path dataset(Path dir, int classes, int perClass, int size) throws IOException {
        new SyntheticDataset(classes, size, 11).write(dir, perClass, line -> {});
        return dir;
    }

    static PerturbationMethod ar() {
        return new ArPerturbationMethod(ProcessBank.paperDefault(), KEY, Budget.defaultL2());
    }

    static PerturbationMethod noise(int classes) {
        return new ClassFreeGaussianNoise(KEY, Budget.defaultL2(), classes);
    }

    /** Writes every image of {@code raw} protected by {@code method}, as PNG or JPEG-75. */
    static Path protect(Path raw, Path out, PerturbationMethod method, boolean jpeg75)
            throws IOException {
        List<Path> labels;
        try (Stream<Path> s = Files.list(raw)) {
            labels = s.filter(Files::isDirectory).sorted().toList();
        }
        Protector protector = new Protector(method);
        for (int k = 0; k < labels.size(); k++) {
            Path labelDir = labels.get(k);
            Path target = Files.createDirectories(out.resolve(labelDir.getFileName().toString()));
            List<Path> files;
            try (Stream<Path> s = Files.list(labelDir)) {
                files = s.sorted().toList();
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = labelDir.getFileName() + "/" + name;
                Image8 img = AuditImage.read(f).toImage8();
                Image8 prot = protector.protect(img, k, id).image();
                String stem = name.substring(0, name.lastIndexOf('.'));
                if (jpeg75) {
                    Files.write(
                            target.resolve(stem + ".jpg"), AuditImage.of(prot).encodeJpeg(0.75f));
                } else {
                    Files.write(target.resolve(stem + ".png"), prot.encodePng());
                }
            }
        }
        return out;
    }
}
