package io.scrapeguard.auditor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The pairs of one audit, split by image into train and test, stratified by label. Test images are
 * never trained on. Labels are sorted, so class indices are stable across runs.
 */
public final class AuditSample {
    private final List<String> labels;
    private final List<ImagePair> train;
    private final List<ImagePair> test;
    private final int[] trainY;
    private final int[] testY;
    private final int height;
    private final int width;
    private final int channels;

    private AuditSample(List<String> labels, List<ImagePair> train, List<ImagePair> test) {
        this.labels = List.copyOf(labels);
        this.train = List.copyOf(train);
        this.test = List.copyOf(test);
        this.trainY = train.stream().mapToInt(p -> labels.indexOf(p.label())).toArray();
        this.testY = test.stream().mapToInt(p -> labels.indexOf(p.label())).toArray();
        AuditImage first = train.get(0).raw();
        this.height = first.height();
        this.width = first.width();
        this.channels = first.channels();
    }

    /** Why a sample is not enough to audit. */
    public static final class TooFewPairs extends Exception {
        public TooFewPairs(String message) {
            super(message);
        }
    }

    /**
     * Splits pairs into train/test per label ({@code testFraction} of each label, at least one
     * image on each side). Labels with fewer than {@code minPerLabel} pairs are left out and
     * counted; fewer than two labels or {@code minPairs} pairs in all is not an audit.
     */
    public static AuditSample split(
            List<ImagePair> pairs,
            double testFraction,
            int minPerLabel,
            int minPairs,
            long seed,
            SkipCounts skipped)
            throws TooFewPairs {
        Map<String, List<ImagePair>> byLabel = new TreeMap<>();
        for (ImagePair p : pairs) {
            byLabel.computeIfAbsent(p.label(), l -> new ArrayList<>()).add(p);
        }
        List<String> labels = new ArrayList<>();
        List<ImagePair> train = new ArrayList<>();
        List<ImagePair> test = new ArrayList<>();
        int kept = 0;
        for (Map.Entry<String, List<ImagePair>> e : byLabel.entrySet()) {
            List<ImagePair> ps = new ArrayList<>(e.getValue());
            if (ps.size() < minPerLabel) {
                skipped.add(SkipCounts.LABEL_TOO_SMALL, ps.size());
                continue;
            }
            ps.sort(Comparator.comparing(ImagePair::id));
            Collections.shuffle(ps, new Random(seed * 31 + e.getKey().hashCode()));
            int nTest =
                    Math.max(
                            1, Math.min(ps.size() - 1, (int) Math.round(ps.size() * testFraction)));
            test.addAll(ps.subList(0, nTest));
            train.addAll(ps.subList(nTest, ps.size()));
            labels.add(e.getKey());
            kept += ps.size();
        }
        if (labels.size() < 2) {
            throw new TooFewPairs(
                    String.format(
                            "%d label(s) with at least %d pairs (of %d labels, %d pairs); an audit"
                                    + " needs two or more",
                            labels.size(), minPerLabel, byLabel.size(), pairs.size()));
        }
        if (kept < minPairs) {
            throw new TooFewPairs(
                    String.format(
                            "only %d usable pairs; an audit needs at least %d", kept, minPairs));
        }
        Random order = new Random(seed);
        Collections.shuffle(train, order);
        Collections.shuffle(test, order);
        return new AuditSample(labels, train, test);
    }

    /** The same split, labels and order with every pair replaced by {@code f} of it. */
    AuditSample mapped(java.util.function.UnaryOperator<ImagePair> f) {
        return new AuditSample(
                labels, train.stream().map(f).toList(), test.stream().map(f).toList());
    }

    public List<String> labels() {
        return labels;
    }

    public int classes() {
        return labels.size();
    }

    public List<ImagePair> train() {
        return train;
    }

    public List<ImagePair> test() {
        return test;
    }

    public int[] trainLabels() {
        return trainY.clone();
    }

    public int[] testLabels() {
        return testY.clone();
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    public int pairs() {
        return train.size() + test.size();
    }

    public int pixelsPerImage() {
        return height * width * channels;
    }
}
