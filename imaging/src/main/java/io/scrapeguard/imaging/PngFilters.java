package io.scrapeguard.imaging;

/** PNG filter arithmetic shared by {@link PngReader} and {@link PngWriter}. */
final class PngFilters {
    private PngFilters() {}

    /** The Paeth predictor (PNG specification, filter type 4). */
    static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
