package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The live sample: redeliveries, read in any interleaving of the two topics, are not orphans. */
class PairReservoirTest {

    static byte[] png(int shade) {
        byte[] px = new byte[8 * 8 * 3];
        java.util.Arrays.fill(px, (byte) shade);
        return new AuditImage(8, 8, 3, px).encodePng();
    }

    @Test
    void aRedeliveredHalfOfASampledPairIsNotCountedAsWaitingForItsTwin() {
        byte[] raw = png(10);
        String id = ImagePair.idOf(raw);
        for (boolean protectedFirst : new boolean[] {true, false}) {
            PairReservoir r = new PairReservoir(10, 100, 1);
            // each topic's copies arrive together, as a consumer reading the topics may see them
            for (int topic = 0; topic < 2; topic++) {
                for (int copy = 0; copy < 2; copy++) {
                    if ((topic == 0) == protectedFirst) {
                        r.offerProtected(id, "a", png(20));
                    } else {
                        r.offerRaw(id, "a", raw);
                    }
                }
            }
            assertThat(r.size()).isEqualTo(1);
            assertThat(r.pending()).as("protected first: " + protectedFirst).isZero();
            assertThat(r.skipped().asMap()).isEmpty();
        }
    }

    @Test
    void aProtectedVersionPublishedAgainReplacesThePublishedImage() {
        byte[] raw = png(10);
        String id = ImagePair.idOf(raw);
        PairReservoir r = new PairReservoir(10, 100, 1);
        r.offerRaw(id, "a", raw);
        r.offerProtected(id, "a", png(20));
        r.offerProtected(id, "a", png(30));
        assertThat(r.snapshot())
                .singleElement()
                .satisfies(p -> assertThat(p.published().pixels()[0]).isEqualTo((byte) 30));
        assertThat(r.pending()).isZero();
    }
}
