package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code docker compose config} (Compose's own parser and validation; no engine needed) passes for
 * every profile. Skipped, with the reason, where no Compose v2 is installed: Debian's packages
 * offer only Compose 1.29, which cannot read {@code depends_on ... required: false}.
 */
class ComposeConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"confluent", "apicurio", "confluent,tools"})
    void composeAcceptsTheFileForEveryProfile(String profiles) throws Exception {
        assumeTrue(
                composeV2(),
                "no Docker Compose >= 2.20 on this machine (`docker compose"
                        + " version` failed); install the compose plugin to run this check");
        ProcessBuilder pb =
                new ProcessBuilder("docker", "compose", "config", "--quiet")
                        .directory(Repo.path(".").toFile())
                        .redirectErrorStream(true);
        pb.environment().put("COMPOSE_PROFILES", profiles);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker compose config (%s):%n%s", profiles, out).isZero();
    }

    private static boolean composeV2() {
        try {
            Process p =
                    new ProcessBuilder(List.of("docker", "compose", "version", "--short"))
                            .redirectErrorStream(true)
                            .start();
            String version = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return false;
            }
            String[] v = version.replaceFirst("^v", "").split("\\.");
            int major = Integer.parseInt(v[0]);
            return major > 2 || (major == 2 && Integer.parseInt(v[1]) >= 20);
        } catch (Exception e) {
            return false; // no docker binary at all
        }
    }
}
