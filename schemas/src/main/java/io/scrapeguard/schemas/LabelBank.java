package io.scrapeguard.schemas;

import java.util.function.IntFunction;

/**
 * The bank a poisoner assigns labels from, as the label log sees it: its public fingerprint, its
 * size, and the fingerprint of its first n processes (to recognise claims made before the bank grew
 * by appending processes). Never the coefficients.
 *
 * @param fingerprint null for an unnamed bank: claims carry no fingerprint and none is checked
 * @param prefixFingerprint the fingerprint of the bank's first n processes (n < size), or null when
 *     it cannot be told
 */
public record LabelBank(String fingerprint, int size, IntFunction<String> prefixFingerprint) {
    public LabelBank {
        if (size < 1) {
            throw new IllegalArgumentException("bank size must be at least 1, got " + size);
        }
    }

    /** A bank of this size whose identity is not checked (tests, methods without a bank). */
    public static LabelBank unnamed(int size) {
        return new LabelBank(null, size, n -> null);
    }

    /** Whether claims written with bank {@code claimed} of {@code claimedSize} processes fit. */
    boolean accepts(String claimed, int claimedSize) {
        if (claimed.equals(fingerprint)) {
            return true;
        }
        // grown by appending: the processes those claims used are unchanged
        return claimedSize > 0
                && claimedSize < size
                && claimed.equals(prefixFingerprint.apply(claimedSize));
    }
}
