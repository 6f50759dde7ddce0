package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scrapeguard.imaging.Image8;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Coverage counts 32x32 regions of the change actually delivered. */
class RegionCoverageTest {
    @Test
    void anEvenChangeCoversEveryRegionAndABlotchOneRegion() {
        double[] even = new double[128 * 128 * 3];
        Arrays.fill(even, 0.01);
        RegionCoverage all = RegionCoverage.of(even, 128, 128, 3);
        assertThat(all.regions()).isEqualTo(16);
        assertThat(all.covered()).isEqualTo(1.0);
        assertThat(all.peak()).isCloseTo(1.0, within(1e-9));

        double[] corner = new double[128 * 128 * 3];
        for (int y = 96; y < 128; y++) {
            for (int x = 96; x < 128; x++) {
                corner[(y * 128 + x) * 3] = 0.1;
            }
        }
        RegionCoverage blotch = RegionCoverage.of(corner, 128, 128, 3);
        assertThat(blotch.covered()).isEqualTo(1.0 / 16);
        assertThat(blotch.peak()).isCloseTo(16.0, within(1e-9));
    }

    @Test
    void narrowEdgeStripsJoinTheirNeighbours() {
        assertThat(RegionCoverage.of(new double[100 * 40], 40, 100, 1).regions()).isEqualTo(3);
        assertThat(RegionCoverage.of(new double[20 * 20], 20, 20, 1).regions()).isEqualTo(1);
    }

    @Test
    void theProtectorMeasuresWhatClippingLeaves() {
        byte[] px = new byte[64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                px[y * 64 + x] = (byte) (x < 32 ? 255 : 128);
            }
        }
        double[] up = new double[64 * 64];
        Arrays.fill(up, 0.02);
        ProtectedResult r =
                Protector.apply(Image8.of(64, 64, 1, px), new Perturbation(64, 64, 1, up));
        // the white half cannot get brighter: half the regions carry nothing
        assertThat(r.coverage().covered()).isEqualTo(0.5);
        assertThat(r.coverage().peak()).isCloseTo(2.0, within(1e-9));
        assertThat(r.psnr())
                .isCloseTo(10 * Math.log10(2.0 / 25.0) + 20 * Math.log10(255), within(1e-9));
    }
}
