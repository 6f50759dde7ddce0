package io.scrapeguard.auditor;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Line charts drawn with Java2D: per-epoch curves for the report. */
final class Charts {
    static final Color CLEAN = new Color(0x1f77b4);
    static final Color PROTECTED = new Color(0xd62728);
    static final Color JPEG = new Color(0x2ca02c);
    static final Color GRAY = new Color(0x7f7f7f);
    static final Color CONTROL = new Color(0x9467bd);

    /** One line: values at x = 1..n. */
    record Series(String name, Color colour, boolean dashed, double[] y) {}

    private Charts() {}

    static BufferedImage line(
            String title, String xLabel, List<Series> series, double yMin, double yMax) {
        int width = 640, height = 360, left = 60, right = 170, top = 36, bottom = 44;
        int pw = width - left - right, ph = height - top - bottom;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int n = 1;
            double hi = yMax;
            for (Series s : series) {
                n = Math.max(n, s.y().length);
                for (double v : s.y()) {
                    if (Double.isFinite(v)) {
                        hi = Math.max(hi, v);
                    }
                }
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.setColor(Color.DARK_GRAY);
            g.drawString(title, left, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i <= 5; i++) {
                double v = yMin + (hi - yMin) * i / 5;
                int y = top + ph - (int) Math.round(ph * (v - yMin) / (hi - yMin));
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(left, y, left + pw, y);
                g.setColor(Color.GRAY);
                g.drawString(String.format(Locale.ROOT, "%.2f", v), 12, y + 4);
            }
            int ticks = Math.min(n, 10);
            for (int i = 0; i < ticks; i++) {
                int xv = 1 + (int) Math.round((n - 1) * (double) i / Math.max(1, ticks - 1));
                int x = xOf(xv, n, left, pw);
                g.drawString(Integer.toString(xv), x - 4, top + ph + 16);
            }
            g.drawString(xLabel, left + pw / 2 - 20, top + ph + 34);
            g.setColor(Color.GRAY);
            g.drawRect(left, top, pw, ph);
            Stroke solid = new BasicStroke(2f);
            Stroke dashed =
                    new BasicStroke(
                            2f,
                            BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_ROUND,
                            1f,
                            new float[] {6f, 4f},
                            0f);
            int legendY = top + 8;
            for (Series s : series) {
                g.setColor(s.colour());
                g.setStroke(s.dashed() ? dashed : solid);
                Path2D path = new Path2D.Double();
                boolean started = false;
                for (int i = 0; i < s.y().length; i++) {
                    if (!Double.isFinite(s.y()[i])) {
                        continue;
                    }
                    double x = xOf(i + 1, n, left, pw);
                    double y = top + ph - ph * (s.y()[i] - yMin) / (hi - yMin);
                    if (!started) {
                        path.moveTo(x, y);
                        started = true;
                    } else {
                        path.lineTo(x, y);
                    }
                    if (s.y().length <= 40) {
                        g.fillOval((int) x - 2, (int) y - 2, 5, 5);
                    }
                }
                g.draw(path);
                g.drawLine(left + pw + 12, legendY, left + pw + 36, legendY);
                g.setStroke(solid);
                g.drawString(s.name(), left + pw + 42, legendY + 4);
                legendY += 18;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static int xOf(int xv, int n, int left, int pw) {
        return left + (n <= 1 ? pw / 2 : (int) Math.round(pw * (xv - 1) / (double) (n - 1)));
    }
}
