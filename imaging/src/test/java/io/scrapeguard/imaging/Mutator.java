package io.scrapeguard.imaging;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Byte-level mutations of the kinds that break parsers: flipped bits, boundary values (lengths and
 * dimensions near 0, 2^31 and 2^32), inserted, deleted, duplicated and truncated ranges. Seeded, so
 * a failure names a reproducible input. Public: the Avro fuzzer uses it too.
 */
public final class Mutator {
    private static final byte[] INTERESTING = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xfe};

    private Mutator() {}

    /** One to four mutations of {@code seed}. */
    public static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        byte[] b = seed.clone();
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n && b.length > 0; k++) {
            b = once(b, rnd);
        }
        return b;
    }

    private static byte[] once(byte[] b, SplittableRandom rnd) {
        int at = rnd.nextInt(b.length);
        switch (rnd.nextInt(7)) {
            case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
            case 1 -> b[at] = INTERESTING[rnd.nextInt(INTERESTING.length)];
            case 2 -> {
                // a 32-bit big-endian field (PNG lengths and sizes) set to a boundary value
                int[] values = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 12_000, 65_535};
                int v = values[rnd.nextInt(values.length)];
                for (int i = 0; i < 4 && at + i < b.length; i++) {
                    b[at + i] = (byte) (v >>> (24 - 8 * i));
                }
            }
            case 3 -> {
                return Arrays.copyOf(b, at); // truncated
            }
            case 4 -> {
                int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                return concat(b, 0, at, b, at + len, b.length - at - len); // range deleted
            }
            case 5 -> {
                int len = Math.min(b.length - at, 1 + rnd.nextInt(256));
                int to = rnd.nextInt(b.length + 1);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(b, 0, to);
                out.write(b, at, len); // a range duplicated (a chunk or segment repeated)
                out.write(b, to, b.length - to);
                return out.toByteArray();
            }
            default -> {
                byte[] junk = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(junk);
                return concat(b, 0, at, junk, 0, junk.length, b, at, b.length - at);
            }
        }
        return b;
    }

    private static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i += 3) {
            out.write((byte[]) parts[i], (int) parts[i + 1], (int) parts[i + 2]);
        }
        return out.toByteArray();
    }
}
