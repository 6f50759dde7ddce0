package io.scrapeguard.embedded;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Makes the registry start faster from its second start on: Apicurio is a large Quarkus app whose
 * start is dominated by class loading and linking. On Java 25+ the first start records an AOT cache
 * (JEP 514/515: loaded, linked classes and method profiles), written when the registry exits and
 * used by every later start (roughly three times faster on a busy 2-core machine). On Java 19-24 a
 * dynamic CDS archive does part of that. The cache lives next to the unpacked app (build output),
 * one file per exact JVM version; a stale or broken one is ignored by the JVM.
 */
final class RegistryStartupCache {
    private static final long MIN_CACHE_BYTES = 1024 * 1024;

    private final Path finalFile;
    private final Path trainingFile;
    private final List<String> options;

    private RegistryStartupCache(Path finalFile, Path trainingFile, List<String> options) {
        this.finalFile = finalFile;
        this.trainingFile = trainingFile;
        this.options = options;
    }

    /** No cache (other java binary, read-only distribution, or disabled). */
    static RegistryStartupCache none() {
        return new RegistryStartupCache(null, null, List.of());
    }

    /** The cache for the registry running on this very JVM's java binary. */
    static RegistryStartupCache forCurrentJvm(Path distribution) {
        if (Boolean.getBoolean("guard.registry.no-aot") || !Files.isWritable(distribution)) {
            return none();
        }
        Runtime.Version version = Runtime.version();
        String tag = version.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = distribution.resolve("startup-cache");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return none();
        }
        if (version.feature() >= 25) {
            Path cache = dir.resolve("registry-" + tag + ".aot");
            if (Files.isRegularFile(cache)) {
                return new RegistryStartupCache(cache, null, List.of("-XX:AOTCache=" + cache));
            }
            Path training =
                    dir.resolve(
                            "registry-"
                                    + tag
                                    + "."
                                    + ProcessHandle.current().pid()
                                    + "-"
                                    + System.nanoTime()
                                    + ".training");
            return new RegistryStartupCache(
                    cache, training, List.of("-XX:AOTCacheOutput=" + training));
        }
        if (version.feature() >= 19) {
            Path archive = dir.resolve("registry-" + tag + ".jsa");
            return new RegistryStartupCache(
                    archive,
                    null,
                    List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive));
        }
        return none();
    }

    List<String> jvmOptions() {
        return options;
    }

    /**
     * Whether this start records the cache (written when the registry exits, which takes longer).
     */
    boolean training() {
        return trainingFile != null;
    }

    /**
     * After the registry exited: publish a recorded cache under its final name, only when the
     * registry finished writing it (a clean exit); a forced kill may have cut it short.
     */
    void afterExit(boolean cleanExit) {
        if (trainingFile == null) {
            return;
        }
        try {
            if (cleanExit
                    && Files.isRegularFile(trainingFile)
                    && Files.size(trainingFile) >= MIN_CACHE_BYTES
                    && !Files.exists(finalFile)) {
                try {
                    Files.move(trainingFile, finalFile, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(trainingFile, finalFile);
                }
            }
            Files.deleteIfExists(trainingFile);
            Files.deleteIfExists(
                    trainingFile.resolveSibling(trainingFile.getFileName() + ".config"));
        } catch (IOException ignored) {
            // a missing cache only costs start-up time
        }
    }
}
