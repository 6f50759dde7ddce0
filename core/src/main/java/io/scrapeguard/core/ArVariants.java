package io.scrapeguard.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The AR method's variants by the one name each is selected and published with ({@code --method},
 * {@code ProtectedImage.method}):
 *
 * <ul>
 *   <li>{@code ar-paper}: the paper's Algorithm 2 over the whole image;
 *   <li>{@code ar-tiled}: independent 32x32 AR tiles of equal energy (no corner blotch);
 *   <li>{@code ar-multiscale}: the process on grids of several sizes, upsampled and summed ({@link
 *       MultiscaleArMethod}); {@code ar-multiscale:32=0.7,64=0.1,native=0.2} sets the energy
 *       shares, {@code luma=0.3} the share of every field in a gray field, {@code chroma=2}
 *       projects the chroma onto 2x2 cells (what JPEG's 4:2:0 keeps), {@code shared=0.5} the energy
 *       share of a draw all images of a class share, {@code wave=0.7} the energy share of the
 *       class's low-frequency chroma wave ({@link ClassWave}); for benchmarks (docs/benchmarks.md).
 *       Plain {@code ar-multiscale} is {@code wave=auto}: small colour photos with a photo's fine
 *       texture get the class wave, other small images Algorithm 2 ({@link
 *       MultiscaleArMethod#wavesOn}); named knobs describe the variant whole, so {@code
 *       ar-multiscale:luma=0.3} has no wave unless {@code wave=auto} or {@code wave=S} is named.
 *       {@code texture=T} is {@code wave=auto} with its cut at T levels of fine texture instead of
 *       {@value MultiscaleArMethod#TEXTURED} (for platforms whose flat artwork is noisy, or whose
 *       photos are very smooth).
 * </ul>
 */
public final class ArVariants {
    public static final String PAPER = "ar-paper";
    public static final String TILED = "ar-tiled";
    public static final String MULTISCALE = "ar-multiscale";

    /** The variant used when none is named; chosen by docs/benchmarks.md (robustness). */
    public static final String DEFAULT = MULTISCALE;

    /** The names {@code --method} accepts. */
    public static final List<String> NAMES = List.of(PAPER, TILED, MULTISCALE);

    /** The tile side of {@code ar-tiled}. */
    public static final int TILE = 32;

    private ArVariants() {}

    /** The variant named {@code spec} (java backend). */
    public static PerturbationMethod create(
            String spec, ProcessBank bank, SeedingKey key, Budget budget) {
        return create(spec, bank, key, budget, "java");
    }

    /** The variant on a backend; only {@code ar-paper} runs on djl. */
    public static PerturbationMethod create(
            String spec, ProcessBank bank, SeedingKey key, Budget budget, String backend) {
        String s = spec == null ? DEFAULT : spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        if (colon >= 0 && !name.equals(MULTISCALE)) {
            throw new IllegalArgumentException(
                    "only " + MULTISCALE + " takes shares, got '" + spec + "'");
        }
        boolean java = backend == null || backend.equalsIgnoreCase("java");
        if (!java && !name.equals(PAPER)) {
            throw new IllegalArgumentException(
                    "the "
                            + backend
                            + " backend runs "
                            + PAPER
                            + " only; "
                            + name
                            + " runs on java");
        }
        return switch (name) {
            case PAPER ->
                    java
                            ? new ArPerturbationMethod(bank, key, budget)
                            : ArMethods.ar(bank, key, budget, backend);
            case TILED -> new ArPerturbationMethod(bank, key, budget, TILE);
            case MULTISCALE -> {
                if (colon < 0) {
                    yield new MultiscaleArMethod(bank, key, budget);
                }
                Map<Integer, Double> shares = shares(s.substring(colon + 1));
                Double luma = shares.remove(LUMA_KEY);
                Double chroma = shares.remove(CHROMA_KEY);
                Double shared = shares.remove(SHARED_KEY);
                Double wave = shares.remove(WAVE_KEY);
                Double texture = shares.remove(TEXTURE_KEY);
                if (texture != null && wave != null && !wave.isNaN()) {
                    throw new IllegalArgumentException(
                            "texture sets the cut of wave=auto; it does not go with wave="
                                    + plain(wave));
                }
                boolean auto = texture != null || (wave != null && wave.isNaN());
                if (chroma != null && chroma != 1 && chroma != 2) {
                    throw new IllegalArgumentException(
                            "chroma takes a cell of 1 or 2 pixels, got " + chroma);
                }
                yield new MultiscaleArMethod(
                        bank,
                        key,
                        budget,
                        shares.isEmpty() ? MultiscaleArMethod.DEFAULT_SHARES : shares,
                        luma == null ? 0 : luma,
                        chroma != null && chroma == 2,
                        shared == null ? 0 : shared,
                        wave == null || wave.isNaN() ? 0 : wave,
                        auto,
                        texture == null ? MultiscaleArMethod.TEXTURED : texture);
            }
            default ->
                    throw new IllegalArgumentException(
                            "unknown method '" + spec + "'; use " + String.join(", ", NAMES));
        };
    }

    /** Where {@link #shares} keeps {@code luma=L} (not a grid: grids have at least 3 cells). */
    static final int LUMA_KEY = -1;

    /** Where {@link #shares} keeps {@code chroma=C}, the chroma cell in pixels (1 or 2). */
    static final int CHROMA_KEY = -2;

    /** Where {@link #shares} keeps {@code shared=S}, the energy share of the class's draw. */
    static final int SHARED_KEY = -3;

    /**
     * Where {@link #shares} keeps {@code wave=S}, the energy share of the class's chroma wave; NaN
     * for {@code wave=auto}.
     */
    static final int WAVE_KEY = -4;

    /** Where {@link #shares} keeps {@code texture=T}, the cut of {@code wave=auto} in levels. */
    static final int TEXTURE_KEY = -5;

    /** A knob's value as written: 9 rather than 9.0. */
    static String plain(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15
                ? Long.toString((long) x)
                : Double.toString(x);
    }

    /**
     * "32=0.7,64=0.1,native=0.2" (or with "/" between, in comma-separated lists) as grid -> share;
     * {@code luma=L}, {@code chroma=C}, {@code shared=S}, {@code wave=S} and {@code texture=T}
     * under {@link #LUMA_KEY}, {@link #CHROMA_KEY}, {@link #SHARED_KEY}, {@link #WAVE_KEY} and
     * {@link #TEXTURE_KEY}.
     */
    static Map<Integer, Double> shares(String text) {
        Map<Integer, Double> m = new LinkedHashMap<>();
        for (String part : text.split("[,/]")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("share '" + part + "' is not GRID=SHARE");
            }
            try {
                String g = kv[0].trim();
                m.put(
                        g.equals("native")
                                ? MultiscaleArMethod.NATIVE
                                : g.equals("luma")
                                        ? LUMA_KEY
                                        : g.equals("chroma")
                                                ? CHROMA_KEY
                                                : g.equals("shared")
                                                        ? SHARED_KEY
                                                        : g.equals("wave")
                                                                ? WAVE_KEY
                                                                : g.equals("texture")
                                                                        ? TEXTURE_KEY
                                                                        : Integer.parseInt(g),
                        g.equals("wave") && kv[1].trim().equals("auto")
                                ? Double.NaN
                                : Double.parseDouble(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("share '" + part + "' is not GRID=SHARE");
            }
        }
        return m;
    }
}
