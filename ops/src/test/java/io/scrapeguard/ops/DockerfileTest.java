package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

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
        assertThat(args.get("MAVEN_BUILD_IMAGE")).contains("temurin-21")
                .isEqualTo(Repo.dotEnv().get("MAVEN_BUILD_IMAGE"));
        String run = String.join("\n", build.all("RUN"));
        // the modules behind ./guard's classpath (cli and everything it depends on), no tests
        assertThat(run).contains("mvn -B").contains("-DskipTests").contains("-pl cli -am").contains("package");
        assertThat(build.all("COPY")).containsExactly("COPY . .");
    }

    @Test
    void runtimeIsAJre21WithTheApplicationAsANonRootUser() {
        Stage runtime = stages.get("runtime");
        assertThat(runtime.from()).isEqualTo("${JRE_IMAGE}");
        assertThat(args.get("JRE_IMAGE")).contains("21").contains("jre").isEqualTo(Repo.dotEnv().get("JRE_IMAGE"));
        // exactly what ./guard runs from: cli/target/classes + cli/target/lib/*
        String launcher = Repo.read("guard");
        assertThat(launcher).contains("-cp \"$ROOT/cli/target/classes:$ROOT/cli/target/lib/*\"")
                .contains("io.scrapeguard.cli.Guard \"$@\"").contains("-Dai.djl.offline=true");
        assertThat(runtime.all("COPY")).contains(
                "COPY --from=build /src/cli/target/lib/ /app/lib/",
                "COPY --from=build /src/cli/target/classes/ /app/classes/",
                "COPY --chmod=0755 ops/docker/guard-entrypoint.sh /app/bin/guard",
                "COPY --chmod=0755 ops/docker/healthcheck.sh /app/bin/healthcheck");
        for (String copy : runtime.all("COPY")) {
            if (!copy.contains("--from=")) {
                String source = copy.split("\\s+")[copy.split("\\s+").length - 2];
                assertThat(Repo.path(source)).as("COPY source %s", source).isRegularFile();
            }
        }
        assertThat(runtime.last("USER")).as("non-root").matches("USER [1-9]\\d{3,}:[1-9]\\d{3,}");
        assertThat(String.join("\n", runtime.all("RUN"))).contains("useradd --system --uid 10001");
        assertThat(runtime.last("ENTRYPOINT")).isEqualTo("ENTRYPOINT [\"/app/bin/guard\"]");
        String entrypoint = Repo.read("ops/docker/guard-entrypoint.sh");
        assertThat(entrypoint).contains("exec java ${JAVA_OPTS:-}").contains("-Dai.djl.offline=true")
                .contains("-cp \"/app/classes:/app/lib/*\" io.scrapeguard.cli.Guard \"$@\"");
        // heap sized from the container's memory limit
        assertThat(runtime.last("ENV")).contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void eachServiceHasATargetWithItsCommandPortAndHealthCheck() {
        Map<String, String> env = Repo.dotEnv();
        Map<String, String> ports = Map.of("poisoner", env.get("POISONER_HTTP_PORT"),
                "auditor", env.get("AUDITOR_HTTP_PORT"));
        for (String target : List.of("poisoner", "auditor", "producer")) {
            Stage s = stages.get(target);
            assertThat(s).as("target %s", target).isNotNull();
            assertThat(s.from()).as("%s builds on the runtime stage", target).isEqualTo("runtime");
            assertThat(s.last("CMD")).as("%s command", target).isNotNull();
        }
        for (Map.Entry<String, String> e : ports.entrySet()) {
            Stage s = stages.get(e.getKey());
            // the service's command, serving /metrics and /health on all interfaces on its port
            assertThat(s.last("CMD")).isEqualTo("CMD [\"" + e.getKey() + "\", \"--metrics-host=0.0.0.0\", \"--metrics-port="
                    + e.getValue() + "\"]");
            assertThat(String.join("\n", s.all("ENV"))).contains("GUARD_HTTP_PORT=" + e.getValue());
            assertThat(s.all("EXPOSE")).containsExactly("EXPOSE " + e.getValue());
            assertThat(s.last("HEALTHCHECK")).as("%s health check", e.getKey())
                    .contains("--start-period=").endsWith("CMD [\"/app/bin/healthcheck\"]");
        }
        // the auditor's PyTorch runs offline from the bundled native jar, caching where it may write
        String auditorEnv = String.join("\n", stages.get("auditor").all("ENV"));
        assertThat(auditorEnv).contains("-Dai.djl.offline=true").contains("DJL_CACHE_DIR=/app/cache/djl")
                .contains("-XX:MaxRAMPercentage=");
        assertThat(stages.get("producer").all("HEALTHCHECK")).as("one-shot: no server to probe").isEmpty();
    }

    @Test
    void thePoisonerRunsWithTheCollectorItWasMeasuredWith() {
        // bench pipeline measured Parallel GC against G1 for the poisoner; ./guard and the image agree
        String poisonerEnv = String.join("\n", stages.get("poisoner").all("ENV"));
        assertThat(poisonerEnv).contains("-XX:+UseParallelGC").doesNotContain("-XX:+UseG1GC")
                .contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(Repo.read("guard")).contains("JAVA_OPTS+=(-XX:+UseParallelGC)");
    }

    @Test
    void secretsAndBuildOutputsNeverEnterTheImage() {
        String dockerfile = Repo.read(DOCKERFILE);
        assertThat(dockerfile).doesNotContainPattern("(?m)^COPY .*secrets")
                .doesNotContainPattern("(?m)^(ENV|ARG) .*(KEY|BANK|PASSWORD)");
        String ignore = Repo.read(".dockerignore");
        assertThat(ignore).containsPattern("(?m)^ops/secrets/$").containsPattern("(?m)^\\*\\*/target/$")
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
        Pattern from = Pattern.compile("FROM (\\S+) AS (\\w+)");
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
    void thePaperProfileFailsAtOnceWithAReasonInTheCpuImages() throws Exception {
        Process p = new ProcessBuilder("bash", Repo.path("ops/docker/guard-entrypoint.sh").toString(),
                "auditor", "--set=auditor.profile=paper").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isEqualTo(2);
        assertThat(out).contains("AUDIT_PROFILE=paper needs a GPU", "cpu-small");
    }
}
