package io.scrapeguard.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded mutation fuzzer over the one decoder (probe, fast PNG reader, ImageIO/TwelveMonkeys):
 * every mutant of valid and hostile seeds either decodes within the limits or is an {@link
 * ImageRejectedException}; nothing else escapes, and no input allocates more than its limits allow.
 * Bounded by a count of inputs, not by time. CI runs {@value #DEFAULT_INPUTS}; a longer run: {@code
 * mvn -pl imaging surefire:test -Dtest=DecoderFuzzTest -Dfuzz.inputs=200000 -Dfuzz.seed=N}
 * (docs/testing.md).
 */
class DecoderFuzzTest {
    static final int DEFAULT_INPUTS = 5000;
    private static final ImageLimits LIMITS = new ImageLimits(1_000_000, 4L << 20);

    /** Pixel buffers, ImageIO's rasters and the inflater for a 1 MP image, with room to spare. */
    private static final long MAX_ALLOCATION = 96L << 20;

    @Test
    @Timeout(600) // a hang guard only: the count of inputs bounds the work
    void mutantsDecodeOrAreRejectedWithAReason() {
        long seed = Long.getLong("fuzz.seed", 18L);
        int inputs = Integer.getInteger("fuzz.inputs", DEFAULT_INPUTS);
        List<byte[]> seeds = seeds();
        SplittableRandom rnd = new SplittableRandom(seed);
        int decoded = 0;
        int rejected = 0;
        long maxAllocated = 0;
        for (int i = 0; i < inputs; i++) {
            byte[] input = Mutator.mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            long before = allocated();
            try {
                Image8 img = ImageCodec.decode(input, LIMITS);
                assertThat((long) img.width() * img.height())
                        .isLessThanOrEqualTo(LIMITS.maxPixels());
                decoded++;
            } catch (ImageRejectedException e) {
                assertThat(e.reason()).isNotNull();
                rejected++;
            } catch (Throwable t) {
                fail("input %d of seed %d (%d bytes) escaped as %s", i, seed, input.length, t, t);
            }
            long cost = allocated() - before;
            maxAllocated = Math.max(maxAllocated, cost);
            if (cost > MAX_ALLOCATION) {
                fail("input %d of seed %d allocated %d bytes", i, seed, cost);
            }
        }
        System.out.printf(
                "decoder fuzz: seed %d, %d inputs, %d decoded, %d rejected, max %d MB allocated%n",
                seed, inputs, decoded, rejected, maxAllocated >> 20);
        assertThat(decoded + rejected).isEqualTo(inputs);
        assertThat(rejected).as("the mutations reach the error paths").isPositive();
    }

    private static List<byte[]> seeds() {
        List<byte[]> s = new ArrayList<>();
        Image8 picture = TestImages.picture(40, 30, 1);
        s.add(ImageCodec.encodePng(picture));
        s.add(ImageCodec.encodeJpeg(picture, 85));
        s.add(TestImages.progressiveJpeg(picture));
        s.add(ImageCodec.encodePng(Image8.of(20, 10, 1, new byte[200], null)));
        s.add(TestImages.jpegWithExif(24, 16, 2));
        s.add(TestImages.doubleIhdrPng());
        s.add(TestImages.jpegScanBomb(16, 16, 80));
        s.add(TestImages.bombPngHeader());
        return s;
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
