package io.scrapeguard.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The provisioned Grafana dashboards and their panels' queries. */
final class Dashboards {
    /** One query of one panel. */
    record Query(String dashboard, String panel, String refId, String expr) {
        /** The query as Prometheus sees it, with Grafana's interval variables filled in. */
        String forPrometheus(String rateInterval) {
            return expr.replace("$__rate_interval", rateInterval)
                    .replace("$__interval", rateInterval)
                    .replace("$__range", "1h")
                    .replace("$scraper", ".+"); // the protection dashboard's repeated row: all
        }

        @Override
        public String toString() {
            return dashboard + " / " + panel + " [" + refId + "]: " + expr;
        }
    }

    private Dashboards() {}

    static List<Path> files() {
        return Repo.list("ops/grafana/dashboards", "*.json");
    }

    /** Every panel (rows' nested panels included). */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if ("row".equals(p.path("type").asText())) {
                p.path("panels").forEach(out::add);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Path file : files()) {
            JsonNode d = Repo.json(Repo.relative(file));
            for (JsonNode p : panels(d)) {
                for (JsonNode t : p.path("targets")) {
                    out.add(
                            new Query(
                                    d.path("title").asText(),
                                    p.path("title").asText(),
                                    t.path("refId").asText(),
                                    t.path("expr").asText()));
                }
            }
        }
        return out;
    }
}
