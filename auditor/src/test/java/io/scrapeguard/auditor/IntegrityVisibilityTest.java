package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scrapeguard.imaging.ImageQuality;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The audit reports how visible the protection is, as the poisoner and perturb do. */
class IntegrityVisibilityTest {

    @Test
    void reportsThePooledPsnrAndTheMeanSsimOfProtectedAgainstClean() throws Exception {
        Random rng = new Random(5);
        List<ImagePair> pairs = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 10; j++) {
                byte[] raw = new byte[16 * 16 * 3];
                byte[] pub = new byte[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    int v = 60 + rng.nextInt(120);
                    raw[i] = (byte) v;
                    pub[i] = (byte) (v + (rng.nextBoolean() ? 2 : -2));
                }
                pairs.add(
                        new ImagePair(
                                k + "-" + j,
                                "label-" + k,
                                new AuditImage(16, 16, 3, raw),
                                new AuditImage(16, 16, 3, pub)));
            }
        }
        AuditSample s = AuditSample.split(pairs, 0.2, 2, 10, 1, new SkipCounts());

        Integrity i = Integrity.measure(s, null);

        // every sample moved by 2 levels: PSNR = 20 log10(255 / 2)
        assertThat(i.psnr()).isCloseTo(20 * Math.log10(255 / 2.0), within(1e-6));
        double ssim = 0;
        for (ImagePair p : s.test()) {
            ssim += ImageQuality.ssim(p.raw().toImage8(), p.published().toImage8());
        }
        assertThat(i.meanSsim()).isCloseTo(ssim / s.test().size(), within(1e-12)).isLessThan(1);
    }
}
