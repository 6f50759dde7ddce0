package io.scrapeguard.core.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.JarFile;

/**
 * The pytorch-jni jar: its version (PyTorch-DJL) and the flavours it carries a JNI bridge for on
 * this platform. DJL needs the bridge of the flavour it loads: pytorch-jni 2.7.1-0.35.1 carries cpu
 * and cu128 for linux-x86_64, which is why cu128 works with a local libtorch.
 */
public record JniJar(String file, String version, List<String> flavors) {
    static final String PROPERTIES = "jnilib/pytorch.properties";

    /** The jar on the classpath, if any. */
    public static Optional<JniJar> onClasspath() {
        URL url = JniJar.class.getClassLoader().getResource(PROPERTIES);
        if (url == null) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            try (InputStream in = url.openStream()) {
                p.load(in);
            }
            TreeSet<String> flavors = new TreeSet<>();
            String prefix = "jnilib/" + classifier() + "/";
            if (url.openConnection() instanceof JarURLConnection c) {
                c.setUseCaches(false);
                try (JarFile jar = c.getJarFile()) {
                    jar.stream()
                            .map(e -> e.getName())
                            .filter(n -> n.startsWith(prefix) && n.length() > prefix.length())
                            .map(n -> n.substring(prefix.length()).split("/")[0])
                            .forEach(flavors::add);
                }
            }
            return Optional.of(
                    new JniJar(
                            NativeJar.jarName(url),
                            p.getProperty("jni_version", "?"),
                            List.copyOf(flavors)));
        } catch (IOException e) {
            return Optional.of(
                    new JniJar(NativeJar.jarName(url), "unreadable: " + e.getMessage(), List.of()));
        }
    }

    /** DJL's platform classifier for this machine: linux-x86_64, osx-aarch64, ... */
    static String classifier() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String o = os.startsWith("mac") ? "osx" : os.startsWith("win") ? "win" : "linux";
        String a =
                arch.equals("amd64") || arch.equals("x86_64")
                        ? "x86_64"
                        : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return o + "-" + a;
    }
}
