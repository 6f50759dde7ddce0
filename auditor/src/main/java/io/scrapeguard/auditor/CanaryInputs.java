package io.scrapeguard.auditor;

import java.util.ArrayList;
import java.util.List;

/**
 * The canaries' input tensors: clean and protected training images, clean test images, and the
 * follow set (each clean test image carrying a training delta of the next class, clamped to the
 * valid range).
 */
record CanaryInputs(
        float[] cleanTrain,
        float[] protectedTrain,
        float[] cleanTest,
        float[] follow,
        List<float[]> followHwc,
        AuditSample sample) {

    static CanaryInputs of(AuditSample s) {
        List<AuditImage> raw = new ArrayList<>(),
                prot = new ArrayList<>(),
                test = new ArrayList<>();
        for (ImagePair p : s.train()) {
            raw.add(p.raw());
            prot.add(p.published());
        }
        for (ImagePair p : s.test()) {
            test.add(p.raw());
        }
        List<float[]> followHwc = followImages(s);
        int h = s.height(), w = s.width(), c = s.channels();
        float[] follow = new float[followHwc.size() * h * w * c];
        for (int i = 0; i < followHwc.size(); i++) {
            Tensors.putHwc(followHwc.get(i), h, w, c, follow, i, true, Tensors.MEAN, Tensors.STD);
        }
        return new CanaryInputs(
                Tensors.images(raw),
                Tensors.images(prot),
                Tensors.images(test),
                follow,
                followHwc,
                s);
    }

    Canaries.Arm arm(String name, float[] train) {
        return new Canaries.Arm(name, train, cleanTest, follow);
    }

    /** Test images in grayscale, for the canary trained on grayscale images. */
    float[] grayTest() {
        List<AuditImage> g = new ArrayList<>();
        for (ImagePair p : sample.test()) {
            g.add(p.raw().grayscale());
        }
        return Tensors.images(g);
    }

    float[] grayFollow() {
        int h = sample.height(), w = sample.width(), c = sample.channels();
        float[] out = new float[followHwc.size() * h * w * c];
        for (int i = 0; i < followHwc.size(); i++) {
            float[] v = followHwc.get(i).clone();
            for (int p = 0; p < h * w; p++) {
                float y =
                        0.299f * clamp(v[3 * p])
                                + 0.587f * clamp(v[3 * p + 1])
                                + 0.114f * clamp(v[3 * p + 2]);
                v[3 * p] = v[3 * p + 1] = v[3 * p + 2] = y;
            }
            Tensors.putHwc(v, h, w, c, out, i, true, Tensors.MEAN, Tensors.STD);
        }
        return out;
    }

    /** Protected training images after JPEG-75 re-encoding or grayscale. */
    static float[] transformed(AuditSample s, boolean jpeg, boolean gray) {
        List<AuditImage> out = new ArrayList<>(s.train().size());
        for (ImagePair p : s.train()) {
            AuditImage img = p.published();
            if (jpeg) {
                img = img.jpegRoundTrip(0.75f);
            }
            if (gray) {
                img = img.grayscale();
            }
            out.add(img);
        }
        return Tensors.images(out);
    }

    /** Clean test image i plus the delta of a training image of class (y + 1) mod K. */
    static List<float[]> followImages(AuditSample s) {
        int k = s.classes();
        List<List<ImagePair>> byClass = new ArrayList<>();
        for (int y = 0; y < k; y++) {
            byClass.add(new ArrayList<>());
        }
        int[] trainY = s.trainLabels();
        for (int i = 0; i < trainY.length; i++) {
            byClass.get(trainY[i]).add(s.train().get(i));
        }
        int[] testY = s.testLabels();
        int[] next = new int[k];
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < testY.length; i++) {
            int target = (testY[i] + 1) % k;
            List<ImagePair> donors = byClass.get(target);
            ImagePair donor = donors.get(next[target]++ % donors.size());
            float[] d = donor.delta();
            AuditImage img = s.test().get(i).raw();
            float[] v = new float[d.length];
            for (int p = 0; p < d.length; p++) {
                v[p] = (float) img.value(p) + d[p];
            }
            out.add(v);
        }
        return out;
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
