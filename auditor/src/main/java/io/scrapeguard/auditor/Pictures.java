package io.scrapeguard.auditor;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's pictures: image samples per class and the canaries' and probes' curves. */
final class Pictures {
    static final int EXAMPLES_PER_CLASS = 3;
    static final String SAMPLES = "samples.png";

    private Pictures() {}

    static Map<String, BufferedImage> render(
            AuditSample s,
            List<CanaryCurve> clean,
            List<CanaryCurve> prot,
            Map<String, AuditResult.Defence> defences,
            Separability sep,
            boolean samples) {
        Map<String, BufferedImage> out = new LinkedHashMap<>();
        if (samples) { // the operator's choice: a clean/protected pair gives away the delta
            out.put(SAMPLES, samples(s));
        }
        if (clean.isEmpty()) { // no canaries at native size: no curves
            out.put("probe.png", probe(sep));
            return out;
        }
        out.put(
                "loss.png",
                Charts.line(
                        "Canary training loss per epoch",
                        "epoch",
                        series(clean, prot, defences, CanaryCurve::loss),
                        0,
                        0.5));
        out.put(
                "accuracy.png",
                Charts.line(
                        "Canary accuracy on clean test images",
                        "epoch",
                        series(clean, prot, defences, CanaryCurve::accuracy),
                        0,
                        1));
        out.put(
                "follow.png",
                Charts.line(
                        "Follow rate: predicts the class of another class's perturbation",
                        "epoch",
                        series(clean, prot, defences, CanaryCurve::follow),
                        0,
                        0.2));
        out.put("probe.png", probe(sep));
        return out;
    }

    private static BufferedImage probe(Separability sep) {
        return Charts.line(
                "Perturbation-only probe: training loss per step",
                "step",
                List.of(
                        new Charts.Series(
                                "probe (delta)", Charts.PROTECTED, false, toArray(sep.probeLoss())),
                        new Charts.Series(
                                "control (noise)",
                                Charts.CONTROL,
                                false,
                                toArray(sep.controlLoss()))),
                0,
                0.5);
    }

    private static List<Charts.Series> series(
            List<CanaryCurve> clean,
            List<CanaryCurve> prot,
            Map<String, AuditResult.Defence> defences,
            java.util.function.Function<CanaryCurve, double[]> f) {
        List<Charts.Series> out = new ArrayList<>();
        for (int i = 0; i < clean.size(); i++) {
            boolean dashed = i > 0;
            out.add(
                    new Charts.Series(
                            "clean s" + clean.get(i).seed(),
                            Charts.CLEAN,
                            dashed,
                            f.apply(clean.get(i))));
            out.add(
                    new Charts.Series(
                            "protected s" + prot.get(i).seed(),
                            Charts.PROTECTED,
                            dashed,
                            f.apply(prot.get(i))));
        }
        for (AuditResult.Defence d : defences.values()) {
            out.add(
                    new Charts.Series(
                            d.name(),
                            d.name().equals("jpeg75") ? Charts.JPEG : Charts.GRAY,
                            false,
                            f.apply(d.curve())));
        }
        return out;
    }

    /**
     * Per class, {@link #EXAMPLES_PER_CLASS} triples: the clean image, the published image and the
     * delta amplified to the full range (grey = no change).
     */
    static BufferedImage samples(AuditSample s) {
        int k = s.classes(), h = s.height(), w = s.width();
        int scale = Math.max(1, 64 / Math.max(h, w));
        int cw = w * scale, ch = h * scale, gap = 4, labelW = 110, headerH = 22;
        int cols = EXAMPLES_PER_CLASS * 3;
        int width = labelW + cols * (cw + gap) + EXAMPLES_PER_CLASS * 8;
        int height = headerH + k * (ch + gap);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setColor(Color.DARK_GRAY);
            for (int e = 0; e < EXAMPLES_PER_CLASS; e++) {
                int x0 = labelW + e * (3 * (cw + gap) + 8);
                g.drawString("clean", x0, 14);
                g.drawString("protected", x0 + cw + gap, 14);
                g.drawString("delta x", x0 + 2 * (cw + gap), 14);
            }
            int[] trainY = s.trainLabels();
            for (int y = 0; y < k; y++) {
                int row = headerH + y * (ch + gap);
                g.setColor(Color.DARK_GRAY);
                String label = s.labels().get(y);
                g.drawString(
                        label.length() > 16 ? label.substring(0, 16) : label, 4, row + ch / 2 + 4);
                int shown = 0;
                for (int i = 0; i < trainY.length && shown < EXAMPLES_PER_CLASS; i++) {
                    if (trainY[i] != y) {
                        continue;
                    }
                    ImagePair p = s.train().get(i);
                    int x0 = labelW + shown * (3 * (cw + gap) + 8);
                    g.drawImage(p.raw().toBufferedImage(), x0, row, cw, ch, null);
                    g.drawImage(p.published().toBufferedImage(), x0 + cw + gap, row, cw, ch, null);
                    g.drawImage(amplified(p), x0 + 2 * (cw + gap), row, cw, ch, null);
                    shown++;
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * One pair as a scraper trains on it: clean, protected and the amplified delta, at the scraped
     * resolution, each drawn at least 96 pixels wide (nearest neighbour).
     */
    static BufferedImage sampleRow(ImagePair p) {
        int h = p.raw().height(), w = p.raw().width();
        int scale = Math.max(1, 96 / Math.max(h, w));
        int cw = w * scale, ch = h * scale, gap = 4;
        BufferedImage img = new BufferedImage(3 * cw + 2 * gap, ch, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(p.raw().toBufferedImage(), 0, 0, cw, ch, null);
            g.drawImage(p.published().toBufferedImage(), cw + gap, 0, cw, ch, null);
            g.drawImage(amplified(p), 2 * (cw + gap), 0, cw, ch, null);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The delta scaled so its largest magnitude spans half the range, around mid-grey. */
    static BufferedImage amplified(ImagePair p) {
        float[] d = p.delta();
        float max = 1e-6f;
        for (float v : d) {
            max = Math.max(max, Math.abs(v));
        }
        AuditImage raw = p.raw();
        byte[] px = new byte[d.length];
        for (int i = 0; i < d.length; i++) {
            px[i] = (byte) Math.round(127.5f + 127.5f * d[i] / max);
        }
        return new AuditImage(raw.height(), raw.width(), raw.channels(), px).toBufferedImage();
    }

    private static double[] toArray(List<Float> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
