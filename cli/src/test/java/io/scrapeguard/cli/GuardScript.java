package io.scrapeguard.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code ./guard} script of this checkout as a user would, with the build that the
 * package phase made ({@code GUARD_NO_BUILD=1}), stdout and stderr to files.
 */
final class GuardScript {
    static final Path ROOT = root();

    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Path logs;
    private boolean defaultSigint;

    private GuardScript(Path logs, String... args) {
        this.logs = logs;
        this.args.addAll(List.of(args));
        env.put("GUARD_NO_BUILD", "1");
    }

    static GuardScript of(Path logs, String... args) {
        return new GuardScript(logs, args);
    }

    GuardScript env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /**
     * Lets the script receive SIGINT even when this JVM was started in the background by a
     * non-interactive shell (which starts its background jobs with SIGINT ignored, and an ignored
     * signal stays ignored across exec): coreutils' {@code env --default-signal}.
     */
    GuardScript withDefaultSigint() {
        this.defaultSigint = true;
        return this;
    }

    /** A started script; output goes to files under the log dir. */
    Running start() {
        List<String> cmd = new ArrayList<>();
        if (defaultSigint && envSupportsDefaultSignal()) {
            cmd.addAll(List.of("env", "--default-signal=INT"));
        }
        cmd.add(ROOT.resolve("guard").toString());
        cmd.addAll(args);
        try {
            Files.createDirectories(logs);
            Path out = Files.createTempFile(logs, "stdout", ".txt");
            Path err = Files.createTempFile(logs, "stderr", ".txt");
            ProcessBuilder pb =
                    new ProcessBuilder(cmd)
                            .directory(ROOT.toFile())
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile());
            pb.environment().putAll(env);
            return new Running(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end (or kills it after the timeout and fails). */
    Result run(Duration timeout) {
        Running r = start();
        return r.await(timeout);
    }

    private static boolean envSupportsDefaultSignal() {
        try {
            Process p =
                    new ProcessBuilder("env", "--default-signal=INT", "true")
                            .redirectErrorStream(true)
                            .start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path root() {
        String home = System.getProperty("guard.home");
        Path p = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("guard"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "cannot find the ./guard script above " + Path.of("").toAbsolutePath());
        }
        return p.toAbsolutePath();
    }

    /** A running script; remembers every process it started, to check none is left. */
    static final class Running {
        final Process process;
        final Path out;
        final Path err;
        private final Set<ProcessHandle> seen = new HashSet<>();

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        /** Records the current children and grandchildren (the registry and its watchdog). */
        void recordDescendants() {
            process.toHandle().descendants().forEach(seen::add);
        }

        Set<ProcessHandle> seenDescendants() {
            return Set.copyOf(seen);
        }

        /** Waits until stdout or stderr contains the text; fails on exit or timeout. */
        String awaitOutput(String text, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                recordDescendants();
                String o = stdout();
                if (o.contains(text) || stderr().contains(text)) {
                    return o;
                }
                if (!process.isAlive()) {
                    throw new AssertionError(
                            "./guard exited ("
                                    + process.exitValue()
                                    + ") before printing '"
                                    + text
                                    + "'; stderr:\n"
                                    + stderr()
                                    + "\nstdout:\n"
                                    + o);
                }
                sleep(200);
            }
            process.destroyForcibly();
            throw new AssertionError(
                    "no '" + text + "' within " + timeout + "; stderr:\n" + stderr());
        }

        void signal(String signal) {
            try {
                Process kill =
                        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                                .inheritIO()
                                .start();
                kill.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Result await(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (process.isAlive() && System.nanoTime() < deadline) {
                    recordDescendants();
                    process.waitFor(500, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(
                        "./guard did not finish within " + timeout + "; stderr:\n" + stderr());
            }
            return new Result(process.exitValue(), stdout(), stderr(), seenDescendants());
        }

        private static String read(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    record Result(int exitCode, String stdout, String stderr, Set<ProcessHandle> descendants) {
        /** The non-blank lines of stderr. */
        List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Whether something accepts connections on 127.0.0.1:port. */
    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until none of these processes is alive. */
    static boolean allGone(Set<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (processes.stream().noneMatch(ProcessHandle::isAlive)) {
                return true;
            }
            sleep(200);
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
