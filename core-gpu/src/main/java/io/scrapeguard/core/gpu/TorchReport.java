package io.scrapeguard.core.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which PyTorch DJL runs here, and why: version and flavour, the libtorch folder and how DJL found
 * it, the JNI bridge, the devices, and the settings that decided it. {@code ./guard doctor} prints
 * {@link #lines()}; the auditor logs {@link #oneLine()} when it starts. Probing loads the engine.
 */
public record TorchReport(
        String djlVersion,
        TorchSettings settings,
        List<NativeJar> nativeJars,
        Optional<JniJar> jni,
        Loaded loaded,
        String error,
        List<String> hints) {

    /** How DJL found libtorch. */
    public enum Source {
        LIBRARY_PATH("PYTORCH_LIBRARY_PATH"),
        CLASSPATH_JAR("the native jar on the classpath, unpacked into DJL's cache"),
        CACHE("DJL's cache (a download, now or earlier: no native jar, no PYTORCH_LIBRARY_PATH)");

        private final String description;

        Source(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** A loaded engine: devices GPUs first and the CPU last; cuda null without a GPU. */
    public record Loaded(
            String pytorchVersion,
            String flavor,
            Path libraryDir,
            Source source,
            int gpus,
            String cuda,
            List<String> devices) {}

    /** {@code <version>-<flavor>-<classifier>}: the folders DJL unpacks or downloads into. */
    private static final Pattern CACHE_FOLDER =
            Pattern.compile("(\\d+\\.\\d+\\.\\d+(?:-[0-9]+)?)-(.+)-((?:linux|osx|win)-[^-]+)");

    /** Loads the engine (if it is not already) and reports; never throws. */
    public static TorchReport probe() {
        TorchSettings settings = TorchSettings.current();
        List<NativeJar> jars = NativeJar.onClasspath();
        Optional<JniJar> jni = JniJar.onClasspath();
        Loaded loaded = null;
        String error = null;
        try {
            Engine engine = Engine.getEngine(Accelerators.ENGINE);
            loaded =
                    loaded(
                            engine.getVersion(),
                            Path.of(LibUtils.getLibtorchPath()),
                            settings,
                            jars);
        } catch (RuntimeException | LinkageError e) {
            error = causes(e);
        }
        return new TorchReport(
                Engine.getDjlVersion(),
                settings,
                jars,
                jni,
                loaded,
                error,
                hints(settings, jars, jni, error != null));
    }

    private static Loaded loaded(
            String version, Path dir, TorchSettings settings, List<NativeJar> jars) {
        Path libDir = dir.toAbsolutePath().normalize();
        Source source;
        String flavor;
        if (settings.libtorchFolder().filter(libDir::equals).isPresent()) {
            source = Source.LIBRARY_PATH;
            flavor = settings.flavor() != null ? settings.flavor() : "PYTORCH_FLAVOR unset";
        } else {
            source = jars.isEmpty() ? Source.CACHE : Source.CLASSPATH_JAR;
            Matcher m = CACHE_FOLDER.matcher(String.valueOf(libDir.getFileName()));
            flavor = m.matches() ? m.group(2) : "?";
        }
        int gpus = Accelerators.gpuCount();
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            devices.add(gpu(i));
        }
        devices.add("cpu");
        return new Loaded(version, flavor, libDir, source, gpus, cuda(gpus), devices);
    }

    private static String gpu(int i) {
        StringBuilder s = new StringBuilder("gpu(" + i + ")");
        try {
            s.append(" compute ").append(CudaUtils.getComputeCapability(i));
            MemoryUsage m = CudaUtils.getGpuMemory(Device.gpu(i));
            s.append(String.format(Locale.ROOT, ", %.1f GiB", m.getMax() / (double) (1L << 30)));
        } catch (RuntimeException | LinkageError e) {
            // the details are a courtesy; the device itself was counted by the engine
        }
        return s.toString();
    }

    private static String cuda(int gpus) {
        if (gpus == 0) {
            return null;
        }
        try {
            int v = CudaUtils.getCudaVersion();
            return v / 1000 + "." + v % 1000 / 10;
        } catch (RuntimeException | LinkageError e) {
            return "?";
        }
    }

    static List<String> hints(
            TorchSettings s, List<NativeJar> jars, Optional<JniJar> jni, boolean failed) {
        List<String> out = new ArrayList<>();
        if (jars.size() > 1) {
            out.add(
                    jars.size()
                            + " PyTorch native jars on the classpath ("
                            + jars.stream().map(NativeJar::file).collect(Collectors.joining(", "))
                            + "): a stale build; rebuild one flavour (./guard build, docs/gpu.md)");
        }
        if (s.libraryPath() != null && s.libtorchFolder().isEmpty()) {
            out.add(
                    TorchSettings.LIBRARY_PATH
                            + "="
                            + s.libraryPath()
                            + " holds no "
                            + TorchSettings.LIBTORCH
                            + ", so DJL ignores it: point it at libtorch's lib"
                            + " folder");
        }
        if (!failed) {
            return out;
        }
        if (s.libtorchFolder().isPresent() && s.flavor() == null) {
            out.add(
                    TorchSettings.FLAVOR
                            + " is unset: with "
                            + TorchSettings.LIBRARY_PATH
                            + " DJL then wants a *-precxx11 JNI bridge; set it to the library's"
                            + " flavour ("
                            + jni.map(j -> String.join(" or ", j.flavors())).orElse("cpu or cu128")
                            + ")");
        }
        if (s.libtorchFolder().isPresent()
                && s.flavor() != null
                && jni.isPresent()
                && !jni.get().flavors().contains(s.flavor())) {
            out.add(
                    jni.get().file()
                            + " has no JNI bridge for "
                            + TorchSettings.FLAVOR
                            + "="
                            + s.flavor()
                            + " (it has "
                            + String.join(", ", jni.get().flavors())
                            + ")");
        }
        if (s.flavor() != null
                && s.flavor().startsWith("cu")
                && s.libtorchFolder()
                        .filter(
                                dir ->
                                        !Files.exists(
                                                dir.resolve(System.mapLibraryName("torch_cuda"))))
                        .isPresent()) {
            out.add(
                    TorchSettings.LIBRARY_PATH
                            + " holds a libtorch without CUDA (no "
                            + System.mapLibraryName("torch_cuda")
                            + ") but "
                            + TorchSettings.FLAVOR
                            + "="
                            + s.flavor()
                            + " asks for the CUDA bridge: point it at the CUDA build, or set "
                            + TorchSettings.FLAVOR
                            + "=cpu for a CPU libtorch");
        }
        if (s.libtorchFolder().isEmpty() && jars.isEmpty()) {
            out.add(
                    "no native jar on the classpath (the cu128 build has none) and no libtorch in "
                            + TorchSettings.LIBRARY_PATH
                            + ": set it to the lib folder of a CUDA 12.8"
                            + " libtorch 2.7.1 with "
                            + TorchSettings.FLAVOR
                            + "=cu128"
                            + (s.offline() ? " (offline mode forbids DJL's download)" : ""));
        }
        return out;
    }

    /** The exception and its causes, each once: what failed and why. */
    static String causes(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (parts.isEmpty() || !parts.get(parts.size() - 1).contains(m)) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }

    public boolean ok() {
        return loaded != null;
    }

    /** One log line: the auditor's start-up record of the engine it trains on. */
    public String oneLine() {
        if (loaded == null) {
            return "PyTorch did not load (DJL "
                    + djlVersion
                    + "): "
                    + error
                    + (hints.isEmpty() ? "" : "; " + hints.get(0));
        }
        return String.format(
                Locale.ROOT,
                "PyTorch %s %s (DJL %s) from %s at %s; devices %s%s%s",
                loaded.pytorchVersion(),
                loaded.flavor(),
                djlVersion,
                sourceShort(),
                loaded.libraryDir(),
                String.join(", ", loaded.devices()),
                loaded.cuda() == null ? "" : "; CUDA " + loaded.cuda(),
                settings.offline() ? "; offline" : "");
    }

    private String sourceShort() {
        return switch (loaded.source()) {
            case LIBRARY_PATH -> TorchSettings.LIBRARY_PATH;
            case CLASSPATH_JAR -> nativeJars.get(0).file();
            case CACHE -> "DJL's cache";
        };
    }

    /** The doctor's screen: one fact a line, then what to do when something is wrong. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (loaded != null) {
            out.add(
                    row(
                            "engine",
                            "PyTorch "
                                    + loaded.pytorchVersion()
                                    + " on DJL "
                                    + djlVersion
                                    + ", loaded"));
            out.add(row("flavour", loaded.flavor()));
            out.add(row("libtorch", loaded.libraryDir().toString()));
            out.add(row("found by", loaded.source().description()));
            out.add(
                    row(
                            "devices",
                            String.join(", ", loaded.devices())
                                    + (loaded.cuda() == null
                                            ? ""
                                            : " (CUDA " + loaded.cuda() + ")")));
            out.add(
                    row(
                            "gpu rule",
                            loaded.gpus() == 0
                                    ? "no GPU: auto runs on the CPU (AR backend java, audit profile"
                                            + " cpu-small)"
                                    : loaded.gpus()
                                            + " GPU(s): auto uses gpu(0) (AR backend djl, audit"
                                            + " profile paper)"));
        } else {
            out.add(row("engine", "PyTorch did not load on DJL " + djlVersion));
            out.add(row("error", error));
        }
        out.add(
                row(
                        "native jar",
                        nativeJars.isEmpty()
                                ? "none on the classpath"
                                : nativeJars.stream()
                                        .map(
                                                j ->
                                                        j.file()
                                                                + " ("
                                                                + j.flavor()
                                                                + " "
                                                                + j.version()
                                                                + ")")
                                        .collect(Collectors.joining(", "))));
        out.add(
                row(
                        "jni bridge",
                        jni.map(
                                        j ->
                                                j.file()
                                                        + " ("
                                                        + JniJar.classifier()
                                                        + ": "
                                                        + String.join(", ", j.flavors())
                                                        + ")")
                                .orElse("none on the classpath")));
        out.add(row(TorchSettings.LIBRARY_PATH, orUnset(settings.libraryPath())));
        out.add(row(TorchSettings.FLAVOR, orUnset(settings.flavor())));
        out.add(row(TorchSettings.VERSION, orUnset(settings.version())));
        out.add(
                row(
                        "offline",
                        settings.offline()
                                ? "yes (ai.djl.offline / DJL_OFFLINE): DJL never downloads"
                                : "no: DJL may download libtorch into its cache"));
        out.add(row("cache", settings.cacheDir().toString()));
        hints.forEach(h -> out.add(row("fix", h)));
        return out;
    }

    private static String orUnset(String v) {
        return v == null ? "unset" : v;
    }

    private static String row(String key, String value) {
        return String.format(Locale.ROOT, "  %-20s %s", key, value);
    }
}
