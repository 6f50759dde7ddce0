package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ops/docker/Dockerfile, read instruction by instruction: what each stage builds, copies and runs
 * (there is no Docker engine here to build it).
 */
class DockerfileTest {
    private static final String DOCKERFILE = "ops/docker/Dockerfile";

    /** One stage: its base and its instructions (continuation lines joined). */
    record Stage(String name, String from, List<String> instructions) {
        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.startsWith(keyword + " ")).toList();
        }

        String last(String keyword) {
            List<String> found = all(keyword);
            return found.isEmpty() ? null : found.get(found.size() - 1);
        }
    }

    private final Map<String, String> args = new LinkedHashMap<>();
    private final Map<String, Stage> stages = parse(Repo.read(DOCKERFILE));

    @Test
    void buildStageRunsTheMavenBuildOnAJdk21Image() {
        Stage build = stages.get("build");
        assertThat(build.from()).isEqualTo("${MAVEN_BUILD_IMAGE}");
        assertThat(args.get("MAVEN_BUILD_IMAGE"))
                .contains("temurin-21")
                .isEqualTo(Repo.dotEnv().get("MAVEN_BUILD_IMAGE"));
        String run = String.join("\n", build.all("RUN"));
        // the modules behind ./guard's classpath (cli and everything it depends on), no tests
        assertThat(run)
                .contains("mvn -B")
                .contains("-DskipTests")
                .contains("-pl cli -am")
                .contains("package");
        // ... which also makes each slim service's lib set (bound to package in its pom)
        assertThat(run)
                .contains("test -d poisoner-stream/target/service-lib")
                .contains("test -d producer/target/service-lib");
        // the PyTorch flavour: cpu unless a target's build sets GUARD_TORCH (auditor-gpu)
        assertThat(args.get("GUARD_TORCH")).isEqualTo("cpu");
        assertThat(build.all("ARG")).contains("ARG GUARD_TORCH");
        assertThat(run).contains("-Dguard.torch=${GUARD_TORCH}");
        assertThat(build.all("COPY")).containsExactly("COPY . .");
    }

    @Test
    void runtimeIsAJre21WithTheApplicationAsANonRootUser() {
        Stage base = stages.get("base");
        assertThat(base.from()).isEqualTo("${JRE_IMAGE}");
        Stage runtime = stages.get("runtime");
        assertThat(runtime.from()).isEqualTo("base");
        assertThat(args.get("JRE_IMAGE"))
                .contains("21")
                .contains("jre")
                .isEqualTo(Repo.dotEnv().get("JRE_IMAGE"));
        // exactly what ./guard runs from: cli/target/classes + cli/target/lib/*
        String launcher = Repo.read("guard");
        assertThat(launcher)
                .contains("-cp \"$ROOT/cli/target/classes:$ROOT/cli/target/lib/*\"")
                .contains("io.scrapeguard.cli.Guard \"$@\"")
                .contains("-Dai.djl.offline=true");
        assertThat(runtime.all("COPY"))
                .containsExactly(
                        "COPY --from=build /src/cli/target/lib/ /app/lib/",
                        "COPY --from=build /src/cli/target/classes/ /app/classes/");
        assertThat(base.all("COPY"))
                .containsExactly(
                        "COPY --chmod=0755 ops/docker/guard-entrypoint.sh /app/bin/guard",
                        "COPY --chmod=0755 ops/docker/healthcheck.sh /app/bin/healthcheck");
        for (String copy : base.all("COPY")) {
            if (!copy.contains("--from=")) {
                String source = copy.split("\\s+")[copy.split("\\s+").length - 2];
                assertThat(Repo.path(source)).as("COPY source %s", source).isRegularFile();
            }
        }
        assertThat(base.last("USER")).as("non-root").matches("USER [1-9]\\d{3,}:[1-9]\\d{3,}");
        assertThat(String.join("\n", base.all("RUN"))).contains("useradd --system --uid 10001");
        assertThat(base.last("ENTRYPOINT")).isEqualTo("ENTRYPOINT [\"/app/bin/guard\"]");
        String entrypoint = Repo.read("ops/docker/guard-entrypoint.sh");
        assertThat(entrypoint)
                .contains("exec java -Dai.djl.offline=true ${JAVA_OPTS:-}")
                .contains("LIB=${GUARD_LIB_DIR:-/app/lib}")
                .contains(
                        "-cp \"${GUARD_CLASSES:-/app/classes}:$LIB/*\" "
                                + "\"${GUARD_MAIN:-io.scrapeguard.cli.Guard}\" \"$@\"");
        // heap sized from the container's memory limit
        assertThat(base.last("ENV"))
                .contains("-XX:MaxRAMPercentage=")
                .contains("-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void eachServiceHasATargetWithItsCommandPortAndHealthCheck() {
        Map<String, String> env = Repo.dotEnv();
        Map<String, String> ports =
                Map.of(
                        "poisoner",
                        env.get("POISONER_HTTP_PORT"),
                        "auditor",
                        env.get("AUDITOR_HTTP_PORT"));
        for (String target : List.of("poisoner", "auditor", "producer")) {
            Stage s = stages.get(target);
            assertThat(s).as("target %s", target).isNotNull();
            assertThat(s.last("CMD")).as("%s command", target).isNotNull();
        }
        // the auditor needs all of ./guard (PyTorch); the poisoner and producer their own set
        assertThat(stages.get("auditor").from()).isEqualTo("runtime");
        for (String[] slim :
                new String[][] {
                    {"poisoner", "poisoner-stream", "PoisonerMain"},
                    {"producer", "producer", "ProducerMain"}
                }) {
            Stage s = stages.get(slim[0]);
            assertThat(s.from()).as("%s carries no cli lib set", slim[0]).isEqualTo("base");
            assertThat(s.all("COPY"))
                    .containsExactly(
                            "COPY --from=build /src/" + slim[1] + "/target/service-lib/ /app/lib/",
                            "COPY --from=build /src/" + slim[1] + "/target/classes/ /app/classes/");
            assertThat(String.join("\n", s.all("ENV")))
                    .containsPattern("GUARD_MAIN=io\\.scrapeguard\\.\\w+\\." + slim[2] + "\\b");
        }
        for (Map.Entry<String, String> e : ports.entrySet()) {
            Stage s = stages.get(e.getKey());
            // the service's command, serving /metrics and /health on all interfaces on its port
            assertThat(s.last("CMD"))
                    .isEqualTo(
                            "CMD [\""
                                    + e.getKey()
                                    + "\", \"--metrics-host=0.0.0.0\", \"--metrics-port="
                                    + e.getValue()
                                    + "\"]");
            assertThat(String.join("\n", s.all("ENV"))).contains("GUARD_HTTP_PORT=" + e.getValue());
            assertThat(s.all("EXPOSE")).containsExactly("EXPOSE " + e.getValue());
            assertThat(s.last("HEALTHCHECK"))
                    .as("%s health check", e.getKey())
                    .contains("--start-period=")
                    .endsWith("CMD [\"/app/bin/healthcheck\"]");
        }
        // the auditor's PyTorch runs offline from the bundled native jar, caching where it may
        // write
        String auditorEnv = String.join("\n", stages.get("auditor").all("ENV"));
        assertThat(auditorEnv)
                .contains("-Dai.djl.offline=true")
                .contains("DJL_CACHE_DIR=/app/cache/djl")
                .contains("-XX:MaxRAMPercentage=");
        assertThat(stages.get("producer").all("HEALTHCHECK"))
                .as("one-shot: no server to probe")
                .isEmpty();
    }

    @Test
    void thePoisonerRunsWithTheCollectorItWasMeasuredWith() {
        // bench pipeline measured Parallel GC against G1 for the poisoner; ./guard and the image
        // agree
        String poisonerEnv = String.join("\n", stages.get("poisoner").all("ENV"));
        assertThat(poisonerEnv)
                .contains("-XX:+UseParallelGC")
                .doesNotContain("-XX:+UseG1GC")
                .contains("-XX:MaxRAMPercentage=")
                .contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(Repo.read("guard")).contains("JAVA_OPTS+=(-XX:+UseParallelGC)");
    }

    @Test
    void theGpuAuditorLoadsAMountedCuda128LibtorchAndNoNativeJar() {
        Stage gpu = stages.get("auditor-gpu");
        assertThat(gpu).as("target auditor-gpu").isNotNull();
        assertThat(gpu.from()).isEqualTo("runtime");
        // refuses to build from a cpu build, whose native jar would win over the mounted libtorch
        String checks = String.join("\n", gpu.all("RUN"));
        assertThat(gpu.all("ARG")).contains("ARG GUARD_TORCH");
        assertThat(checks)
                .contains("\"$GUARD_TORCH\" != cu128")
                .contains("/app/lib/pytorch-native-*")
                .contains("exit 1");
        String env = String.join("\n", gpu.all("ENV"));
        assertThat(env)
                .contains(
                        "PYTORCH_LIBRARY_PATH=/opt/libtorch/lib",
                        "PYTORCH_FLAVOR=cu128",
                        "PYTORCH_VERSION=" + pomProperty("pytorch.version"),
                        "DJL_CACHE_DIR=/app/cache/djl",
                        "-Dai.djl.offline=true",
                        "NVIDIA_DRIVER_CAPABILITIES=compute,utility");
        // otherwise the auditor: same command, port and health check
        Stage cpu = stages.get("auditor");
        assertThat(gpu.last("CMD")).isEqualTo(cpu.last("CMD"));
        assertThat(gpu.all("EXPOSE")).isEqualTo(cpu.all("EXPOSE"));
        assertThat(gpu.last("HEALTHCHECK")).isEqualTo(cpu.last("HEALTHCHECK"));
        // libtorch (gigabytes) is mounted, never sent as build context
        assertThat(Repo.read(".dockerignore")).containsPattern("(?m)^ops/libtorch/$");
    }

    /** JAVA_OPTS can turn DJL's offline mode off: the entry point's default comes first. */
    @Test
    void javaOptsOverrideTheOfflineDefault(@TempDir Path tmp) throws IOException {
        Path java = tmp.resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path entrypoint = Repo.path("ops/docker/guard-entrypoint.sh");
        for (Map.Entry<String, String> c :
                Map.of("", "true", "-Xmx1g -Dai.djl.offline=false", "false").entrySet()) {
            ProcessBuilder pb =
                    new ProcessBuilder("bash", entrypoint.toString(), "doctor")
                            .redirectErrorStream(true);
            pb.environment().put("PATH", tmp + ":" + System.getenv("PATH"));
            pb.environment().put("JAVA_OPTS", c.getKey());
            Process p = pb.start();
            List<String> argv = new String(p.getInputStream().readAllBytes()).lines().toList();
            List<String> offline =
                    argv.stream().filter(a -> a.startsWith("-Dai.djl.offline=")).toList();
            assertThat(offline).as("JAVA_OPTS '%s': %s", c.getKey(), argv).isNotEmpty();
            assertThat(offline.get(offline.size() - 1))
                    .as("the flag the JVM keeps (the last)")
                    .isEqualTo("-Dai.djl.offline=" + c.getValue());
            assertThat(argv).endsWith("io.scrapeguard.cli.Guard", "doctor");
        }
    }

    private static String pomProperty(String name) {
        Matcher m =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</")
                        .matcher(Repo.read("pom.xml"));
        assertThat(m.find()).as("%s in pom.xml", name).isTrue();
        return m.group(1);
    }

    @Test
    void secretsAndBuildOutputsNeverEnterTheImage() {
        String dockerfile = Repo.read(DOCKERFILE);
        assertThat(dockerfile)
                .doesNotContainPattern("(?m)^COPY .*secrets")
                .doesNotContainPattern("(?m)^(ENV|ARG) .*(KEY|BANK|PASSWORD)");
        String ignore = Repo.read(".dockerignore");
        assertThat(ignore)
                .containsPattern("(?m)^ops/secrets/$")
                .containsPattern("(?m)^\\*\\*/target/$")
                .containsPattern("(?m)^\\.git/$");
    }

    private Map<String, Stage> parse(String text) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            instructions.add(current.toString().replaceAll("\\s+", " ").strip());
            current.setLength(0);
        }
        Map<String, Stage> out = new LinkedHashMap<>();
        Stage stage = null;
        Pattern from = Pattern.compile("FROM (\\S+) AS ([\\w-]+)");
        for (String i : instructions) {
            if (i.startsWith("ARG ") && stage == null) {
                String[] kv = i.substring(4).split("=", 2);
                args.put(kv[0], kv.length > 1 ? kv[1] : null);
                continue;
            }
            Matcher m = from.matcher(i);
            if (m.matches()) {
                stage = new Stage(m.group(2), m.group(1), new ArrayList<>());
                out.put(stage.name(), stage);
            } else if (stage != null) {
                stage.instructions().add(i);
            }
        }
        assertThat(out).as("stages of %s", DOCKERFILE).containsKeys("build", "runtime");
        return out;
    }

    @Test
    void thePaperProfileFailsAtOnceWithAReasonInTheCpuImagesOnly(@TempDir Path lib)
            throws Exception {
        Files.createFile(lib.resolve("pytorch-native-cpu-2.7.1-linux-x86_64.jar"));
        ProcessBuilder cpu =
                new ProcessBuilder(
                                "bash",
                                Repo.path("ops/docker/guard-entrypoint.sh").toString(),
                                "auditor",
                                "--set=auditor.profile=paper")
                        .redirectErrorStream(true);
        cpu.environment().put("GUARD_LIB_DIR", lib.toString());
        cpu.environment().remove("PYTORCH_LIBRARY_PATH");
        Process p = cpu.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isEqualTo(2);
        assertThat(out).contains("AUDIT_PROFILE=paper needs a GPU", "cpu-small", "auditor-gpu");

        // the GPU image: no CPU native jar, a mounted libtorch: the profile is let through
        Files.delete(lib.resolve("pytorch-native-cpu-2.7.1-linux-x86_64.jar"));
        ProcessBuilder gpu =
                new ProcessBuilder(
                                "bash",
                                Repo.path("ops/docker/guard-entrypoint.sh").toString(),
                                "auditor",
                                "--set=auditor.profile=paper")
                        .redirectErrorStream(true);
        gpu.environment().put("GUARD_LIB_DIR", lib.toString());
        gpu.environment().put("PYTORCH_LIBRARY_PATH", lib.toString());
        Process g = gpu.start();
        String gout = new String(g.getInputStream().readAllBytes());
        g.waitFor();
        assertThat(gout).doesNotContain("AUDIT_PROFILE=paper needs a GPU");
    }
}
