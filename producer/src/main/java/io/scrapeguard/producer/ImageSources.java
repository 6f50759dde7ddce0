package io.scrapeguard.producer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Turns what the user named into the files to publish. Three sources:
 *
 * <ul>
 *   <li>a folder in the image-folder layout, {@code <root>/<label>/...*.png|jpg}: the label is the
 *       first folder under the root (files directly in the root need {@code --label});
 *   <li>a single image file, with {@code --label};
 *   <li>a CSV manifest ({@code .csv}: {@code path,label} per line, paths relative to the manifest,
 *       an optional header line {@code path,label}).
 * </ul>
 *
 * Files are listed in a stable (sorted) order. Files that are not images by name are skipped.
 */
public final class ImageSources {
    private ImageSources() {}

    /** What was found: files to publish, and files passed over with the reason. */
    public record Listing(List<PublishItem> items, List<Skipped> skipped) {}

    public record Skipped(Path path, String reason) {}

    public static boolean looksLikeImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    public static Listing list(List<Path> inputs, String label) {
        List<PublishItem> items = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                throw new IllegalArgumentException("no such file or folder: " + input);
            }
            if (Files.isDirectory(input)) {
                walkFolder(input, label, items, skipped);
            } else if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                readManifest(input, label, items);
            } else {
                if (label == null) {
                    throw new IllegalArgumentException(
                            "a single file needs --label (the protection class): " + input);
                }
                items.add(new PublishItem(input, label));
            }
        }
        return new Listing(items, skipped);
    }

    private static void walkFolder(
            Path root, String label, List<PublishItem> items, List<Skipped> skipped) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read folder " + root + ": " + e.getMessage(), e);
        }
        for (Path f : files) {
            Path rel = root.relativize(f);
            if (isHidden(rel)) {
                continue;
            }
            if (!looksLikeImage(f)) {
                skipped.add(new Skipped(f, "not an image file"));
                continue;
            }
            String l = label;
            if (l == null) {
                if (rel.getNameCount() < 2) {
                    skipped.add(
                            new Skipped(f, "no label (not inside a <label>/ folder; use --label)"));
                    continue;
                }
                l = rel.getName(0).toString();
            }
            items.add(new PublishItem(f, l));
        }
    }

    private static boolean isHidden(Path rel) {
        for (Path part : rel) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static void readManifest(Path csv, String defaultLabel, List<PublishItem> items) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read manifest " + csv + ": " + e.getMessage(), e);
        }
        Path base = csv.toAbsolutePath().getParent();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            List<String> cols = splitCsv(t);
            if (lineNo == 1 && cols.get(0).equalsIgnoreCase("path")) {
                continue; // header
            }
            String label = cols.size() > 1 && !cols.get(1).isBlank() ? cols.get(1) : defaultLabel;
            if (label == null) {
                throw new IllegalArgumentException(
                        csv + ":" + lineNo + ": no label (expected path,label)");
            }
            Path p = Path.of(cols.get(0));
            items.add(new PublishItem(p.isAbsolute() ? p : base.resolve(p), label.strip()));
        }
    }

    /** Splits one CSV line; double quotes may wrap a field containing commas. */
    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (ch == ',' && !quoted) {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString().strip());
        return out;
    }
}
