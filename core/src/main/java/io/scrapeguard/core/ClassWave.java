package io.scrapeguard.core;

import io.scrapeguard.imaging.ChromaWaves;

/**
 * The class's low-frequency chroma wave: a plane wave whose code (orientation and frequency) and
 * colour axis (JFIF's Cb or Cr row in RGB) name the class, at a phase drawn per image. Five codes
 * per axis: 0, 45 and 90 degrees at 3.2 cycles per short side, 0 and 90 degrees at 4.8. None is
 * another's mirror image, so a scraper's horizontal flip (the most common training augmentation,
 * which turns 45 degrees into 135) gives no class another's wave; with five orientations 36 degrees
 * apart it did, and a canary trained with flips followed the waves on 45% of clean photos instead
 * of 73% (docs/benchmarks.md). Along every row it is an exact sample of the AR(2) recurrence x[j] =
 * 2 cos(w) x[j-1] - x[j-2], so a class still has its process; being narrowband and of low
 * frequency, it sits where JPEG keeps energy (4:2:0 keeps chroma of periods over 4 pixels, and
 * quantisation spares a few large coefficients where it zeroes many small ones), and photos have
 * little chroma texture there (docs/benchmarks.md: JPEG at 32x32). The random phase makes the
 * class's mean over images vanish. Ten classes at most share the ten codes; more repeat them. Unit
 * RMS; a one-channel image gets the wave in its one channel. The geometry is {@link ChromaWaves}'s,
 * and it is public: a scraper that knows it fits the waves out ({@code unwave}; docs/security.md).
 */
public final class ClassWave {
    /**
     * The grid (cells on the short side) a larger delta is read on: the waves are whole there, at a
     * small cost. The audit and {@link MultiscaleArFilter} both read at it.
     */
    public static final int READ_GRID = 32;

    /** The distinct waves: five codes times two axes. */
    public static final int DISTINCT = ChromaWaves.DISTINCT;

    private ClassWave() {}

    /**
     * The class (0 to {@link #DISTINCT} - 1) on whose wave, at any phase, the delta (HWC) has the
     * most energy: how the audit reads a wave-protected delta, which the AR filters do not name.
     */
    public static int classify(double[] v, int height, int width, int channels) {
        return strongest(energies(v, height, width, channels));
    }

    /**
     * The class whose wave holds at least half of a delta's {@code energy} (its squared L2), from
     * its {@link #energies}; -1 where none does (an AR delta holds a few percent on any wave). The
     * poisoner's filter and the audit tell wave deltas from AR ones by it.
     */
    public static int dominant(double[] energies, double energy) {
        int k = strongest(energies);
        return energies[k] >= 0.5 * energy ? k : -1;
    }

    /** The class of the most energy in {@link #energies}. */
    public static int strongest(double[] energies) {
        int best = 0;
        for (int k = 1; k < energies.length; k++) {
            if (energies[k] > energies[best]) {
                best = k;
            }
        }
        return best;
    }

    /** The delta's (HWC) energy on each class's wave, at its best-fitting phase. */
    public static double[] energies(double[] v, int height, int width, int channels) {
        return ChromaWaves.energies(v, height, width, channels);
    }

    /** An image's phase, in cycles, uniform in [0, 1) from its own draws. */
    static double phase(GaussianSource g) {
        return (g.nextLong() >>> 11) * 0x1.0p-53;
    }

    /** The class's wave at {@code phase} cycles, at unit RMS (HWC). */
    static void unitRmsInto(
            double[] out, int classIndex, double phase, int height, int width, int channels) {
        ChromaWaves.unitRmsInto(out, classIndex, phase, height, width, channels);
    }
}
