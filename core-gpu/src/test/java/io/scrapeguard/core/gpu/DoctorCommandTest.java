package io.scrapeguard.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./guard doctor} on this machine's CPU build, and in child JVMs without the native jar:
 * PYTORCH_LIBRARY_PATH pointed at the CPU libtorch DJL unpacked from pytorch-native-cpu.
 */
class DoctorCommandTest {
    @TempDir Path tmp;

    @Test
    void reportsTheCpuEngineFromTheClasspathJar() {
        List<NativeJar> jars = NativeJar.onClasspath();
        assumeTrue(
                jars.size() == 1 && jars.get(0).flavor().equals("cpu"),
                "this build's flavour is cpu (the -Dguard.torch default)");
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new DoctorCommand());
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute()).isZero();
        String screen = out.toString();
        assertThat(screen)
                .contains("engine               PyTorch 2.7.1 on DJL 0.35.1, loaded")
                .contains("flavour              cpu\n")
                .contains("found by             the native jar on the classpath")
                .contains("devices              cpu\n")
                .contains("no GPU: auto runs on the CPU")
                .contains("native jar           pytorch-native-cpu-2.7.1-linux-x86_64.jar")
                .contains(
                        "jni bridge           pytorch-jni-2.7.1-0.35.1.jar (linux-x86_64: cpu,"
                                + " cu128)")
                .doesNotContain("fix ");
        assertThat(screen.lines().count()).as("one screen").isLessThan(24);
        // the auditor's start-up line carries the same facts
        assertThat(TorchReport.probe().oneLine())
                .startsWith(
                        "PyTorch 2.7.1 cpu (DJL 0.35.1) from"
                                + " pytorch-native-cpu-2.7.1-linux-x86_64.jar at "
                                + LibUtils.getLibtorchPath())
                .contains("; devices cpu");
    }

    @Test
    void pytorchLibraryPathIsHonouredWithoutTheNativeJar() throws Exception {
        Path libtorch = cpuLibtorchElsewhere();
        Child c =
                doctor(
                        Map.of(
                                TorchSettings.LIBRARY_PATH,
                                libtorch.toString(),
                                TorchSettings.FLAVOR,
                                "cpu",
                                TorchSettings.VERSION,
                                "2.7.1"));
        assertThat(c.exit()).as(c.output()).isZero();
        assertThat(c.output())
                .contains("engine               PyTorch 2.7.1 on DJL 0.35.1, loaded")
                .contains("libtorch             " + libtorch + "\n")
                .contains("found by             PYTORCH_LIBRARY_PATH\n")
                .contains("native jar           none on the classpath")
                .contains("flavour              cpu\n");
    }

    @Test
    void pytorchLibraryPathWithoutFlavourIsExplained() throws Exception {
        Path libtorch = cpuLibtorchElsewhere();
        Child c = doctor(Map.of(TorchSettings.LIBRARY_PATH, libtorch.toString()));
        assertThat(c.exit()).as(c.output()).isEqualTo(DoctorCommand.NOT_LOADED);
        assertThat(c.output())
                .contains("PyTorch did not load")
                .contains("cpu-precxx11")
                .contains("fix                  PYTORCH_FLAVOR is unset");
    }

    @Test
    void aCpuLibtorchWithTheCudaFlavourIsExplained() throws Exception {
        Path libtorch = cpuLibtorchElsewhere();
        Child c =
                doctor(
                        Map.of(
                                TorchSettings.LIBRARY_PATH,
                                libtorch.toString(),
                                TorchSettings.FLAVOR,
                                "cu128"));
        assertThat(c.exit()).as(c.output()).isEqualTo(DoctorCommand.NOT_LOADED);
        assertThat(c.output())
                .contains("PyTorch did not load")
                .contains(
                        "fix                  PYTORCH_LIBRARY_PATH holds a libtorch without CUDA"
                            + " (no libtorch_cuda.so) but PYTORCH_FLAVOR=cu128 asks for the CUDA"
                            + " bridge");
    }

    @Test
    void noNativeJarAndNoLibraryPathSaysWhatToSet() throws Exception {
        Child c = doctor(Map.of());
        assertThat(c.exit()).as(c.output()).isEqualTo(DoctorCommand.NOT_LOADED);
        assertThat(c.output())
                .contains("PyTorch did not load")
                .contains("native jar           none on the classpath")
                .contains("fix                  no native jar on the classpath")
                .contains("set it to the lib folder of a CUDA 12.8 libtorch 2.7.1")
                .contains("offline mode forbids DJL's download");
    }

    /**
     * The CPU libtorch that DJL unpacked from pytorch-native-cpu, linked into a folder of its own,
     * so that a report naming that folder can only come from PYTORCH_LIBRARY_PATH.
     */
    private Path cpuLibtorchElsewhere() throws IOException {
        assumeTrue(
                NativeJar.onClasspath().stream().anyMatch(j -> j.flavor().equals("cpu")),
                "pytorch-native-cpu on the test classpath (the cpu flavour)");
        Engine.getEngine(Accelerators.ENGINE);
        Path unpacked = Path.of(LibUtils.getLibtorchPath());
        Path dir = Files.createDirectories(tmp.resolve("libtorch-cpu/lib"));
        try (Stream<Path> files = Files.list(unpacked)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().contains("djl_torch")) {
                    Files.createSymbolicLink(dir.resolve(f.getFileName()), f);
                }
            }
        }
        return dir.toAbsolutePath().normalize();
    }

    record Child(int exit, String output) {}

    /** DoctorCommand in a JVM with this test's classpath minus the PyTorch native jar. */
    private Child doctor(Map<String, String> env) throws Exception {
        String cp =
                Arrays.stream(testClasspath().split(File.pathSeparator))
                        .filter(
                                e ->
                                        !Path.of(e)
                                                .getFileName()
                                                .toString()
                                                .startsWith("pytorch-native-"))
                        .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "--enable-native-access=ALL-UNNAMED",
                                "-cp",
                                cp,
                                DoctorCommand.class.getName()));
        Path log = Files.createTempFile(tmp, "doctor", ".txt");
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        for (String inherited :
                List.of(
                        TorchSettings.LIBRARY_PATH,
                        TorchSettings.FLAVOR,
                        TorchSettings.VERSION,
                        "DJL_OFFLINE")) {
            pb.environment().remove(inherited);
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("doctor did not finish in 120 s: " + Files.readString(log));
        }
        return new Child(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Surefire runs tests from a manifest-only jar; the real classpath is in this property. */
    private static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
