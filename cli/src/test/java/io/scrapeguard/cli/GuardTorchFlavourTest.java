package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./guard} script's PyTorch flavour (GUARD_TORCH): what it asks Maven to build, that a
 * rebuild keeps the flavour, that a new flavour leaves no jar of the old one, and what it hands DJL
 * at run time. The script runs in a copy of the checkout with a fake Maven (which "copies" the
 * flavour's native jar, as the real build does) and a fake JDK (which prints what it was given).
 */
class GuardTorchFlavourTest {
    private static final Pattern PYTORCH_VERSION =
            Pattern.compile("<pytorch.version>([^<]+)</pytorch.version>");

    @TempDir Path root;
    private Path jdk;
    private Path mvnCalls;

    @BeforeEach
    void checkoutCopy() throws IOException {
        Files.copy(GuardScript.ROOT.resolve("guard"), root.resolve("guard"));
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(
                GuardScript.ROOT.resolve("scripts/find-jdk.sh"),
                root.resolve("scripts/find-jdk.sh"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(root.resolve("core/src/main"));
        mvnCalls = root.resolve("mvn-calls.txt");
        executable(
                root.resolve("fake-mvn"),
                """
                #!/bin/bash
                echo "$*${PYTORCH_FLAVOR:+ with PYTORCH_FLAVOR=$PYTORCH_FLAVOR}" >>"%s"
                torch=$(printf '%%s\\n' "$@" | sed -n 's/^-Dguard.torch=//p')
                mkdir -p cli/target/classes cli/target/lib
                touch cli/target/lib/picocli-4.7.7.jar
                case "$torch" in
                  cpu) touch cli/target/lib/pytorch-native-cpu-2.7.1-linux-x86_64.jar ;;
                  cu124) touch cli/target/lib/pytorch-native-cu124-2.5.1-linux-x86_64.jar ;;
                esac
                echo "[INFO] Building ScrapeGuard :: Command line"
                """
                        .formatted(mvnCalls));
        jdk = Files.createDirectories(root.resolve("jdk"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"21.0.8\"\n");
        executable(jdk.resolve("bin/javac"), "#!/bin/sh\n");
        executable(
                jdk.resolve("bin/java"),
                """
                #!/bin/bash
                echo "PYTORCH_FLAVOR=${PYTORCH_FLAVOR:-} PYTORCH_VERSION=${PYTORCH_VERSION:-}"
                echo "ARGS $*"
                """);
    }

    @Test
    void theFlavourReachesMavenAndARebuildKeepsIt() throws Exception {
        Run first = guard(Map.of(), "--version");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(mavenCalls()).containsExactly("-B -DskipTests -Dguard.torch=cpu package");
        assertThat(lib()).contains("pytorch-native-cpu-2.7.1-linux-x86_64.jar");

        Run cu128 = guard(Map.of("GUARD_TORCH", "cu128"), "--version");
        assertThat(cu128.exit()).as(cu128.err()).isZero();
        assertThat(mavenCalls()).last().isEqualTo("-B -DskipTests -Dguard.torch=cu128 package");
        assertThat(lib())
                .as("no CPU native jar left from the cpu build")
                .containsExactly("picocli-4.7.7.jar");

        // a source change rebuilds, without GUARD_TORCH: the last build's flavour, not cpu
        Files.writeString(root.resolve("core/src/main/Changed.java"), "class Changed {}\n");
        Run rebuild = guard(Map.of(), "--version");
        assertThat(rebuild.exit()).as(rebuild.err()).isZero();
        assertThat(mavenCalls())
                .hasSize(3)
                .last()
                .isEqualTo("-B -DskipTests -Dguard.torch=cu128 package");
        assertThat(lib()).doesNotContain("pytorch-native-cpu-2.7.1-linux-x86_64.jar");

        // and back: the cu124 jar replaces nothing but itself
        assertThat(guard(Map.of("GUARD_TORCH", "cu124"), "build").exit()).isZero();
        assertThat(lib())
                .containsExactlyInAnyOrder(
                        "picocli-4.7.7.jar", "pytorch-native-cu124-2.5.1-linux-x86_64.jar");

        // no rebuild when nothing changed and the flavour is the built one
        assertThat(guard(Map.of(), "--version").exit()).isZero();
        assertThat(mavenCalls()).hasSize(4);
        assertThat(guard(Map.of(), "test").exit()).isZero();
        assertThat(mavenCalls()).last().isEqualTo("-B -Dguard.torch=cu124 verify");
    }

    @Test
    void cu128HandsDjlTheFlavourAndAsksForALibraryPath() throws Exception {
        Run bare = guard(Map.of("GUARD_TORCH", "cu128"), "doctor");
        assertThat(bare.exit()).as(bare.err()).isZero();
        assertThat(bare.out())
                .contains("PYTORCH_FLAVOR=cu128 PYTORCH_VERSION=" + pomPytorch())
                .contains(
                        "-cp "
                                + root
                                + "/cli/target/classes:"
                                + root
                                + "/cli/target/lib/*"
                                + " io.scrapeguard.cli.Guard doctor");
        assertThat(bare.err())
                .contains("guard: warning: GUARD_TORCH=cu128 needs" + " PYTORCH_LIBRARY_PATH");

        Run set = guard(Map.of("PYTORCH_LIBRARY_PATH", "/opt/libtorch/lib"), "doctor");
        assertThat(set.err()).doesNotContain("warning");
        // the test suite of a cu128 build gets the same environment
        assertThat(guard(Map.of("PYTORCH_LIBRARY_PATH", "/opt/libtorch/lib"), "test").exit())
                .isZero();
        assertThat(mavenCalls())
                .last()
                .isEqualTo("-B -Dguard.torch=cu128 verify with PYTORCH_FLAVOR=cu128");
        Run cpu = guard(Map.of("GUARD_TORCH", "cpu"), "doctor");
        assertThat(cpu.out()).contains("PYTORCH_FLAVOR= PYTORCH_VERSION=");
    }

    @Test
    void anUnknownFlavourStopsBeforeMaven() throws Exception {
        Run r = guard(Map.of("GUARD_TORCH", "cuda"), "build");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip())
                .isEqualTo(
                        "guard: error: GUARD_TORCH is cpu, cu124 or cu128, not 'cuda'"
                                + " (docs/gpu.md)");
        assertThat(Files.exists(mvnCalls)).isFalse();
    }

    record Run(int exit, String out, String err) {}

    private Run guard(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("guard").toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .directory(root.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
        Map<String, String> e = pb.environment();
        List.of(
                        "GUARD_TORCH",
                        "GUARD_NO_BUILD",
                        "GUARD_JAVA_OPTS",
                        "PYTORCH_LIBRARY_PATH",
                        "PYTORCH_FLAVOR",
                        "PYTORCH_VERSION")
                .forEach(e::remove);
        e.put("JAVA_HOME", jdk.toString());
        e.put("GUARD_JDK_DIRS", "");
        e.put("GUARD_MVN", root.resolve("fake-mvn").toString());
        e.putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("./guard finished").isTrue();
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<String> mavenCalls() throws IOException {
        return Files.readAllLines(mvnCalls);
    }

    private List<String> lib() throws IOException {
        try (var files = Files.list(root.resolve("cli/target/lib"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** The PyTorch version the script hands DJL is the one the build ships. */
    private static String pomPytorch() throws IOException {
        Matcher m = PYTORCH_VERSION.matcher(Files.readString(GuardScript.ROOT.resolve("pom.xml")));
        assertThat(m.find()).as("pytorch.version in pom.xml").isTrue();
        return m.group(1);
    }

    private static void executable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
