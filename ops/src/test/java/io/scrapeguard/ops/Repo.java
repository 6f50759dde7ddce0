package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The repository's deployment files, read the way Docker, Prometheus and Grafana read them. */
final class Repo {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Repo() {}

    /** The repository root (surefire sets guard.repo; running from ops/ or the root works too). */
    static Path root() {
        String configured = System.getProperty("guard.repo");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml"))
                    && Files.isDirectory(p.resolve("ops"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "repository root (with docker-compose.yml) not found from " + start);
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        Path p = path(relative);
        assertThat(p).as("file %s", relative).isRegularFile();
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** YAML with anchors and merge keys ({@code <<: *x}) resolved, as docker compose does. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String relative) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object loaded = new Yaml(options).load(read(relative));
        assertThat(loaded).as("%s is a YAML mapping", relative).isInstanceOf(Map.class);
        return (Map<String, Object>) loaded;
    }

    static JsonNode json(String relative) {
        try {
            return JSON.readTree(read(relative));
        } catch (IOException e) {
            throw new AssertionError(relative + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static List<Path> list(String dir, String glob) {
        try (Stream<Path> files = Files.list(path(dir))) {
            var matcher = root().getFileSystem().getPathMatcher("glob:" + glob);
            return files.filter(f -> matcher.matches(f.getFileName())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(Path p) {
        return root().relativize(p.toAbsolutePath().normalize()).toString();
    }

    /** The root .env file as docker compose reads it (KEY=VALUE lines, # comments). */
    static Map<String, String> dotEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : read(".env").split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int eq = t.indexOf('=');
            assertThat(eq).as(".env line '%s' is KEY=VALUE", t).isPositive();
            env.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
