package io.scrapeguard.core.gpu;

import ai.djl.util.Utils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The settings DJL's PyTorch loader reads (environment variable, else system property of the same
 * name, as DJL's {@code Utils.getEnvOrSystemProperty}): where a local libtorch is, which flavour
 * and version it is, whether DJL may download, and its cache folder.
 */
public record TorchSettings(
        String libraryPath, String flavor, String version, boolean offline, Path cacheDir) {

    public static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
    public static final String FLAVOR = "PYTORCH_FLAVOR";
    public static final String VERSION = "PYTORCH_VERSION";
    static final String LIBTORCH = System.mapLibraryName("torch");

    /** What this process would hand DJL. */
    public static TorchSettings current() {
        return new TorchSettings(
                setting(LIBRARY_PATH),
                setting(FLAVOR),
                setting(VERSION),
                Utils.isOfflineMode(),
                Utils.getEngineCacheDir("pytorch"));
    }

    private static String setting(String name) {
        String v = Utils.getEnvOrSystemProperty(name);
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * The folder of PYTORCH_LIBRARY_PATH that holds libtorch, as DJL looks for it (each entry a
     * folder with libtorch.so, or the file itself); empty when unset or none does.
     */
    public Optional<Path> libtorchFolder() {
        if (libraryPath == null) {
            return Optional.empty();
        }
        return Arrays.stream(libraryPath.split(File.pathSeparator))
                .filter(e -> !e.isBlank())
                .map(Path::of)
                .map(
                        p ->
                                p.getFileName() != null
                                                && p.getFileName().toString().equals(LIBTORCH)
                                                && Files.isRegularFile(p)
                                        ? p.getParent()
                                        : p)
                .filter(dir -> Files.isRegularFile(dir.resolve(LIBTORCH)))
                .map(p -> p.toAbsolutePath().normalize())
                .findFirst();
    }
}
