package io.scrapeguard.serde;

import org.apache.avro.Schema;

/**
 * Checks, before Avro decodes a payload, that every length and item count in it fits in the bytes
 * that are left. Avro allocates a string, byte array or collection from its declared length before
 * reading it, so a 10-byte record declaring a 2 GiB string would otherwise cost 2 GiB of heap. The
 * walk only reads lengths and skips over data: it copies nothing, so its cost is bounded by the
 * payload's size (and nesting by {@link #MAX_DEPTH}).
 */
final class AvroBounds {
    /** Deeper nesting than any schema of ours; a recursive schema cannot blow the stack. */
    static final int MAX_DEPTH = 64;

    private final byte[] b;
    private final int end;
    private int pos;

    private AvroBounds(byte[] b, int offset, int length) {
        this.b = b;
        this.pos = offset;
        this.end = offset + length;
    }

    /**
     * @throws IllegalArgumentException naming what does not fit, when the payload declares more
     *     than it holds, nests deeper than {@link #MAX_DEPTH} or has bytes left over
     */
    static void check(Schema writer, byte[] payload, int offset, int length) {
        AvroBounds walk = new AvroBounds(payload, offset, length);
        walk.value(writer, 0);
        if (walk.pos != walk.end) {
            throw new IllegalArgumentException(
                    (walk.end - walk.pos) + " bytes left over after the record");
        }
    }

    private void value(Schema s, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (s.getType()) {
            case NULL -> {}
            case BOOLEAN -> skip(1, "a boolean");
            case INT, LONG -> varLong();
            case FLOAT -> skip(4, "a float");
            case DOUBLE -> skip(8, "a double");
            case STRING, BYTES -> skip(length("a " + s.getType().getName()), "its data");
            case FIXED -> skip(s.getFixedSize(), "a fixed of " + s.getFixedSize() + " bytes");
            case ENUM -> index(s.getEnumSymbols().size(), "enum symbol");
            case UNION ->
                    value(s.getTypes().get(index(s.getTypes().size(), "union branch")), depth + 1);
            case RECORD -> {
                for (Schema.Field f : s.getFields()) {
                    value(f.schema(), depth + 1);
                }
            }
            case ARRAY -> items(s.getElementType(), false, depth);
            case MAP -> items(s.getValueType(), true, depth);
        }
    }

    /**
     * Blocks of items until a zero count; in all no more items than the bytes left at the start.
     */
    private void items(Schema item, boolean map, int depth) {
        long maxItems = end - pos;
        long total = 0;
        while (true) {
            long count = varLong();
            if (count == 0) {
                return;
            }
            if (count < 0) {
                count = -count;
                length("a block size"); // the block's byte size, checked like any length
            }
            total += count;
            if (count < 0 || total > maxItems) {
                throw new IllegalArgumentException(
                        "a collection declares " + total + " items in " + maxItems + " bytes");
            }
            for (long i = 0; i < count; i++) {
                if (map) {
                    skip(length("a map key"), "a map key");
                }
                value(item, depth + 1);
            }
        }
    }

    /** A declared length: not negative and within the bytes left. */
    private int length(String what) {
        long n = varLong();
        if (n < 0 || n > end - pos) {
            throw new IllegalArgumentException(
                    what + " declares " + n + " bytes with " + (end - pos) + " left");
        }
        return (int) n;
    }

    private int index(int size, String what) {
        long i = varLong();
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException(what + " " + i + " out of 0.." + (size - 1));
        }
        return (int) i;
    }

    private void skip(int n, String what) {
        if (n > end - pos) {
            throw new IllegalArgumentException("the payload ends inside " + what);
        }
        pos += n;
    }

    /** Avro's zig-zag varint long (at most 10 bytes). */
    private long varLong() {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) {
                throw new IllegalArgumentException("the payload ends inside a number");
            }
            int x = b[pos++] & 0xff;
            raw |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IllegalArgumentException("a number longer than 10 bytes");
    }
}
