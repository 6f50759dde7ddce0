package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong use of the real {@code ./guard} script: one line on stderr saying what is wrong, a non-zero
 * exit, never a stack trace.
 */
class WrongUseIT {
    private static final Duration QUICK = Duration.ofMinutes(2);

    @TempDir Path tmp;

    private static void assertOneLineError(GuardScript.Result r, int exit, String... words) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
        List<String> lines = r.stderrLines();
        assertThat(lines).as(r.toString()).hasSize(1);
        assertThat(lines.get(0)).startsWith("guard: error: ").contains(words);
        assertThat(r.stderr()).doesNotContain("\tat ", "Exception in thread");
    }

    @Test
    void unknownCommand() {
        GuardScript.Result r = GuardScript.of(tmp, "frobnicate").run(QUICK);
        assertOneLineError(r, 2, "unknown command 'frobnicate'", "guard --help");
    }

    @Test
    void unknownSubcommandSuggestsTheNearOne() {
        GuardScript.Result r = GuardScript.of(tmp, "dmeo").run(QUICK);
        assertOneLineError(r, 2, "unknown command 'dmeo'", "demo");
    }

    @Test
    void badOptionValue() {
        GuardScript.Result r = GuardScript.of(tmp, "demo", "--per-class", "many").run(QUICK);
        assertOneLineError(r, 2, "--per-class", "'many'", "guard demo --help");
    }

    @Test
    void missingImagesFolder() {
        Path missing = tmp.resolve("no-such-folder");
        GuardScript.Result r =
                GuardScript.of(
                                tmp,
                                "demo",
                                "--images",
                                missing.toString(),
                                "--data-dir",
                                tmp.resolve("data").toString())
                        .run(QUICK);
        assertOneLineError(r, 1, "no such folder", missing.toString());
    }

    @Test
    void unknownControl() {
        GuardScript.Result r = GuardScript.of(tmp, "demo", "--control", "blur").run(QUICK);
        assertOneLineError(r, 1, "--control", "'blur'");
    }

    @Test
    void publishWithoutARunningStack() {
        GuardScript.Result r =
                GuardScript.of(
                                tmp,
                                "publish",
                                tmp.toString(),
                                "--data-dir",
                                tmp.resolve("nothing-running").toString())
                        .run(QUICK);
        assertOneLineError(r, 1, "no running ScrapeGuard stack", "./guard up");
    }

    @Test
    void upWithoutLabelsSaysHowToGiveThemBeforeStartingAnything() {
        Path data = tmp.resolve("data");
        GuardScript.Result r =
                GuardScript.of(tmp, "up", "--metrics-port", "0", "--data-dir", data.toString())
                        .run(QUICK);
        assertOneLineError(r, 1, "strict", "--labels", "--labels-file", "--label-policy open");
        assertThat(data.resolve("endpoints.properties")).as("nothing started").doesNotExist();
    }

    @Test
    void metricsPortInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            GuardScript.Result r =
                    GuardScript.of(
                                    tmp,
                                    "up",
                                    "--metrics-port",
                                    Integer.toString(port),
                                    "--data-dir",
                                    tmp.resolve("data").toString(),
                                    "--labels",
                                    "cats")
                            .run(QUICK);
            assertOneLineError(r, 1, "port " + port, "in use", "--metrics-port");
        }
    }

    /**
     * No JDK >= 21 anywhere: JAVA_HOME on a JDK 17, no folder of JDKs to scan, and a javac 17 first
     * on PATH. The launcher stops before Maven or Java with one line and exit 3.
     */
    @Test
    void noJdk21() throws IOException {
        Path jdk17 = fakeJdk(tmp.resolve("jdk-17"), "17.0.9");
        Path real17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        Path javaHome = Files.isExecutable(real17.resolve("bin/javac")) ? real17 : jdk17;
        Path empty = Files.createDirectories(tmp.resolve("no-jdks"));
        GuardScript.Result r =
                GuardScript.of(tmp, "--help")
                        .env("JAVA_HOME", javaHome.toString())
                        .env("GUARD_JDK_DIRS", empty.toString())
                        .env("PATH", jdk17.resolve("bin") + ":/usr/bin:/bin")
                        .run(QUICK);
        assertOneLineError(r, 3, "no JDK >= 21 found", javaHome.toString(), "JAVA_HOME");
        assertThat(r.stdout()).isEmpty();
    }

    /** A folder that looks like a JDK of the given version to the launcher. */
    private static Path fakeJdk(Path home, String version) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        for (String tool : List.of("java", "javac")) {
            Path f = bin.resolve(tool);
            Files.writeString(f, "#!/bin/sh\necho 'openjdk version \"" + version + "\"' >&2\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }
}
