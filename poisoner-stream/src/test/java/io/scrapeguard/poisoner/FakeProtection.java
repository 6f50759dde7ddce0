package io.scrapeguard.poisoner;

import io.scrapeguard.imaging.Image8;

/**
 * A stand-in perturbation for topology unit tests: +-3 grey levels in a pattern fixed by the
 * process and the image id. The AR engine itself is tested in core and end to end in the
 * integration tests.
 */
class FakeProtection implements ImageProtection {
    private final int bankSize;

    FakeProtection(int bankSize) {
        this.bankSize = bankSize;
    }

    @Override
    public Protection protect(Image8 image, int processIndex, String imageId) {
        byte[] px = image.pixels().clone();
        int seed = imageId.hashCode() * 31 + processIndex;
        double sum = 0;
        int max = 0;
        for (int i = 0; i < px.length; i++) {
            int d = ((seed ^ (i * 0x9E3779B1)) >>> 7 & 1) == 0 ? 3 : -3;
            int v = Math.max(0, Math.min(255, (px[i] & 0xff) + d));
            int delivered = v - (px[i] & 0xff);
            sum += delivered * delivered;
            max = Math.max(max, Math.abs(delivered));
            px[i] = (byte) v;
        }
        return new Protection(
                image.withPixels(px),
                Math.sqrt(sum) / 255,
                max / 255.0,
                3 * Math.sqrt(px.length) / 255,
                3 / 255.0);
    }

    @Override
    public int bankSize() {
        return bankSize;
    }

    @Override
    public String method() {
        return "test-pattern";
    }

    @Override
    public double budget() {
        return 1.0;
    }

    @Override
    public String bankVersion() {
        return "test";
    }
}
