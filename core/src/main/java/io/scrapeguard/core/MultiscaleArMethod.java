package io.scrapeguard.core;

import io.scrapeguard.imaging.FineTexture;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.scraper.Resample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ar-multiscale}: the label's process generated on grids of several sizes and summed, so
 * that a scraper that downscales the image to R on the short side still finds a component at its
 * own scale. A grid of G cells on the short side (only grids smaller than the image, with cells of
 * at most {@value #MAX_CELL} pixels) carries one AR field over the whole grid (Algorithm 2),
 * divided by its smoothed local RMS ({@link Envelope}) so that it covers the image evenly, then
 * upsampled with the scrapers' own bicubic kernel (a downscale back to G returns it nearly whole)
 * and given its share of the energy; the native component is 32x32 AR tiles at full resolution. Why
 * one field and not tiles: on 2,000 photos upscaled to 128 and scraped at 32, 8x8-cell tiles of the
 * 32-cell grid left the canaries a protection score of 0.09 (follow 13% vs 8%), one equalised field
 * 0.4-0.5 (follow about 50% vs 9%): tile seams break the process every few cells. Shares are
 * renormalised over the grids an image has, so a 32x32 image gets Algorithm 2 exactly. The sum is
 * scaled to the budget.
 *
 * <p><b>The class wave on small textured photos</b> ({@code wave=auto}, the default's): a colour
 * image that gets Algorithm 2 (no coarse grid fits, at most 32x32) and has a photo's fine texture
 * of its own ({@link FineTexture} at least {@value #TEXTURED} levels) gets its class's chroma wave
 * instead ({@link ClassWave}). On the CIFAR-10 photos Algorithm 2's full-resolution chroma texture
 * is what JPEG removes (after {@code jpeg:95} a protection score of 0.23, after {@code jpeg:75}
 * 0.10, five audit seeds) and this default keeps 0.35 and 0.23; on flat colours (the generated
 * shapes, much artwork) the canary learns Algorithm 2 (0.50) and not the wave (-0.02), and there
 * JPEG leaves Algorithm 2 enough (0.32). docs/benchmarks.md: The default at 32x32. Thread-safe.
 */
public final class MultiscaleArMethod implements ArBankMethod {
    /** The native (full-resolution) component's key in {@link #shares()}. */
    public static final int NATIVE = 0;

    static final int TILE = 32;

    /**
     * The envelope's reach, in cells: the field is divided by its RMS smoothed over about this many
     * cells each way, which flattens the processes' growth towards the bottom-right corner while
     * leaving the recurrence between neighbouring cells nearly exact. Measured over 200 fields per
     * size: with 4 cells 7 of 200 at 128x128 and at 512x512 had a region under half the mean
     * energy, with 2 cells none at 128x128 and 3 of 200 at 512x512.
     */
    static final int ENVELOPE_CELLS = 2;

    /**
     * The largest cell of a coarse grid, in pixels: a 32x32 region then holds at least 4x4 cells,
     * enough for the coverage bounds (measured with the envelope: 16-pixel cells left a 512x512
     * image with 73% of its regions at half the mean energy, 8-pixel cells 97% or more).
     */
    static final int MAX_CELL = 8;

    /**
     * The fine texture ({@link FineTexture}, levels) from which a small colour image counts as a
     * photo and gets the class wave under {@code wave=auto}: 98.7% of 2,000 generated shapes are
     * below it (median 4.8), 91.6% of the 2,000 CIFAR-10 test photos the audits use at or above
     * (median 21).
     */
    public static final double TEXTURED = 9;

    /**
     * Energy shares by grid (cells on the short side; {@link #NATIVE} for full resolution). Nearly
     * all on the 32-cell grid: the canary's response to the surviving energy is steep (what another
     * grid takes is lost to a scraper at 32), and 32 is the smallest resolution scrapers train at,
     * reached from any larger one. Where an image has no 32-cell grid (short side over 256 or at
     * most 32) the others share the budget.
     */
    public static final Map<Integer, Double> DEFAULT_SHARES = defaultShares();

    private final ProcessBank bank;
    private final ImageSeeds seeds;
    private final Budget budget;
    private final Map<Integer, Double> shares;
    private final double luma;
    private final boolean chromaHalf;
    private final double shared;
    private final double wave;

    /** {@code wave=auto}: the class wave instead of Algorithm 2 on small textured photos. */
    private final boolean waveOnTexture;

    /**
     * The fine texture from which {@code wave=auto} counts an image as a photo ({@code texture=T}).
     */
    private final double textured;

    /** {@code ar-paper} with the same key and budget: what an image of at most 32x32 gets. */
    private final ArPerturbationMethod paper;

    /** The default: {@link #DEFAULT_SHARES} and {@code wave=auto}. */
    public MultiscaleArMethod(ProcessBank bank, SeedingKey key, Budget budget) {
        this(bank, key, budget, DEFAULT_SHARES, 0, false, 0, 0, true, TEXTURED);
    }

    /** These shares alone: every small image gets Algorithm 2. */
    public MultiscaleArMethod(
            ProcessBank bank, SeedingKey key, Budget budget, Map<Integer, Double> shares) {
        this(bank, key, budget, shares, 0, false, 0, 0, false, TEXTURED);
    }

    /**
     * @param luma the share of every field's energy in a gray field (the same values in every
     *     channel, drawn from the label's first window), which JPEG's chroma subsampling and a
     *     grayscale scraper leave whole; 0 for the paper's independent channels
     * @param chromaHalf project the sum onto what JPEG's 4:2:0 chroma subsampling keeps: luma at
     *     full resolution, chroma constant over 2x2 blocks (then scaled back to the budget)
     * @param shared the share of the energy in the class's shared draw: every image of a class
     *     mixes its own AR sample with one drawn from the key and the class alone (a sum of two
     *     samples of the same recurrence is one), so the class's images share part of their
     *     pattern; 0 for independent draws per image
     * @param wave the share of the energy in the class's low-frequency chroma wave ({@link
     *     ClassWave}), which a scraper's JPEG keeps; 0 for none
     * @param waveOnTexture the whole budget in the class wave for a small colour image with a
     *     photo's texture ({@link #wavesOn}), Algorithm 2 for the others ({@code wave=auto})
     * @param textured the cut of {@code wave=auto}: an image counts as a photo from this many
     *     levels of fine texture ({@link FineTexture}; {@code texture=T}, default {@value
     *     #TEXTURED}); raise it where flat artwork carries noise, lower it where photos are very
     *     smooth
     */
    public MultiscaleArMethod(
            ProcessBank bank,
            SeedingKey key,
            Budget budget,
            Map<Integer, Double> shares,
            double luma,
            boolean chromaHalf,
            double shared,
            double wave,
            boolean waveOnTexture,
            double textured) {
        if (!(textured >= 0 && textured <= FineTexture.CAP)) {
            throw new IllegalArgumentException(
                    "texture is not in [0, " + (int) FineTexture.CAP + "] levels: " + textured);
        }
        this.textured = textured;
        this.chromaHalf = chromaHalf;
        this.bank = Objects.requireNonNull(bank, "bank");
        this.seeds = new ImageSeeds(Objects.requireNonNull(key, "seeding key"));
        this.budget = Objects.requireNonNull(budget, "budget");
        this.shares = checked(shares);
        this.paper = new ArPerturbationMethod(bank, key, budget);
        this.luma = unitShare("luma", luma);
        this.shared = unitShare("shared", shared);
        this.wave = unitShare("wave", wave);
        this.waveOnTexture = waveOnTexture;
    }

    /** The share of the energy in the class's chroma wave. */
    public double wave() {
        return wave;
    }

    /** Whether some of its deltas carry a class wave, which the AR filters do not read. */
    public boolean readsWaves() {
        return wave > 0 || waveOnTexture;
    }

    /**
     * Whether this image gets the class wave in place of Algorithm 2: under {@code wave=auto}, a
     * colour image with no coarse grid, at most 32x32, whose own fine texture is a photo's.
     */
    public boolean wavesOn(Image8 image) {
        int h = image.height(), w = image.width();
        return waveOnTexture
                && wave < 1
                && image.channels() == 3
                && h <= TILE
                && w <= TILE
                && sharesFor(h, w).size() == 1
                && FineTexture.level(image) >= textured;
    }

    /**
     * What this image's perturbation carries, for metrics: {@code class-wave} (its class's wave
     * alone), {@code ar+class-wave} ({@code wave=S} below 1) or {@code ar} (the AR process).
     */
    public String pattern(Image8 image) {
        return wave == 1 || wavesOn(image)
                ? Protector.CLASS_WAVE
                : wave > 0 ? Protector.AR + "+" + Protector.CLASS_WAVE : Protector.AR;
    }

    /**
     * The fine texture (levels) from which {@code wave=auto} gives a small colour image its wave.
     */
    public double textured() {
        return textured;
    }

    private static double unitShare(String name, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException(name + " share is not in [0, 1]: " + share);
        }
        return share;
    }

    /** The share of the energy in the class's shared draw. */
    public double shared() {
        return shared;
    }

    /** The id whose draws every image of the class shares (not a printable image id). */
    static String sharedId(int classIndex) {
        return ImageSeeds.derivedId("ar-shared", Integer.toString(classIndex));
    }

    /** The share of each field's energy in its gray part. */
    public double luma() {
        return luma;
    }

    /** Chroma (JFIF YCbCr) of an HWC RGB field replaced by its 2x2 block means, luma kept. */
    static void chromaToHalf(double[] d, int h, int w) {
        double[] cb = new double[h * w];
        double[] cr = new double[h * w];
        for (int i = 0; i < h * w; i++) {
            double r = d[3 * i], g = d[3 * i + 1], b = d[3 * i + 2];
            cb[i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
            cr[i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
        for (double[] c : new double[][] {cb, cr}) {
            for (int by = 0; by < h; by += 2) {
                for (int bx = 0; bx < w; bx += 2) {
                    int y1 = Math.min(by + 1, h - 1);
                    int x1 = Math.min(bx + 1, w - 1);
                    double m =
                            (c[by * w + bx] + c[by * w + x1] + c[y1 * w + bx] + c[y1 * w + x1]) / 4;
                    c[by * w + bx] = c[by * w + x1] = c[y1 * w + bx] = c[y1 * w + x1] = m;
                }
            }
        }
        for (int i = 0; i < h * w; i++) {
            double r = d[3 * i], g = d[3 * i + 1], b = d[3 * i + 2];
            double y = 0.299 * r + 0.587 * g + 0.114 * b;
            d[3 * i] = y + 1.402 * cr[i];
            d[3 * i + 1] = y - 0.344136 * cb[i] - 0.714136 * cr[i];
            d[3 * i + 2] = y + 1.772 * cb[i];
        }
    }

    /** Mixes a unit-RMS gray field into a unit-RMS colour field, where the image has colour. */
    private void mixLuma(
            double[] out,
            int height,
            int width,
            int channels,
            java.util.function.Consumer<double[]> gray) {
        if (luma == 0 || channels != 3) {
            return;
        }
        double[] g = new double[height * width];
        gray.accept(g);
        double a = Math.sqrt(1 - luma);
        double b = Math.sqrt(luma);
        for (int i = 0, j = 0; j < g.length; j++) {
            for (int c = 0; c < 3; c++, i++) {
                out[i] = a * out[i] + b * g[j];
            }
        }
    }

    private static Map<Integer, Double> defaultShares() {
        Map<Integer, Double> m = new LinkedHashMap<>();
        m.put(32, 0.9);
        m.put(64, 0.04);
        m.put(128, 0.02);
        m.put(256, 0.02);
        m.put(NATIVE, 0.02);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<Integer, Double> checked(Map<Integer, Double> shares) {
        if (shares == null || !shares.containsKey(NATIVE) || !(shares.get(NATIVE) > 0)) {
            throw new IllegalArgumentException("multiscale shares need a positive native share");
        }
        Map<Integer, Double> m = new LinkedHashMap<>();
        shares.forEach(
                (g, s) -> {
                    if (g != NATIVE && g < 3) {
                        throw new IllegalArgumentException(
                                "a grid needs at least 3 cells, got " + g);
                    }
                    if (!(s >= 0) || !Double.isFinite(s)) {
                        throw new IllegalArgumentException(
                                "share of grid " + g + " is not >= 0: " + s);
                    }
                    m.put(g, s);
                });
        return java.util.Collections.unmodifiableMap(m);
    }

    public Map<Integer, Double> shares() {
        return shares;
    }

    /** The grids an image of this size gets and their renormalised shares, native last. */
    Map<Integer, Double> sharesFor(int height, int width) {
        return sharesFor(shares, height, width);
    }

    static Map<Integer, Double> sharesFor(Map<Integer, Double> shares, int height, int width) {
        int shortSide = Math.min(height, width);
        Map<Integer, Double> m = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<Integer, Double> e : shares.entrySet()) {
            int g = e.getKey();
            if (g != NATIVE && g < shortSide && g * MAX_CELL >= shortSide && e.getValue() > 0) {
                m.put(g, e.getValue());
                total += e.getValue();
            }
        }
        m.put(NATIVE, shares.get(NATIVE));
        total += shares.get(NATIVE);
        for (Map.Entry<Integer, Double> e : m.entrySet()) {
            e.setValue(e.getValue() / total);
        }
        return m;
    }

    @Override
    public Perturbation perturbation(
            int classIndex, String imageId, int height, int width, int channels) {
        double[] out = new double[height * width * channels];
        perturbationInto(out, classIndex, imageId, height, width, channels);
        return Perturbation.wrap(height, width, channels, out);
    }

    @Override
    public void perturbationInto(
            double[] out, int classIndex, String imageId, int height, int width, int channels) {
        checkClass(classIndex);
        Shapes.checkInto(out, height, width, channels);
        if (wave == 1) {
            waveInto(out, classIndex, imageId, height, width, channels);
            return;
        }
        drawsInto(out, classIndex, imageId, height, width, channels);
        if (wave > 0) {
            double[] w = new double[out.length];
            waveInto(w, classIndex, imageId, height, width, channels);
            mixInto(out, w, wave, height, width, channels);
        }
    }

    @Override
    public void perturbationInto(double[] out, Image8 image, int classIndex, String imageId) {
        int h = image.height(), w = image.width(), c = image.channels();
        if (!wavesOn(image)) {
            perturbationInto(out, classIndex, imageId, h, w, c);
            return;
        }
        checkClass(classIndex);
        Shapes.checkInto(out, h, w, c);
        waveInto(out, classIndex, imageId, h, w, c);
    }

    /**
     * {@code out} and {@code other}, both at the budget, mixed by energy share ({@code share} of it
     * to {@code other}), then back to the budget.
     */
    private void mixInto(
            double[] out, double[] other, double share, int height, int width, int channels) {
        double a = Math.sqrt(1 - share);
        double b = Math.sqrt(share);
        for (int i = 0; i < out.length; i++) {
            out[i] = a * out[i] + b * other[i];
        }
        budget.scaleInPlace(out, height, width, channels);
    }

    /** The class's chroma wave at the budget, its phase from the image's own seed. */
    private void waveInto(
            double[] out, int classIndex, String imageId, int height, int width, int channels) {
        ClassWave.unitRmsInto(
                out,
                classIndex,
                ClassWave.phase(seeds.gaussians(imageId + "\u0000wave")),
                height,
                width,
                channels);
        budget.scaleInPlace(out, height, width, channels);
    }

    /** The AR draws (the image's own, mixed with the class's shared one), at the budget. */
    private void drawsInto(
            double[] out, int classIndex, String imageId, int height, int width, int channels) {
        if (shared == 0) {
            ownInto(out, classIndex, imageId, height, width, channels);
            return;
        }
        double[] common = new double[out.length];
        ownInto(out, classIndex, imageId, height, width, channels);
        ownInto(common, classIndex, sharedId(classIndex), height, width, channels);
        mixInto(out, common, shared, height, width, channels);
    }

    /** The perturbation drawn for one id alone, at the budget. */
    private void ownInto(
            double[] out, int classIndex, String imageId, int height, int width, int channels) {
        Map<Integer, Double> parts = sharesFor(height, width);
        boolean colourKnobs = channels == 3 && (luma > 0 || chromaHalf);
        if (parts.size() == 1 && height <= TILE && width <= TILE && !colourKnobs) {
            // an image no larger than the smallest grid: the paper's Algorithm 2 itself
            paper.perturbationInto(out, classIndex, imageId, height, width, channels);
            return;
        }
        if (parts.size() == 1) {
            // no coarse grid fits: Algorithm 2 (one tile up to 32x32) or its tiles
            nativeInto(out, bank.process(classIndex), imageId, height, width, channels);
        } else {
            java.util.Arrays.fill(out, 0);
            for (Component c : components(classIndex, imageId, height, width, channels)) {
                double amp = Math.sqrt(c.share());
                double[] v = c.values();
                for (int i = 0; i < out.length; i++) {
                    out[i] += amp * v[i];
                }
            }
        }
        if (chromaHalf && channels == 3) {
            chromaToHalf(out, height, width);
        }
        budget.scaleInPlace(out, height, width, channels);
    }

    /** The native component: unit-RMS AR tiles at full resolution, with their gray share. */
    private void nativeInto(
            double[] out, ArProcess p, String imageId, int height, int width, int channels) {
        ArTiles.unitRmsInto(out, p, seeds, imageId, height, width, channels, TILE);
        mixLuma(
                out,
                height,
                width,
                channels,
                g ->
                        ArTiles.unitRmsInto(
                                g, p, seeds, imageId + "\u0000luma", height, width, 1, TILE));
    }

    /** One component at unit RMS at the image's size, with its share of the energy. */
    record Component(int grid, double share, double[] values) {}

    /** The image's components before the energy split, for tests and integrity checks. */
    List<Component> components(
            int classIndex, String imageId, int height, int width, int channels) {
        ArProcess p = bank.process(classIndex);
        List<Component> out = new ArrayList<>();
        int shortSide = Math.min(height, width);
        for (Map.Entry<Integer, Double> e : sharesFor(height, width).entrySet()) {
            int g = e.getKey();
            double[] v;
            if (g == NATIVE) {
                v = new double[height * width * channels];
                nativeInto(v, p, imageId, height, width, channels);
            } else {
                int gh = gridSide(height, g, shortSide);
                int gw = gridSide(width, g, shortSide);
                double[] grid = new double[gh * gw * channels];
                ArGenerator.forThread()
                        .generateInto(
                                grid,
                                p,
                                gh,
                                gw,
                                channels,
                                seeds.gaussians(imageId + "\u0000scale/" + g),
                                ArTiles.UNIT_RMS);
                String lumaId = imageId + "\u0000scale/" + g + "/luma";
                mixLuma(
                        grid,
                        gh,
                        gw,
                        channels,
                        f ->
                                ArGenerator.forThread()
                                        .generateInto(
                                                f,
                                                p,
                                                gh,
                                                gw,
                                                1,
                                                seeds.gaussians(lumaId),
                                                ArTiles.UNIT_RMS));
                Envelope.equalize(grid, gh, gw, channels, ENVELOPE_CELLS);
                v = Resample.bicubic(grid, gh, gw, channels, height, width);
                double rms = Norms.l2(v) / Math.sqrt(v.length);
                for (int i = 0; i < v.length; i++) {
                    v[i] /= rms;
                }
            }
            out.add(new Component(g, e.getValue(), v));
        }
        return out;
    }

    /** A side of g cells per short side, the long side in proportion. */
    public static int gridSide(int side, int grid, int shortSide) {
        return Math.max(3, (int) Math.round((double) side * grid / shortSide));
    }

    @Override
    public String name() {
        return ArVariants.MULTISCALE;
    }

    @Override
    public Budget budget() {
        return budget;
    }

    @Override
    public ProcessBank bank() {
        return bank;
    }

    @Override
    public String describe() {
        StringBuilder b =
                new StringBuilder("ar-multiscale bank=")
                        .append(bank.fingerprint())
                        .append(' ')
                        .append(budget.describe())
                        .append(" shares=");
        shares.forEach(
                (g, s) ->
                        b.append(g == NATIVE ? "native" : g)
                                .append(':')
                                .append(String.format(Locale.ROOT, "%.2f", s))
                                .append(' '));
        if (luma > 0) {
            b.append(String.format(Locale.ROOT, "luma=%.2f ", luma));
        }
        if (chromaHalf) {
            b.append("chroma=2 ");
        }
        if (shared > 0) {
            b.append(String.format(Locale.ROOT, "shared=%.2f ", shared));
        }
        if (wave > 0) {
            b.append(String.format(Locale.ROOT, "wave=%.2f ", wave));
        } else if (waveOnTexture) {
            b.append("wave=auto");
            if (textured != TEXTURED) {
                b.append(String.format(Locale.ROOT, " texture=%s", ArVariants.plain(textured)));
            }
        }
        return b.toString().strip();
    }

    @Override
    public String toString() {
        return describe();
    }
}
