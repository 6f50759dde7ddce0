package io.scrapeguard.auditor;

/**
 * One image as it came in (raw) and as it was published (protected), joined by image id. Raw pixels
 * never leave the auditor.
 */
public record ImagePair(String id, String label, AuditImage raw, AuditImage published) {

    public ImagePair {
        if (!raw.sameShape(published)) {
            throw new IllegalArgumentException(
                    "raw "
                            + raw.shape()
                            + " and published "
                            + published.shape()
                            + " differ for "
                            + id);
        }
    }

    /** The producer's default image id: SHA-256 of the encoded bytes, in hex. */
    public static String idOf(byte[] encoded) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** published - raw, in [0, 1] pixel units, HWC. */
    public float[] delta() {
        float[] d = new float[raw.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (published.value(i) - raw.value(i));
        }
        return d;
    }
}
