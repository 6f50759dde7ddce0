package io.scrapeguard.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The secret key behind every image's Gaussian start (HMAC-SHA256(key, imageId)). Whoever holds it
 * and the bank can recompute, and therefore subtract, the perturbation: keep it secret.
 *
 * <p>Resolution order of {@link #resolve()}: environment variable {@value #ENV_KEY} (the key text
 * itself), then {@value #ENV_KEY_FILE} (a file whose bytes are the key, a trailing newline
 * ignored), else the public {@link #developmentDefault()}, which callers must warn about. {@link
 * #toString()} never shows key material.
 */
public final class SeedingKey {
    public static final String ENV_KEY = "GUARD_SEEDING_KEY";
    public static final String ENV_KEY_FILE = "GUARD_SEEDING_KEY_FILE";
    private static final String DEVELOPMENT_TEXT =
            "scrapeguard-development-seeding-key-NOT-SECRET-do-not-use-in-production";

    private final byte[] key;
    private final String source;
    private final boolean developmentDefault;

    private SeedingKey(byte[] key, String source, boolean developmentDefault) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("seeding key from " + source + " is empty");
        }
        this.key = key.clone();
        this.source = source;
        this.developmentDefault = developmentDefault;
    }

    /** A key from raw bytes (tests, embedding applications). */
    public static SeedingKey of(byte[] key) {
        return new SeedingKey(key, "bytes", false);
    }

    /** A key from its text (UTF-8 bytes). */
    public static SeedingKey of(String key) {
        if (key == null) {
            throw new IllegalArgumentException("seeding key is missing");
        }
        return new SeedingKey(key.getBytes(StandardCharsets.UTF_8), "text", false);
    }

    /**
     * The publicly known development key: reproducible demos only. Everyone can recompute the
     * perturbations made with it; {@link #isDevelopmentDefault()} lets callers warn.
     */
    public static SeedingKey developmentDefault() {
        return new SeedingKey(
                DEVELOPMENT_TEXT.getBytes(StandardCharsets.UTF_8), "development default", true);
    }

    /** Reads a key file (its bytes, without a trailing newline). */
    public static SeedingKey fromFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("seeding key file not found: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read seeding key file " + file + ": " + e.getMessage());
        }
        int n = bytes.length;
        while (n > 0 && (bytes[n - 1] == '\n' || bytes[n - 1] == '\r')) {
            n--;
        }
        if (n == 0) {
            throw new IllegalArgumentException("seeding key file " + file + " is empty");
        }
        return new SeedingKey(Arrays.copyOf(bytes, n), "file " + file.getFileName(), false);
    }

    /** {@link #resolve(Map)} on the process environment. */
    public static SeedingKey resolve() {
        return resolve(System.getenv());
    }

    /** Key from {@value #ENV_KEY}, else {@value #ENV_KEY_FILE}, else the development default. */
    public static SeedingKey resolve(Map<String, String> env) {
        String text = env.get(ENV_KEY);
        if (text != null && !text.isEmpty()) {
            return new SeedingKey(text.getBytes(StandardCharsets.UTF_8), "$" + ENV_KEY, false);
        }
        String file = env.get(ENV_KEY_FILE);
        if (file != null && !file.isEmpty()) {
            return fromFile(Path.of(file));
        }
        return developmentDefault();
    }

    public boolean isDevelopmentDefault() {
        return developmentDefault;
    }

    /** The warning callers print when {@link #isDevelopmentDefault()}. */
    public static String developmentWarning() {
        return "using the PUBLIC development seeding key: anyone can recompute these perturbations;"
                + " set "
                + ENV_KEY
                + " or "
                + ENV_KEY_FILE
                + " for real use";
    }

    /** Where the key came from, without key material. */
    public String source() {
        return source;
    }

    byte[] bytes() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeedingKey k && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "SeedingKey(" + source + ", " + key.length + " bytes, hidden)";
    }
}
