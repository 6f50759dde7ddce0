package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The poisoner and producer images carry their module's own lib set (target/service-lib, made by
 * the package phase the Dockerfile runs): no broker, registry or PyTorch, and enough to start
 * through the image's entry point with the main class the Dockerfile names.
 */
class ServiceImageLibrariesTest {
    /**
     * Jars of the embedded broker, of Apicurio and of DJL/PyTorch (files are groupId.artifactId).
     */
    private static final Pattern FORBIDDEN =
            Pattern.compile(
                    "org\\.apache\\.kafka\\.kafka_2\\.13-.*|org\\.apache\\.kafka\\.kafka-server.*"
                        + "|org\\.apache\\.kafka\\.kafka-(raft|metadata|storage|coordinator).*"
                        + "|io\\.apicurio\\..*|ai\\.djl\\..*|.*pytorch.*|.*scrapeguard-embedded.*");

    @ParameterizedTest
    @CsvSource({
        "poisoner, poisoner-stream, org.apache.kafka.kafka-streams-",
        "producer, producer, org.apache.kafka.kafka-clients-"
    })
    void theImageCarriesOnlyItsServicesLibraries(String target, String module, String needed)
            throws IOException {
        List<String> jars = jars(module);
        assertThat(jars)
                .as("%s's lib set", module)
                .anyMatch(j -> j.startsWith(needed))
                .anyMatch(j -> j.startsWith("io.scrapeguard.scrapeguard-service-"))
                .anyMatch(j -> j.startsWith("io.scrapeguard.scrapeguard-logging-"))
                .noneMatch(j -> FORBIDDEN.matcher(j).matches());
        // the pattern knows the names copy-dependencies gives those jars
        assertThat(
                        List.of(
                                "org.apache.kafka.kafka_2.13-4.3.1.jar",
                                "org.apache.kafka.kafka-server-4.3.1.jar",
                                "io.apicurio.apicurio-registry-app.jar",
                                "ai.djl.pytorch.pytorch-engine-0.35.1.jar",
                                "ai.djl.api-0.35.1.jar"))
                .allMatch(j -> FORBIDDEN.matcher(j).matches());
    }

    @ParameterizedTest
    @CsvSource({
        "poisoner, poisoner-stream, poisoner, --state-dir",
        "producer, producer, publish, --max-in-flight-bytes"
    })
    void theEntryPointStartsTheServiceFromItsOwnLibSet(
            String target, String module, String command, String option) throws Exception {
        String main = guardMainOf(target);
        Run help = entrypoint(module, main, command, "--help");
        assertThat(help.exit()).as(help.out()).isZero();
        assertThat(help.out()).contains("Usage: guard " + command).contains(option);
        // the other services' commands are not in this image
        Run other = entrypoint(module, main, "auditor");
        assertThat(other.exit()).as(other.out()).isEqualTo(2);
        assertThat(other.out()).startsWith("guard: error:").contains("auditor");
    }

    private static List<String> jars(String module) throws IOException {
        Path lib = Repo.path(module + "/target/service-lib");
        assertThat(lib).as("made by `mvn package -pl %s`", module).isDirectory();
        try (Stream<Path> files = Files.list(lib)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String guardMainOf(String target) {
        String dockerfile = Repo.read("ops/docker/Dockerfile");
        Matcher m =
                Pattern.compile("(?s)FROM \\S+ AS " + target + "\\n.*?GUARD_MAIN=(\\S+)")
                        .matcher(dockerfile);
        assertThat(m.find()).as("GUARD_MAIN of the %s stage", target).isTrue();
        return m.group(1);
    }

    record Run(int exit, String out) {}

    private static Run entrypoint(String module, String main, String... args) throws Exception {
        List<String> argv =
                Stream.concat(
                                Stream.of(
                                        "bash",
                                        Repo.path("ops/docker/guard-entrypoint.sh").toString()),
                                Stream.of(args))
                        .toList();
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment()
                .put(
                        "PATH",
                        Path.of(System.getProperty("java.home"), "bin")
                                + ":"
                                + System.getenv("PATH"));
        pb.environment().put("GUARD_LIB_DIR", Repo.path(module + "/target/service-lib").toString());
        pb.environment().put("GUARD_CLASSES", Repo.path(module + "/target/classes").toString());
        pb.environment().put("GUARD_MAIN", main);
        pb.environment().put("GUARD_HOME", Repo.path(module + "/target").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
