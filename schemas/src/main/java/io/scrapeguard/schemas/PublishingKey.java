package io.scrapeguard.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The key that authenticates each protected record: the poisoner puts an HMAC-SHA256 in the {@value
 * #HEADER} header, {@code export}, the auditor and the platform's own consumer check it, so a
 * record written to the protected topic by anyone else (an unprotected image, correct schema) is
 * recognised as forged. The MAC covers, each as a 4-byte big-endian length and its bytes: the image
 * id, the label, the method (UTF-8) and the image bytes.
 *
 * <p>From {@code GUARD_PUBLISHING_KEY} (the key text) or {@code GUARD_PUBLISHING_KEY_FILE} (a file
 * holding it). Never printed.
 */
public final class PublishingKey {
    public static final String HEADER = "guard.mac";
    public static final String ENV = "GUARD_PUBLISHING_KEY";
    public static final String FILE_ENV = "GUARD_PUBLISHING_KEY_FILE";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_BYTES = 16;

    private final SecretKeySpec key;

    private PublishingKey(byte[] secret) {
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException(
                    "the publishing key must be at least " + MIN_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    public static PublishingKey of(String secret) {
        return new PublishingKey(secret.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** The key of {@code GUARD_PUBLISHING_KEY} or {@code _FILE}, if either is set. */
    public static Optional<PublishingKey> fromEnvironment() {
        return from(System.getenv());
    }

    static Optional<PublishingKey> from(Map<String, String> env) {
        String text = env.get(ENV);
        if (text != null && !text.isBlank()) {
            return Optional.of(of(text));
        }
        String file = env.get(FILE_ENV);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(Files.readString(Path.of(file.trim()))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE_ENV + " (" + file + ")", e);
        }
    }

    /** The MAC of a protected record. */
    public byte[] mac(ProtectedImage image) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            update(mac, image.getImageId().getBytes(StandardCharsets.UTF_8));
            update(mac, image.getLabel().getBytes(StandardCharsets.UTF_8));
            update(mac, image.getMethod().getBytes(StandardCharsets.UTF_8));
            ByteBuffer pixels = image.getImage().duplicate();
            mac.update(ByteBuffer.allocate(4).putInt(pixels.remaining()).array());
            mac.update(pixels);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Puts the record's MAC in {@code headers}. */
    public void sign(ProtectedImage image, Headers headers) {
        headers.remove(HEADER);
        headers.add(HEADER, mac(image));
    }

    /** Whether the record carries this key's MAC (compared in constant time). */
    public boolean verifies(ProtectedImage image, Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(HEADER);
        return h != null && h.value() != null && MessageDigest.isEqual(h.value(), mac(image));
    }

    private static void update(Mac mac, byte[] field) {
        mac.update(ByteBuffer.allocate(4).putInt(field.length).array());
        mac.update(field);
    }

    @Override
    public String toString() {
        return "PublishingKey[hidden]";
    }
}
