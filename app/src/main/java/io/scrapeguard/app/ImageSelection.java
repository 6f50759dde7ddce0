package io.scrapeguard.app;

import io.scrapeguard.producer.PublishItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A seeded sample of at most N images per label, so a demo on 60,000 images stays a demo. */
final class ImageSelection {

    record Sample(List<PublishItem> items, int labels, int available) {}

    private ImageSelection() {}

    /** At most {@code perLabel} items of every label (0 = all), the same ones for the same seed. */
    static Sample perLabel(List<PublishItem> all, int perLabel, long seed) {
        Map<String, List<PublishItem>> byLabel = new LinkedHashMap<>();
        for (PublishItem item : all) {
            byLabel.computeIfAbsent(item.label(), l -> new ArrayList<>()).add(item);
        }
        List<PublishItem> out = new ArrayList<>();
        for (Map.Entry<String, List<PublishItem>> e : byLabel.entrySet()) {
            List<PublishItem> items = new ArrayList<>(e.getValue());
            items.sort(Comparator.comparing(i -> i.path().toString()));
            if (perLabel > 0 && items.size() > perLabel) {
                Collections.shuffle(items, new Random(seed * 31 + e.getKey().hashCode()));
                items = new ArrayList<>(items.subList(0, perLabel));
                items.sort(Comparator.comparing(i -> i.path().toString()));
            }
            out.addAll(items);
        }
        return new Sample(out, byLabel.size(), all.size());
    }
}
