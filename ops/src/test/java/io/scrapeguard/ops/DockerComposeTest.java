package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-compose.yml: pinned images, health checks, ordered start-up, existing files, secrets. */
class DockerComposeTest {
    private static final Pattern VAR = Pattern.compile("\\$\\{(\\w+)(?::?[-?][^}]*)?}");

    /**
     * Services that run once and exit (others wait for them with service_completed_successfully).
     */
    private static final Set<String> ONE_SHOT = Set.of("topic-init", "producer");

    private final Map<String, Object> compose = Repo.yaml("docker-compose.yml");
    private final Map<String, Object> services = Repo.asMap(compose.get("services"));
    private final Map<String, String> env = Repo.dotEnv();

    @Test
    void theDeploymentHasEveryComponent() {
        assertThat(services)
                .containsKeys(
                        "kafka",
                        "topic-init",
                        "schema-registry",
                        "apicurio",
                        "poisoner",
                        "auditor",
                        "producer",
                        "prometheus",
                        "alertmanager",
                        "grafana");
        Map<String, Object> kafka =
                Repo.asMap(Repo.asMap(services.get("kafka")).get("environment"));
        assertThat(kafka.get("KAFKA_PROCESS_ROLES"))
                .as("Kafka in KRaft mode")
                .isEqualTo("broker,controller");
        assertThat(kafka)
                .containsKey("KAFKA_CONTROLLER_QUORUM_VOTERS")
                .doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        // cp-schema-registry by default, Apicurio as a profile
        assertThat(Repo.asList(service("schema-registry").get("profiles")))
                .containsExactly("confluent");
        assertThat(Repo.asList(service("apicurio").get("profiles"))).containsExactly("apicurio");
        assertThat(env.get("COMPOSE_PROFILES")).isEqualTo("confluent");
        assertThat(env.get("SCHEMA_REGISTRY_URL")).isEqualTo("http://schema-registry:8081");
    }

    @Test
    void everyImageIsPinnedByVersionInDotEnv() {
        for (String name : services.keySet()) {
            String image = (String) service(name).get("image");
            assertThat(image).as("%s image", name).isNotBlank();
            String resolved = interpolate(image, name);
            assertThat(resolved)
                    .as("%s image %s has a version tag", name, resolved)
                    .matches("[\\w./-]+:[\\w.-]+")
                    .doesNotEndWith(":latest");
            assertThat(image).as("%s image comes from .env", name).contains("${");
            if (resolved.startsWith("scrapeguard/")) {
                assertThat(service(name))
                        .as("%s is built from this repository", name)
                        .containsKey("build");
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().endsWith("_IMAGE")) {
                assertThat(e.getValue())
                        .as(e.getKey())
                        .matches("[\\w./-]+:[\\w.-]+")
                        .doesNotEndWith(":latest");
            }
        }
    }

    @Test
    void everyVariableIsDefinedInDotEnv() {
        Matcher m = VAR.matcher(Repo.read("docker-compose.yml"));
        while (m.find()) {
            assertThat(env).as("${%s} defined in .env", m.group(1)).containsKey(m.group(1));
        }
    }

    @Test
    void everyLongRunningServiceHasAHealthCheckAndDependenciesWaitForHealth() {
        for (String name : services.keySet()) {
            Map<String, Object> s = service(name);
            if (ONE_SHOT.contains(name)) {
                assertThat(s.get("restart")).as("%s runs once", name).isEqualTo("no");
            } else {
                Map<String, Object> hc = Repo.asMap(s.get("healthcheck"));
                assertThat(Repo.asList(hc.get("test"))).as("%s healthcheck", name).isNotEmpty();
                assertThat(hc)
                        .as("%s healthcheck timing", name)
                        .containsKeys("interval", "timeout", "retries");
                assertThat(s.get("restart"))
                        .as("%s restart policy", name)
                        .isEqualTo("unless-stopped");
            }
            for (Map.Entry<String, Object> dep : Repo.asMap(s.get("depends_on")).entrySet()) {
                assertThat(services)
                        .as("%s depends on an existing service", name)
                        .containsKey(dep.getKey());
                String condition = (String) Repo.asMap(dep.getValue()).get("condition");
                assertThat(condition)
                        .as("%s waits for %s", name, dep.getKey())
                        .isEqualTo(
                                ONE_SHOT.contains(dep.getKey())
                                        ? "service_completed_successfully"
                                        : "service_healthy");
            }
        }
        // the services start only once topics exist and Kafka and a registry are healthy
        for (String svc : List.of("poisoner", "auditor")) {
            assertThat(Repo.asMap(service(svc).get("depends_on")))
                    .containsKeys("kafka", "topic-init", "schema-registry", "apicurio");
        }
        assertThat(Repo.asMap(service("grafana").get("depends_on"))).containsKey("prometheus");
        assertThat(Repo.asMap(service("prometheus").get("depends_on"))).containsKey("alertmanager");
    }

    @Test
    void theServicesHealthChecksProbeTheirReadinessEndpointOnTheScrapedPort() {
        assertThat(healthcheckPort("poisoner")).isEqualTo(env.get("POISONER_HTTP_PORT"));
        assertThat(healthcheckPort("auditor")).isEqualTo(env.get("AUDITOR_HTTP_PORT"));
        assertThat(envOf("poisoner").get("GUARD_HTTP_PORT"))
                .isEqualTo(env.get("POISONER_HTTP_PORT"));
        assertThat(envOf("auditor").get("GUARD_HTTP_PORT")).isEqualTo(env.get("AUDITOR_HTTP_PORT"));
        // the services listen there on every interface (the default 127.0.0.1 is unreachable)
        for (String svc : List.of("poisoner", "auditor")) {
            List<String> command =
                    Repo.asList(service(svc).get("command")).stream()
                            .map(a -> interpolate(a.toString(), svc))
                            .toList();
            assertThat(command)
                    .as("%s command", svc)
                    .startsWith(svc)
                    .contains(
                            "--metrics-host=0.0.0.0",
                            "--metrics-port=" + envOf(svc).get("GUARD_HTTP_PORT"),
                            "--bootstrap-servers=kafka:9092",
                            "--schema-registry=" + env.get("SCHEMA_REGISTRY_URL"));
        }
        // Prometheus scrapes the same host:port the service listens on
        Set<String> targets = new HashSet<>();
        for (Object sc :
                Repo.asList(Repo.yaml("ops/prometheus/prometheus.yml").get("scrape_configs"))) {
            for (Object st : Repo.asList(Repo.asMap(sc).get("static_configs"))) {
                Repo.asList(Repo.asMap(st).get("targets")).forEach(t -> targets.add(t.toString()));
            }
            for (Object dns : Repo.asList(Repo.asMap(sc).get("dns_sd_configs"))) {
                Map<String, Object> d = Repo.asMap(dns);
                Repo.asList(d.get("names")).forEach(n -> targets.add(n + ":" + d.get("port")));
            }
        }
        assertThat(targets)
                .contains(
                        "poisoner:" + env.get("POISONER_HTTP_PORT"),
                        "auditor:" + env.get("AUDITOR_HTTP_PORT"),
                        "alertmanager:9093");
    }

    @Test
    void everyReferencedFileExists() {
        for (String name : services.keySet()) {
            Map<String, Object> s = service(name);
            for (Object v : Repo.asList(s.get("volumes"))) {
                String host = interpolate(v.toString(), name).split(":")[0];
                if (host.startsWith("./") || host.startsWith("/")) {
                    assertThat(Repo.path(host)).as("%s mounts %s", name, host).exists();
                }
            }
            Map<String, Object> build = Repo.asMap(s.get("build"));
            if (!build.isEmpty()) {
                Path context = Repo.path((String) build.get("context"));
                Path dockerfile = context.resolve((String) build.get("dockerfile"));
                assertThat(dockerfile).as("%s Dockerfile", name).isRegularFile();
                assertThat(Repo.read(Repo.relative(dockerfile)))
                        .as("%s build target exists", name)
                        .containsPattern("(?m)^FROM .* AS " + build.get("target") + "$");
            }
            // scripts a container runs from a mount
            for (Object arg : Repo.asList(s.get("entrypoint"))) {
                if (arg.toString().startsWith("/ops/")) {
                    assertThat(Repo.path(arg.toString().substring(1)))
                            .as("%s entrypoint", name)
                            .isRegularFile();
                }
            }
        }
        // the Prometheus rule glob and Alertmanager target match the mounts
        Map<String, Object> prom = Repo.yaml("ops/prometheus/prometheus.yml");
        assertThat(Repo.asList(prom.get("rule_files")))
                .containsExactly("/etc/prometheus/rules/*.yml");
        assertThat(Repo.asList(service("prometheus").get("volumes")))
                .contains(
                        "./ops/prometheus/rules:/etc/prometheus/rules:ro",
                        "./ops/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        assertThat(Repo.asList(service("alertmanager").get("volumes")))
                .contains(
                        "./ops/alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro");
    }

    @Test
    void secretsAreMountedFromGitIgnoredFilesNeverBakedIn() {
        Map<String, Object> secrets = Repo.asMap(compose.get("secrets"));
        assertThat(secrets).containsKeys("ar-bank", "seeding-key");
        for (Map.Entry<String, Object> e : secrets.entrySet()) {
            String file = (String) Repo.asMap(e.getValue()).get("file");
            assertThat(file)
                    .as("secret %s lives in ops/secrets", e.getKey())
                    .startsWith("./ops/secrets/");
        }
        // git ignores everything in ops/secrets but its README, .gitignore and init script
        assertThat(Repo.read("ops/secrets/.gitignore")).containsPattern("(?m)^\\*$");
        assertThat(Repo.read(".dockerignore")).containsPattern("(?m)^ops/secrets/?$");
        assertThat(Repo.asList(service("poisoner").get("secrets")))
                .contains("ar-bank", "seeding-key");
        assertThat(Repo.asList(service("auditor").get("secrets")))
                .contains("ar-bank")
                .doesNotContain("seeding-key");
        assertThat(envOf("poisoner"))
                .containsEntry("GUARD_BANK_FILE", "/run/secrets/ar-bank")
                .containsEntry("GUARD_SEEDING_KEY_FILE", "/run/secrets/seeding-key");
        // secret values never appear in the environment or the compose file itself
        for (String svc : services.keySet()) {
            envOf(svc)
                    .forEach(
                            (k, v) -> {
                                if (k.matches(".*(KEY|PASSWORD|BANK).*")) {
                                    assertThat(v)
                                            .as("%s %s points to a secret file", svc, k)
                                            .startsWith("/run/secrets/");
                                }
                            });
        }
    }

    /**
     * The GPU variant is opt-in (profile gpu, off in .env) and stands in for the auditor: same
     * command but the profile, same network name for Prometheus, same host port (so the two cannot
     * run at once), one NVIDIA GPU, the CUDA 12.8 build with libtorch mounted where the image looks
     * for it.
     */
    @Test
    void theGpuAuditorIsAnOptInStandInForTheAuditor() {
        Map<String, Object> gpu = service("auditor-gpu");
        Map<String, Object> cpu = service("auditor");
        assertThat(Repo.asList(gpu.get("profiles"))).containsExactly("gpu");
        assertThat(env.get("COMPOSE_PROFILES")).doesNotContain("gpu");
        Map<String, Object> build = Repo.asMap(gpu.get("build"));
        assertThat(build.get("target")).isEqualTo("auditor-gpu");
        assertThat(Repo.asMap(build.get("args")))
                .containsEntry("GUARD_TORCH", "cu128")
                .containsAllEntriesOf(Repo.asMap(Repo.asMap(cpu.get("build")).get("args")));

        List<String> gpuCommand = command("auditor-gpu");
        List<String> cpuCommand = command("auditor");
        assertThat(gpuCommand).contains("--set=auditor.profile=" + env.get("AUDIT_GPU_PROFILE"));
        assertThat(env.get("AUDIT_GPU_PROFILE")).isEqualTo("paper");
        assertThat(gpuCommand.stream().filter(a -> !a.startsWith("--set=auditor.profile=")))
                .containsExactlyElementsOf(
                        cpuCommand.stream()
                                .filter(a -> !a.startsWith("--set=auditor.profile="))
                                .toList());
        assertThat(gpu.get("ports")).isEqualTo(cpu.get("ports"));
        assertThat(healthcheckPort("auditor-gpu")).isEqualTo(healthcheckPort("auditor"));
        assertThat(envOf("auditor-gpu")).isEqualTo(envOf("auditor"));
        Map<String, Object> network = Repo.asMap(Repo.asMap(gpu.get("networks")).get("default"));
        assertThat(Repo.asList(network.get("aliases"))).containsExactly("auditor");

        Map<String, Object> resources = Repo.asMap(Repo.asMap(gpu.get("deploy")).get("resources"));
        List<Object> devices =
                Repo.asList(Repo.asMap(resources.get("reservations")).get("devices"));
        assertThat(devices)
                .singleElement()
                .satisfies(
                        d -> {
                            Map<String, Object> device = Repo.asMap(d);
                            assertThat(device.get("driver")).isEqualTo("nvidia");
                            assertThat(device.get("count")).isEqualTo(1);
                            assertThat(Repo.asList(device.get("capabilities")))
                                    .containsExactly("gpu");
                        });
        // libtorch from the host, read-only, where the image's PYTORCH_LIBRARY_PATH points
        assertThat(Repo.asList(gpu.get("volumes")))
                .contains("auditor-data:/app/data", "${LIBTORCH_DIR}:/opt/libtorch:ro");
        assertThat(Repo.read("ops/docker/Dockerfile"))
                .contains("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib");
        assertThat(Repo.path(env.get("LIBTORCH_DIR")).resolve("README.md")).isRegularFile();
        assertThat(Repo.read("ops/libtorch/.gitignore")).containsPattern("(?m)^\\*$");
    }

    @Test
    void initSecretsLeavesFilesTheNonRootContainersCanReadInAFolderOnlyItsOwnerEnters(
            @TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("secrets"));
        Files.copy(Repo.path("ops/secrets/init-secrets.sh"), folder.resolve("init-secrets.sh"));
        Path bank = Files.writeString(tmp.resolve("my-bank.json"), "{\"processes\": []}");
        Files.setPosixFilePermissions(bank, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(folder.resolve("seeding-key"), "kept from before\n");
        Files.setPosixFilePermissions(
                folder.resolve("seeding-key"), PosixFilePermissions.fromString("rw-------"));
        ProcessBuilder pb =
                new ProcessBuilder("bash", folder.resolve("init-secrets.sh").toString())
                        .redirectErrorStream(true);
        pb.environment().put("AR_BANK_SOURCE", bank.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                .isEqualTo("rwx------");
        for (String secret :
                List.of(
                        "ar-bank.json",
                        "seeding-key",
                        "grafana-admin-password",
                        "alert-webhook-critical",
                        "alert-webhook-warning")) {
            assertThat(
                            PosixFilePermissions.toString(
                                    Files.getPosixFilePermissions(folder.resolve(secret))))
                    .as("%s: uid 10001 reads the bind-mounted file", secret)
                    .isEqualTo("rw-r--r--");
        }
        assertThat(folder.resolve("ar-bank.json")).hasSameTextualContentAs(bank);
        assertThat(Files.readString(folder.resolve("seeding-key"))).isEqualTo("kept from before\n");
    }

    @Test
    void prometheusHasNoLifecycleApiAndSeesEveryPoisonerReplica() {
        assertThat(Repo.asList(service("prometheus").get("command")))
                .as("--web.enable-lifecycle serves an unauthenticated /-/quit")
                .noneMatch(a -> a.toString().contains("enable-lifecycle"));
        Map<String, Object> poisonerJob =
                Repo.asList(Repo.yaml("ops/prometheus/prometheus.yml").get("scrape_configs"))
                        .stream()
                        .map(Repo::asMap)
                        .filter(j -> "poisoner".equals(j.get("job_name")))
                        .findFirst()
                        .orElseThrow();
        assertThat(poisonerJob).doesNotContainKey("static_configs");
        Map<String, Object> dns = Repo.asMap(Repo.asList(poisonerJob.get("dns_sd_configs")).get(0));
        assertThat(Repo.asList(dns.get("names"))).containsExactly("poisoner");
        assertThat(dns.get("type")).isEqualTo("A");
        assertThat(String.valueOf(dns.get("port"))).isEqualTo(env.get("POISONER_HTTP_PORT"));
    }

    @Test
    void hostPortsAreBoundToLocalhostOnly() {
        for (String name : services.keySet()) {
            for (Object p : Repo.asList(service(name).get("ports"))) {
                assertThat(p.toString()).as("%s port", name).startsWith("127.0.0.1:");
            }
        }
    }

    @Test
    void topicInitCreatesEveryTopicWithPartitionsRetentionAndAcls() throws Exception {
        String script = Repo.read("ops/kafka/create-topics.sh");
        for (String topic :
                List.of(
                        "guard.images.raw",
                        "guard.images.protected",
                        "guard.images.dead-letter",
                        "guard.audit-reports")) {
            assertThat(script)
                    .containsPattern(
                            "(?m)^topic " + Pattern.quote(topic) + " \\S+ .*retention\\.ms=");
        }
        // the label assignment log is ordered and append-only: one partition, kept forever, never
        // compacted
        assertThat(script)
                .containsPattern(
                        "(?m)^topic guard\\.label-assignments 1 cleanup\\.policy=delete"
                                + " retention\\.ms=-1 retention\\.bytes=-1$");
        // the raw topic: readable by ScrapeGuard's principals only
        Matcher reads =
                Pattern.compile("acl (User:\\S+) --operation Read .*--topic guard\\.images\\.raw")
                        .matcher(script);
        Set<String> readers = new HashSet<>();
        while (reads.find()) {
            readers.add(reads.group(1));
        }
        assertThat(readers)
                .containsExactlyInAnyOrder("User:scrapeguard-poisoner", "User:scrapeguard-auditor");
        assertThat(Files.isExecutable(Repo.path("ops/kafka/create-topics.sh"))).isTrue();
        Tools.Result syntax =
                Tools.run(Repo.root(), List.of("bash", "-n", "ops/kafka/create-topics.sh"));
        assertThat(syntax.exitCode()).as(syntax.output()).isZero();
    }

    private List<String> command(String name) {
        return Repo.asList(service(name).get("command")).stream()
                .map(a -> interpolate(a.toString(), name))
                .toList();
    }

    private Map<String, Object> service(String name) {
        return Repo.asMap(services.get(name));
    }

    private Map<String, String> envOf(String name) {
        Map<String, String> out = new java.util.TreeMap<>();
        Repo.asMap(service(name).get("environment"))
                .forEach((k, v) -> out.put(k, interpolate(String.valueOf(v), name)));
        return out;
    }

    private String healthcheckPort(String name) {
        List<Object> test = Repo.asList(Repo.asMap(service(name).get("healthcheck")).get("test"));
        assertThat(test)
                .as("%s health check runs the image's readiness probe", name)
                .startsWith("CMD", "/app/bin/healthcheck");
        return interpolate(test.get(2).toString(), name);
    }

    private String interpolate(String s, String where) {
        Matcher m = VAR.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            assertThat(value).as("%s: ${%s} defined in .env", where, m.group(1)).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
