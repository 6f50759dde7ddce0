package io.scrapeguard.auditor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Pairs two folders in the image-folder layout ({@code <root>/<label>/<id>.<ext>}) by relative path
 * without the extension, so {@code cat/1.png} pairs with {@code cat/1.jpg}. Labels are the first
 * folder under the root. At most {@code maxPerLabel} pairs per label are decoded, chosen by a
 * seeded shuffle, so a huge folder costs no more than the sample. A pair's id is the SHA-256 of the
 * raw file's bytes, the id the producer gives a published image, so an offline audit and a live
 * audit of the same images split them the same way.
 */
public final class PairedFolders {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** The pairs found and what was left out. */
    public record Pairing(List<ImagePair> pairs, SkipCounts skipped) {}

    private PairedFolders() {}

    public static Pairing pair(
            Path rawRoot, Path protectedRoot, int maxPerLabel, long seed, Consumer<String> progress)
            throws IOException {
        requireFolder(rawRoot, "--raw");
        requireFolder(protectedRoot, "--protected");
        SkipCounts skipped = new SkipCounts();
        Map<String, Path> raw = index(rawRoot, skipped);
        Map<String, Path> prot = index(protectedRoot, skipped);

        Map<String, List<String>> keysByLabel = new TreeMap<>();
        for (String key : prot.keySet()) {
            if (!raw.containsKey(key)) {
                skipped.add(SkipCounts.MISSING_ORIGINAL);
            } else {
                keysByLabel.computeIfAbsent(labelOf(key), l -> new ArrayList<>()).add(key);
            }
        }
        for (String key : raw.keySet()) {
            if (!prot.containsKey(key)) {
                skipped.add(SkipCounts.MISSING_PROTECTED);
            }
        }
        List<String> chosen = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : keysByLabel.entrySet()) {
            List<String> keys = e.getValue();
            Collections.sort(keys);
            Collections.shuffle(keys, new Random(seed ^ e.getKey().hashCode()));
            int take = Math.min(keys.size(), maxPerLabel);
            skipped.add(SkipCounts.OVER_SAMPLE_CAP, keys.size() - take);
            chosen.addAll(keys.subList(0, take));
        }
        progress.accept(
                String.format(
                        Locale.ROOT,
                        "audit: pairing %d raw and %d protected files: %d pairs to decode in %d"
                                + " labels",
                        raw.size(),
                        prot.size(),
                        chosen.size(),
                        keysByLabel.size()));

        List<ImagePair> pairs = new ArrayList<>(Collections.nCopies(chosen.size(), null));
        java.util.stream.IntStream.range(0, chosen.size())
                .parallel()
                .forEach(
                        i -> {
                            String key = chosen.get(i);
                            try {
                                byte[] rawBytes = Files.readAllBytes(raw.get(key));
                                AuditImage r = AuditImage.decode(rawBytes);
                                AuditImage p = AuditImage.read(prot.get(key));
                                if (!r.sameShape(p)) {
                                    skipped.add(SkipCounts.SIZE_MISMATCH);
                                } else {
                                    pairs.set(
                                            i,
                                            new ImagePair(
                                                    ImagePair.idOf(rawBytes), labelOf(key), r, p));
                                }
                            } catch (IOException | RuntimeException e) {
                                skipped.add(SkipCounts.UNREADABLE);
                            }
                        });
        pairs.removeIf(java.util.Objects::isNull);
        return new Pairing(keepDominantShape(pairs, skipped), skipped);
    }

    /**
     * Canaries need one input shape: pairs of any other shape are skipped and counted. The shape of
     * most pairs is kept (on a tie, the first in shape order), whatever the pairs' order. {@link
     * Auditor#audit} applies it to the pairs of every path; a second application changes nothing.
     */
    public static List<ImagePair> keepDominantShape(List<ImagePair> pairs, SkipCounts skipped) {
        Map<String, Integer> byShape = new TreeMap<>();
        for (ImagePair p : pairs) {
            byShape.merge(p.raw().shape(), 1, Integer::sum);
        }
        if (byShape.size() <= 1) {
            return pairs;
        }
        String dominant = null;
        for (Map.Entry<String, Integer> e : byShape.entrySet()) {
            if (dominant == null || e.getValue() > byShape.get(dominant)) {
                dominant = e.getKey();
            }
        }
        List<ImagePair> kept = new ArrayList<>();
        for (ImagePair p : pairs) {
            if (p.raw().shape().equals(dominant)) {
                kept.add(p);
            } else {
                skipped.add(SkipCounts.OTHER_SIZE);
            }
        }
        return kept;
    }

    private static Map<String, Path> index(Path root, SkipCounts skipped) throws IOException {
        Map<String, Path> byKey = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                int dot = rel.lastIndexOf('.');
                String ext = dot < 0 ? "" : rel.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (!IMAGE_EXTENSIONS.contains(ext)) {
                    continue;
                }
                if (!rel.contains("/")) {
                    skipped.add(SkipCounts.NO_LABEL);
                    continue;
                }
                byKey.put(rel.substring(0, dot), f);
            }
        }
        return byKey;
    }

    static String labelOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    private static void requireFolder(Path dir, String option) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is not a folder");
        }
    }
}
