package io.scrapeguard.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FineTextureTest {

    @Test
    void grainReadsHighFlatColourWithEdgesLow() {
        Random rng = new Random(3);
        byte[] grain = new byte[32 * 32 * 3];
        byte[] shapes = new byte[32 * 32 * 3];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean inside = (x - 16) * (x - 16) + (y - 16) * (y - 16) < 100;
                for (int c = 0; c < 3; c++) {
                    int i = (y * 32 + x) * 3 + c;
                    grain[i] = (byte) (100 + rng.nextInt(60));
                    shapes[i] = (byte) ((inside ? 200 : 40) + rng.nextInt(3));
                }
            }
        }
        // uniform grain of 60 levels: |4a - b - c - d - e| has a median of about 40
        assertThat(FineTexture.level(Image8.wrap(32, 32, 3, grain, null))).isBetween(25.0, 60.0);
        // a hard-edged disc on a flat ground: the edge pixels do not move the median
        assertThat(FineTexture.level(Image8.wrap(32, 32, 3, shapes, null))).isLessThan(4.0);
        assertThat(FineTexture.level(Image8.wrap(2, 2, 1, new byte[4], null))).isZero();
    }
}
