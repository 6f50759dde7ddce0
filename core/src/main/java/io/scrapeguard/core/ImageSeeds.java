package io.scrapeguard.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-image randomness: HMAC-SHA256(key, imageId) seeds a {@link GaussianSource}. The same key and
 * id always give the same draws (reprocessing is idempotent); different ids give independent draws;
 * without the key the draws cannot be predicted. Thread-safe.
 */
public final class ImageSeeds {
    private final SecretKeySpec keySpec;
    private final ThreadLocal<Mac> macs;

    public ImageSeeds(SeedingKey key) {
        this.keySpec = new SecretKeySpec(key.bytes(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keySpec);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The 32-byte HMAC-SHA256(key, id). */
    public byte[] hmac(String id) {
        if (id == null) {
            throw new IllegalArgumentException("image id is missing");
        }
        return macs.get().doFinal(id.getBytes(StandardCharsets.UTF_8));
    }

    /** The Gaussian source of an image: xoroshiro128++ seeded with the HMAC's first 16 bytes. */
    public GaussianSource gaussians(String imageId) {
        ByteBuffer b = ByteBuffer.wrap(hmac(imageId));
        return new GaussianSource(b.getLong(), b.getLong());
    }

    /**
     * A source for key-dependent material that is not an image (a class's pattern in the
     * baselines). The NUL-prefixed domain cannot collide with a printable image id.
     */
    public GaussianSource derived(String domain, String name) {
        return gaussians(derivedId(domain, name));
    }

    /** The id {@link #derived} draws from, for methods that take an id where an image's goes. */
    static String derivedId(String domain, String name) {
        return "\u0000scrapeguard/" + domain + "/" + name;
    }
}
