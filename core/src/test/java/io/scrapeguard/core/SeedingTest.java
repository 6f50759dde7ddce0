package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.SyntheticImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedingTest {
    @TempDir Path dir;

    private static byte[] protectedPng(SeedingKey key, ProcessBank bank, String id, Image8 img) {
        Protector p = new Protector(new ArPerturbationMethod(bank, key, Budget.defaultL2()));
        return p.protect(img, 3, id).image().encodePng();
    }

    @Test
    void sameKeyIdAndBankGiveByteIdenticalOutputAndDifferentIdsDiffer() throws Exception {
        Image8 img = SyntheticImages.natural(1, 48, 40, 3);
        ProcessBank bank = ProcessBank.paperDefault();
        byte[] a = protectedPng(SeedingKey.of("secret"), bank, "photo-1", img);
        byte[] again =
                protectedPng(
                        SeedingKey.of("secret"),
                        ProcessBank.fromJson(bank.toJson()),
                        "photo-1",
                        img);
        assertThat(again).isEqualTo(a);
        assertThat(protectedPng(SeedingKey.of("secret"), bank, "photo-2", img)).isNotEqualTo(a);
        assertThat(protectedPng(SeedingKey.of("other"), bank, "photo-1", img)).isNotEqualTo(a);
        // and the decoded output differs from the input
        assertThat(ImageCodec.decode(a)).isNotEqualTo(img);
    }

    @Test
    void differentIdsGetIndependentDraws() throws Exception {
        ArPerturbationMethod m = new ArPerturbationMethod(SeedingKey.of("k"));
        double[] x = m.perturbation(0, "a", 32, 32, 3).values();
        double[] y = m.perturbation(0, "b", 32, 32, 3).values();
        double xy = 0;
        for (int i = 0; i < x.length; i++) {
            xy += x[i] * y[i];
        }
        // cosine similarity of two unit vectors from independent draws is small
        assertThat(Math.abs(xy)).isLessThan(0.5);
    }

    @Test
    void hmacIsRealHmacSha256() throws Exception {
        // RFC 4231 test case 2
        ImageSeeds seeds = new ImageSeeds(SeedingKey.of("Jefe"));
        assertThat(HexFormat.of().formatHex(seeds.hmac("what do ya want for nothing?")))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void keyComesFromEnvironmentThenFileThenDevelopmentDefault() throws Exception {
        Path file = dir.resolve("key");
        Files.writeString(file, "from-file\n");
        SeedingKey env =
                SeedingKey.resolve(
                        Map.of(
                                SeedingKey.ENV_KEY,
                                "from-env",
                                SeedingKey.ENV_KEY_FILE,
                                file.toString()));
        assertThat(env).isEqualTo(SeedingKey.of("from-env"));
        assertThat(env.isDevelopmentDefault()).isFalse();
        SeedingKey fromFile = SeedingKey.resolve(Map.of(SeedingKey.ENV_KEY_FILE, file.toString()));
        assertThat(fromFile).isEqualTo(SeedingKey.of("from-file"));
        SeedingKey dev = SeedingKey.resolve(Map.of());
        assertThat(dev.isDevelopmentDefault()).isTrue();
        assertThat(dev).isEqualTo(SeedingKey.developmentDefault());
        assertThat(SeedingKey.developmentWarning()).contains("PUBLIC").contains(SeedingKey.ENV_KEY);
    }

    @Test
    void toStringNeverRevealsTheKey() throws Exception {
        for (SeedingKey k :
                new SeedingKey[] {
                    SeedingKey.of("hunter2-very-secret"),
                    SeedingKey.resolve(Map.of(SeedingKey.ENV_KEY, "hunter2-very-secret")),
                    SeedingKey.developmentDefault()
                }) {
            assertThat(k.toString())
                    .doesNotContain("hunter2")
                    .doesNotContain("NOT-SECRET")
                    .doesNotContain(
                            HexFormat.of().formatHex("hunter2".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(new ArPerturbationMethod(SeedingKey.of("hunter2")).describe())
                .doesNotContain("hunter2");
    }

    @Test
    void badKeysAreRejectedClearly() throws Exception {
        assertThatThrownBy(() -> SeedingKey.of("")).hasMessageContaining("empty");
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> SeedingKey.fromFile(empty)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> SeedingKey.fromFile(dir.resolve("missing")))
                .hasMessageContaining("not found");
    }
}
