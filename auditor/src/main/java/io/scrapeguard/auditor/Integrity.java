package io.scrapeguard.auditor;

import java.util.List;

/**
 * Integrity of the published perturbation: how often the AR-filter classifier names the
 * process of an image's label from the delta of the published bytes, and the delivered norms.
 * The label-to-process assignment is the poisoner's secret, so it is learned here as the
 * process of each label on the train split (one process per label) and scored on the test
 * split; class-free noise then scores near chance instead of near its majority share.
 */
public record Integrity(
        boolean available,
        double filterAccuracy,
        int scored,
        double meanL2,
        double meanLinf,
        double maxLinf) {

    /**
     * Label -> process, one process per label at most (a bank assigns each label its own
     * process): greedily the (label, process) pair with the most train votes first. Noise whose
     * filter responses favour one process for every label then maps only one label to it.
     */
    static int[] assign(int[][] counts, int k) {
        int[] mapping = new int[k];
        java.util.Arrays.fill(mapping, -1);
        boolean[] used = new boolean[counts[0].length];
        for (int round = 0; round < k; round++) {
            int bestY = -1, bestP = -1;
            for (int y = 0; y < k; y++) {
                if (mapping[y] >= 0) {
                    continue;
                }
                for (int p = 0; p < counts[y].length; p++) {
                    if (!used[p] && counts[y][p] > 0
                            && (bestY < 0 || counts[y][p] > counts[bestY][bestP])) {
                        bestY = y;
                        bestP = p;
                    }
                }
            }
            if (bestY < 0) {
                break;
            }
            mapping[bestY] = bestP;
            used[bestP] = true;
        }
        return mapping;
    }

    static Integrity measure(AuditSample s, DeltaClassifier classifier) {
        double l2 = 0, linf = 0, maxLinf = 0;
        int n = 0;
        for (List<ImagePair> part : List.of(s.train(), s.test())) {
            for (ImagePair p : part) {
                float[] d = p.delta();
                double sq = 0, m = 0;
                for (float v : d) {
                    sq += (double) v * v;
                    m = Math.max(m, Math.abs(v));
                }
                l2 += Math.sqrt(sq);
                linf += m;
                maxLinf = Math.max(maxLinf, m);
                n++;
            }
        }
        if (classifier == null) {
            return new Integrity(false, Double.NaN, 0, l2 / n, linf / n, maxLinf);
        }
        int h = s.height(), w = s.width(), c = s.channels(), k = s.classes();
        int[] trainY = s.trainLabels();
        int[][] counts = new int[k][64];
        for (int i = 0; i < s.train().size(); i++) {
            int proc = classifier.classify(s.train().get(i).delta(), h, w, c);
            if (proc >= 0 && proc < 64) {
                counts[trainY[i]][proc]++;
            }
        }
        int[] mapping = assign(counts, k);
        int right = 0;
        int[] testY = s.testLabels();
        for (int i = 0; i < s.test().size(); i++) {
            int proc = classifier.classify(s.test().get(i).delta(), h, w, c);
            right += proc == mapping[testY[i]] && mapping[testY[i]] >= 0 ? 1 : 0;
        }
        return new Integrity(true, (double) right / s.test().size(), s.test().size(), l2 / n,
                linf / n, maxLinf);
    }
}
