package io.scrapeguard.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus series docs/metrics.md promises, derived from its Micrometer names and types the
 * way Micrometer's Prometheus registry names them, plus the external families it lists ({@code
 * kafka_consumer_*}) and the standard {@code up}/{@code ALERTS} series.
 */
final class MetricsContract {
    private final Set<String> names = new TreeSet<>();
    private final List<String> prefixes = new ArrayList<>();

    private MetricsContract() {}

    static MetricsContract load() {
        MetricsContract c = new MetricsContract();
        c.names.addAll(List.of("up", "ALERTS", "ALERTS_FOR_STATE"));
        Pattern tick = Pattern.compile("`([^`]+)`");
        for (String line : Repo.read("docs/metrics.md").split("\n")) {
            if (!line.startsWith("|")) {
                // families mentioned in prose, e.g. `jvm_*`
                Matcher m = tick.matcher(line);
                while (m.find()) {
                    c.addFamily(m.group(1));
                }
                continue;
            }
            String[] cells = line.split("\\|");
            if (cells.length < 3) {
                continue;
            }
            String type = cells[2].strip().toLowerCase();
            for (int i = 1; i < cells.length; i++) {
                Matcher m = tick.matcher(cells[i]);
                while (m.find()) {
                    String token = m.group(1);
                    if (i == 1 && token.startsWith("guard.")) {
                        c.addMicrometer(token, type);
                    } else {
                        c.addFamily(token);
                    }
                }
            }
        }
        return c;
    }

    private void addMicrometer(String dotName, String type) {
        String base = dotName.replace('.', '_');
        if (type.contains("counter")) {
            names.add(base + "_total");
        } else if (type.contains("timer")) {
            for (String s : List.of("", "_bucket", "_count", "_sum", "_max")) {
                names.add(base + "_seconds" + s);
            }
        } else if (type.contains("summary")) {
            for (String s : List.of("", "_bucket", "_count", "_sum", "_max")) {
                names.add(base + s);
            }
        } else if (type.contains("(seconds)")) {
            // a gauge with a base unit: Micrometer appends it
            names.add(base + "_seconds");
        } else {
            names.add(base);
        }
    }

    private void addFamily(String token) {
        if (token.matches("[a-z_]+_\\*")) {
            prefixes.add(token.substring(0, token.length() - 1));
        } else if (token.matches("[a-z_:]+") && token.contains("_")) {
            names.add(token);
        }
    }

    boolean contains(String metric) {
        return names.contains(metric) || prefixes.stream().anyMatch(metric::startsWith);
    }

    Set<String> names() {
        return names;
    }
}
