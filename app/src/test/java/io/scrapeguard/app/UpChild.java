package io.scrapeguard.app;

import io.scrapeguard.service.Endpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./guard up} in a child JVM (as {@link UpCommandTest} starts it) for tests that talk to it
 * from outside: over its endpoints file, its HTTP endpoint and its broker. {@link #close()} stops
 * it with SIGTERM and then kills whatever of it and its registry is still alive.
 */
final class UpChild implements AutoCloseable {
    private final Process process;
    private final Path dataDir;
    private final Path stdout;
    private final Path stderr;
    private final HttpClient http = HttpClient.newHttpClient();
    private Endpoints endpoints;

    private UpChild(Process process, Path dataDir, Path stdout, Path stderr) {
        this.process = process;
        this.dataDir = dataDir;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code up} with a data dir and logs in {@code dir}, a free HTTP port and {@code args}.
     */
    static UpChild start(Path dir, String... args) throws IOException {
        Path dataDir = dir.resolve("data");
        Path stdout = dir.resolve("up.out");
        Path stderr = dir.resolve("up.err");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                UpMain.class.getName(),
                                "--data-dir",
                                dataDir.toString(),
                                "--metrics-port",
                                "0"));
        command.addAll(List.of(args));
        Process p =
                new ProcessBuilder(command)
                        .redirectError(stderr.toFile())
                        .redirectOutput(stdout.toFile())
                        .start();
        return new UpChild(p, dataDir, stdout, stderr);
    }

    /** Waits for the ready line and returns the endpoints written into the data dir. */
    Endpoints awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(stdout).contains("\n")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(
                        (process.isAlive() ? "not ready after " + timeout : "up exited")
                                + "; stderr:\n"
                                + stderr());
            }
            Thread.sleep(100);
        }
        endpoints = Endpoints.read(dataDir).orElseThrow();
        return endpoints;
    }

    Endpoints endpoints() {
        return endpoints;
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    Process process() {
        return process;
    }

    /** GET on up's HTTP endpoint ({@code /metrics}, {@code /health/ready}, ...). */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        String base = endpoints.metricsUrl().replace("/metrics", "");
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * SIGTERM (Ctrl-C's shutdown hook), then SIGKILL for anything of it still alive: its
     * descendants and any process whose command line names its data dir (a registry JVM whose
     * watchdog died is no descendant any more). Fails when up left any of them running.
     */
    @Override
    public void close() throws InterruptedException {
        Set<ProcessHandle> tree = new LinkedHashSet<>(process.toHandle().descendants().toList());
        process.destroy();
        boolean stopped = process.waitFor(90, TimeUnit.SECONDS);
        if (!stopped) {
            tree.addAll(process.toHandle().descendants().toList());
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        String dir = dataDir.toString();
        ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains(dir))
                .forEach(tree::add);
        List<String> leftBehind =
                tree.stream()
                        .filter(ProcessHandle::isAlive)
                        .map(h -> h.pid() + " " + h.info().command().orElse("?"))
                        .toList();
        for (ProcessHandle h : tree) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // still alive: reported below
            }
        }
        http.close();
        if (!stopped) {
            throw new AssertionError("up did not stop within 90 s of SIGTERM");
        }
        if (!leftBehind.isEmpty()) {
            throw new AssertionError("up stopped but left processes running: " + leftBehind);
        }
    }
}
