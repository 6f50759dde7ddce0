package io.scrapeguard.auditor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A bounded sample, per label, of (raw, protected) pairs joined by image id from the raw and the
 * protected topics. Each side waits for the other in a bounded pending map; a joined pair enters
 * its label's reservoir (Algorithm R, seeded), so the sample stays uniform over everything seen
 * while memory stays bounded. While a label has no more pairs than its capacity, it holds all of
 * them, so an audit of the reservoir equals the offline audit of the same images. A record of a
 * pair already in the sample (a redelivery: the raw and the protected topics are read in no fixed
 * interleaving) is not parked as a half waiting for its twin: a raw one changes nothing (its id is
 * its bytes' hash), a protected one replaces the pair's published image. Thread-safe.
 */
public final class PairReservoir {
    public static final String UNMATCHED_EVICTED = "unmatched-evicted";
    public static final String LABEL_MISMATCH = "label-mismatch";

    private record Side(String label, byte[] encoded) {}

    private final int perLabel;
    private final int maxPending;
    private final Random random;
    private final Map<String, Side> pendingRaw = new LinkedHashMap<>();
    private final Map<String, Side> pendingProtected = new LinkedHashMap<>();
    private final Map<String, List<ImagePair>> byLabel = new HashMap<>();
    private final Map<String, ImagePair> sampled = new HashMap<>();
    private final Map<String, Long> seenByLabel = new HashMap<>();
    private final SkipCounts skipped = new SkipCounts();
    private long joined;

    public PairReservoir(int perLabel, int maxPending, long seed) {
        if (perLabel < 1 || maxPending < 1) {
            throw new IllegalArgumentException("reservoir sizes must be positive");
        }
        this.perLabel = perLabel;
        this.maxPending = maxPending;
        this.random = new Random(seed);
    }

    /** An image from the raw topic (its encoded bytes stay inside the auditor). */
    public synchronized void offerRaw(String imageId, String label, byte[] encoded) {
        Side other = pendingProtected.remove(imageId);
        ImagePair in = sampled.get(imageId);
        if (other == null && in != null && in.label().equals(label)) {
            return; // redelivered: the pair is in the sample
        }
        if (other == null) {
            park(pendingRaw, imageId, new Side(label, encoded));
        } else {
            join(imageId, new Side(label, encoded), other);
        }
    }

    /** An image from the protected topic. */
    public synchronized void offerProtected(String imageId, String label, byte[] encoded) {
        Side other = pendingRaw.remove(imageId);
        ImagePair in = sampled.get(imageId);
        if (other == null && in != null && in.label().equals(label)) {
            rejoin(in, encoded); // redelivered or published again: the latest version counts
            return;
        }
        if (other == null) {
            park(pendingProtected, imageId, new Side(label, encoded));
        } else {
            join(imageId, other, new Side(label, encoded));
        }
    }

    private void park(Map<String, Side> pending, String id, Side side) {
        pending.put(id, side);
        if (pending.size() > maxPending) {
            Iterator<String> oldest = pending.keySet().iterator();
            oldest.next();
            oldest.remove();
            skipped.add(UNMATCHED_EVICTED);
        }
    }

    private void join(String id, Side raw, Side prot) {
        if (!raw.label().equals(prot.label())) {
            skipped.add(LABEL_MISMATCH);
            return;
        }
        ImagePair pair;
        try {
            AuditImage r = AuditImage.decode(raw.encoded());
            AuditImage p = AuditImage.decode(prot.encoded());
            if (!r.sameShape(p)) {
                skipped.add(SkipCounts.SIZE_MISMATCH);
                return;
            }
            pair = new ImagePair(id, raw.label(), r, p);
        } catch (IOException | RuntimeException e) {
            skipped.add(SkipCounts.UNREADABLE);
            return;
        }
        joined++;
        List<ImagePair> sample = byLabel.computeIfAbsent(raw.label(), l -> new ArrayList<>());
        if (replace(sample, pair)) { // the same image published again
            return;
        }
        long seen = seenByLabel.merge(raw.label(), 1L, Long::sum);
        if (sample.size() < perLabel) {
            sample.add(pair);
            sampled.put(id, pair);
        } else {
            long j = (long) (random.nextDouble() * seen);
            if (j < perLabel) {
                sampled.remove(sample.set((int) j, pair).id());
                sampled.put(id, pair);
            }
        }
    }

    /** A protected record for a pair in the sample: the pair with this published image. */
    private void rejoin(ImagePair in, byte[] encoded) {
        ImagePair pair;
        try {
            AuditImage p = AuditImage.decode(encoded);
            if (!in.raw().sameShape(p)) {
                skipped.add(SkipCounts.SIZE_MISMATCH);
                return;
            }
            pair = new ImagePair(in.id(), in.label(), in.raw(), p);
        } catch (IOException | RuntimeException e) {
            skipped.add(SkipCounts.UNREADABLE);
            return;
        }
        replace(byLabel.get(in.label()), pair);
    }

    /** Replaces the pair of the same id in {@code sample}; false when there is none. */
    private boolean replace(List<ImagePair> sample, ImagePair pair) {
        for (int i = 0; i < sample.size(); i++) {
            if (sample.get(i).id().equals(pair.id())) {
                sample.set(i, pair);
                sampled.put(pair.id(), pair);
                return true;
            }
        }
        return false;
    }

    /** The pairs in the sample now (a copy). */
    public synchronized List<ImagePair> snapshot() {
        List<ImagePair> out = new ArrayList<>();
        byLabel.values().forEach(out::addAll);
        return out;
    }

    /** Pairs left out of the sample for a reason (not counting reservoir replacement). */
    public synchronized SkipCounts skipped() {
        SkipCounts copy = new SkipCounts();
        copy.addAll(skipped);
        long over = 0;
        for (Map.Entry<String, Long> e : seenByLabel.entrySet()) {
            over += Math.max(0, e.getValue() - perLabel);
        }
        copy.add(SkipCounts.OVER_SAMPLE_CAP, (int) Math.min(Integer.MAX_VALUE, over));
        // Still waiting for their other half: in flight, dead-lettered, or outside the topics.
        copy.add(SkipCounts.MISSING_PROTECTED, pendingRaw.size());
        copy.add(SkipCounts.MISSING_ORIGINAL, pendingProtected.size());
        return copy;
    }

    /** Pairs joined so far (all time). */
    public synchronized long joined() {
        return joined;
    }

    public synchronized int size() {
        return byLabel.values().stream().mapToInt(List::size).sum();
    }

    public synchronized int pending() {
        return pendingRaw.size() + pendingProtected.size();
    }
}
