package io.scrapeguard.ops;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL reading to list the metric names an expression selects. */
final class PromQl {
    private static final Set<String> WORDS =
            Set.of(
                    // aggregations, keywords and modifiers
                    "sum",
                    "min",
                    "max",
                    "avg",
                    "count",
                    "stddev",
                    "stdvar",
                    "topk",
                    "bottomk",
                    "quantile",
                    "count_values",
                    "group",
                    "by",
                    "without",
                    "on",
                    "ignoring",
                    "group_left",
                    "group_right",
                    "and",
                    "or",
                    "unless",
                    "bool",
                    "offset",
                    // functions used in the project's rules and dashboards (and common ones)
                    "rate",
                    "irate",
                    "increase",
                    "delta",
                    "idelta",
                    "deriv",
                    "histogram_quantile",
                    "time",
                    "absent",
                    "absent_over_time",
                    "abs",
                    "clamp_min",
                    "clamp_max",
                    "vector",
                    "scalar",
                    "label_replace",
                    "label_join",
                    "max_over_time",
                    "min_over_time",
                    "avg_over_time",
                    "sum_over_time",
                    "count_over_time",
                    "last_over_time",
                    "changes",
                    "resets",
                    "timestamp",
                    "round",
                    "ceil",
                    "floor",
                    "sort",
                    "sort_desc",
                    "predict_linear",
                    "inf",
                    "nan");

    private PromQl() {}

    /**
     * Metric names selected by {@code expr} (Grafana variables such as $__rate_interval allowed).
     */
    static Set<String> metricNames(String expr) {
        String s =
                expr.replaceAll("(?m)#.*$", " ") // comments
                        .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // string literals
                        .replaceAll("\\{[^}]*}", " ") // label matchers
                        .replaceAll("\\[[^]]*]", " ") // range selectors
                        .replaceAll(
                                "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
                                " ")
                        .replaceAll("\\$\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(s);
        while (m.find()) {
            String word = m.group(1);
            if (WORDS.contains(word.toLowerCase()) || word.matches("\\d.*")) {
                continue;
            }
            // a duration suffix of a number (1m, 30s) is not a name
            if (m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1))) {
                continue;
            }
            names.add(word);
        }
        return names;
    }
}
