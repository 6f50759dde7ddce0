package io.scrapeguard.core.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * A PyTorch native-library jar on the classpath (pytorch-native-cpu, pytorch-native-cu124): the
 * file and the build its {@code native/lib/pytorch.properties} names. The flavour switch decides
 * whether there is one; two means a stale build.
 */
public record NativeJar(String file, String version, String flavor, String classifier) {
    static final String PROPERTIES = "native/lib/pytorch.properties";

    /** Every native jar this class loader sees, in classpath order; an unreadable one as "?". */
    public static List<NativeJar> onClasspath() {
        ClassLoader loader = NativeJar.class.getClassLoader();
        List<NativeJar> out = new ArrayList<>();
        List<URL> urls;
        try {
            urls = Collections.list(loader.getResources(PROPERTIES));
        } catch (IOException e) {
            return out; // the class loader cannot list: as if there were none
        }
        for (URL url : urls) {
            try {
                out.add(read(url));
            } catch (IOException e) {
                out.add(new NativeJar(jarName(url), "?", "?", "?"));
            }
        }
        return out;
    }

    static NativeJar read(URL url) throws IOException {
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        }
        return new NativeJar(
                jarName(url),
                p.getProperty("version", "?"),
                p.getProperty("flavor", "?"),
                p.getProperty("classifier", "?"));
    }

    /** The jar's file name from a {@code jar:file:/.../x.jar!/entry} URL, else the URL. */
    static String jarName(URL url) {
        String s = url.toString();
        int bang = s.indexOf("!/");
        if (!s.startsWith("jar:") || bang < 0) {
            return s;
        }
        String jar = s.substring(0, bang);
        return jar.substring(jar.lastIndexOf('/') + 1);
    }
}
