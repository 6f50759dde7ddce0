package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dguard.torch} puts the intended PyTorch native library on ./guard's runtime classpath
 * (the cli module's, which the build copies to cli/target/lib) and no other: Maven resolves the
 * cli's runtime dependency tree for each flavour (POMs only: no 2.4 GB CUDA jar is downloaded).
 */
class TorchFlavourClasspathTest {
    private static final Pattern DJL_ARTIFACT =
            Pattern.compile("(ai\\.djl[\\w.]*):([\\w-]+):jar:(?:([\\w-]+):)?([\\w.-]+):(\\w+)");

    @TempDir Path tmp;

    @Test
    void cpuShipsTheCpuNativeJarOnly() throws Exception {
        Set<String> cp = runtimeDjl("cpu");
        assertThat(cp)
                .contains(
                        "ai.djl.pytorch:pytorch-native-cpu:linux-x86_64:2.7.1",
                        "ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1",
                        "ai.djl.pytorch:pytorch-engine:0.35.1");
        assertThat(nativeJars(cp))
                .containsExactly("ai.djl.pytorch:pytorch-native-cpu:linux-x86_64:2.7.1");
    }

    @Test
    void cu124ShipsTheCudaJarWithTheDjlItWasBuiltFor() throws Exception {
        Set<String> cp = runtimeDjl("cu124");
        assertThat(nativeJars(cp))
                .containsExactly("ai.djl.pytorch:pytorch-native-cu124:linux-x86_64:2.5.1");
        assertThat(cp).contains("ai.djl.pytorch:pytorch-jni:2.5.1-0.33.0");
        // one DJL release throughout: a 0.35.1 jar beside the 0.33.0 JNI bridge would not load
        assertThat(cp)
                .filteredOn(a -> !a.contains(":pytorch-"))
                .isNotEmpty()
                .allMatch(a -> a.endsWith(":0.33.0"));
        assertThat(cp).contains("ai.djl.pytorch:pytorch-engine:0.33.0");
    }

    @Test
    void cu128ShipsNoNativeJarAndTheJniWithTheCu128Bridge() throws Exception {
        Set<String> cp = runtimeDjl("cu128");
        assertThat(nativeJars(cp)).isEmpty();
        assertThat(cp)
                .contains(
                        "ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1",
                        "ai.djl.pytorch:pytorch-engine:0.35.1");
    }

    @Test
    void anUnknownFlavourFailsTheBuild() throws Exception {
        Maven r = maven("cuda");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output())
                .contains(
                        "-Dguard.torch (GUARD_TORCH for ./guard) is cpu, cu124 or"
                                + " cu128, not 'cuda'");
    }

    private static List<String> nativeJars(Set<String> cp) {
        return cp.stream().filter(a -> a.contains(":pytorch-native-")).toList();
    }

    /** The DJL artifacts (group:artifact[:classifier]:version) of the cli's runtime classpath. */
    private Set<String> runtimeDjl(String flavour) throws Exception {
        Maven r = maven(flavour);
        assertThat(r.exit()).as("mvn for %s:%n%s", flavour, r.output()).isZero();
        String tree = Files.readString(r.tree(), StandardCharsets.UTF_8);
        int cli = tree.indexOf("io.scrapeguard:scrapeguard-cli:jar:");
        assertThat(cli).as("the cli's tree in%n%s", tree).isNotNegative();
        Set<String> out = new LinkedHashSet<>();
        Matcher m = DJL_ARTIFACT.matcher(tree.substring(cli));
        while (m.find()) {
            out.add(
                    m.group(1)
                            + ":"
                            + m.group(2)
                            + ":"
                            + (m.group(3) == null ? "" : m.group(3) + ":")
                            + m.group(4));
        }
        return out;
    }

    record Maven(int exit, String output, Path tree) {}

    /**
     * {@code mvn validate dependency:tree} for cli and the modules it is built from (their POMs
     * from this checkout, not from ~/.m2), offline when the build running this test is.
     */
    private Maven maven(String flavour) throws Exception {
        String home = System.getProperty("guard.maven.home");
        Path mvn = home != null && !home.isBlank() ? Path.of(home, "bin", "mvn") : Path.of("mvn");
        Path tree = tmp.resolve("tree-" + flavour + ".txt");
        List<String> cmd = new ArrayList<>(List.of(mvn.toString(), "-B", "-q"));
        if ("offline:true".equals(System.getProperty("guard.maven.offline"))) {
            cmd.add("-o");
        }
        cmd.add("-Dguard.torch=" + flavour);
        cmd.addAll(
                List.of(
                        "-f",
                        GuardScript.ROOT.resolve("pom.xml").toString(),
                        "-pl",
                        "cli",
                        "-am",
                        "validate",
                        "dependency:tree",
                        "-Dscope=runtime",
                        "-DappendOutput=true",
                        "-DoutputFile=" + tree));
        Path log = tmp.resolve("mvn-" + flavour + ".log");
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mvn did not finish in 240 s: " + read(log));
        }
        return new Maven(p.exitValue(), read(log), tree);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
