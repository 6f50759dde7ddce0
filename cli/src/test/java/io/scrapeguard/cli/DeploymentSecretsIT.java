package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first deployment command, {@code AR_BANK_SOURCE=bank.json
 * ops/secrets/init-secrets.sh}, run on a copy of the script: it creates every secret the compose
 * file mounts in a folder only its owner can enter, keeps existing ones on a second run, and
 * without a bank says what to do and fails.
 */
class DeploymentSecretsIT {
    @TempDir Path tmp;

    @Test
    void initSecretsCreatesEverySecretOnceAndKeepsThem() throws Exception {
        Path dir = copyOfScript("secrets");
        Path bank = Files.writeString(tmp.resolve("bank.json"), "{\"processes\": []}\n");

        Result first = run(dir, bank);
        assertThat(first.exit()).as(first.output()).isZero();
        for (String f :
                new String[] {
                    "seeding-key",
                    "grafana-admin-password",
                    "alert-webhook-critical",
                    "alert-webhook-warning",
                    "ar-bank.json"
                }) {
            assertThat(dir.resolve(f)).isNotEmptyFile();
            assertThat(first.output()).contains("create " + f);
        }
        assertThat(Files.readString(dir.resolve("ar-bank.json"))).isEqualTo(Files.readString(bank));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        String key = Files.readString(dir.resolve("seeding-key"));

        Result second = run(dir, bank);
        assertThat(second.exit()).isZero();
        assertThat(second.output()).contains("keep   seeding-key").doesNotContain("create");
        assertThat(Files.readString(dir.resolve("seeding-key"))).isEqualTo(key);
    }

    @Test
    void withoutABankItSaysWhatToDo() throws Exception {
        Path dir = copyOfScript("no-bank");
        Result r = run(dir, null);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("set AR_BANK_SOURCE=");
        assertThat(dir.resolve("ar-bank.json")).doesNotExist();
    }

    private Path copyOfScript(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path script = dir.resolve("init-secrets.sh");
        Files.copy(GuardScript.ROOT.resolve("ops/secrets/init-secrets.sh"), script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private record Result(int exit, String output) {}

    private static Result run(Path dir, Path bank) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(dir.resolve("init-secrets.sh").toString())
                        .redirectErrorStream(true);
        pb.environment().remove("AR_BANK_SOURCE");
        if (bank != null) {
            pb.environment().put("AR_BANK_SOURCE", bank.toString());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
