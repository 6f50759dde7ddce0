package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The alert rules: valid for promtool, unit-tested both ways, named and annotated for people. */
class PrometheusRulesTest {
    private static final Set<String> REQUIRED_ALERTS =
            Set.of(
                    "ProtectionLearnable", // canary peak near the clean baseline / score below
                    // threshold
                    "ScraperStripsProtection", // a pipeline of the threat model FAILING
                    "SeparabilityLost", // AR-filter or probe accuracy low
                    "AuditStale", // no audit in N intervals
                    "DeadLettersRising",
                    "PoisonerLagHigh",
                    "PoisonerDown",
                    "DeliveredPerturbationBelowBudget");

    @Test
    void promtoolAcceptsTheRulesAndTheConfig() {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        rulesFiles().forEach(p -> args.add(Repo.relative(p)));
        Tools.Result rules = Tools.promtool(Repo.root(), args.toArray(String[]::new));
        assertThat(rules.exitCode()).as("promtool check rules:\n%s", rules.output()).isZero();

        Tools.Result config =
                Tools.promtool(
                        Repo.root(),
                        "check",
                        "config",
                        "--syntax-only",
                        "ops/prometheus/prometheus.yml");
        assertThat(config.exitCode()).as("promtool check config:\n%s", config.output()).isZero();
    }

    @Test
    void promtoolUnitTestsOfEveryRulePass() {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        List<Path> tests = Repo.list("ops/prometheus/tests", "*.yml");
        assertThat(tests).as("promtool unit tests in ops/prometheus/tests").isNotEmpty();
        tests.forEach(p -> args.add(Repo.relative(p)));
        Tools.Result result = Tools.promtool(Repo.root(), args.toArray(String[]::new));
        assertThat(result.exitCode()).as("promtool test rules:\n%s", result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertIsTestedFiringOnItsFailureAndQuietOnAHealthySeries() {
        Map<String, Integer> firing = new HashMap<>();
        Map<String, Integer> quiet = new HashMap<>();
        Set<String> testedRuleFiles = new HashSet<>();
        for (Path file : Repo.list("ops/prometheus/tests", "*.yml")) {
            Map<String, Object> doc = Repo.yaml(Repo.relative(file));
            for (Object rf : Repo.asList(doc.get("rule_files"))) {
                testedRuleFiles.add(file.getParent().resolve(rf.toString()).normalize().toString());
            }
            for (Object t : Repo.asList(doc.get("tests"))) {
                for (Object art : Repo.asList(Repo.asMap(t).get("alert_rule_test"))) {
                    Map<String, Object> a = Repo.asMap(art);
                    String name = (String) a.get("alertname");
                    boolean fires = !Repo.asList(a.get("exp_alerts")).isEmpty();
                    (fires ? firing : quiet).merge(name, 1, Integer::sum);
                }
            }
        }
        Set<String> alerts = alertRules().keySet();
        assertThat(alerts).containsAll(REQUIRED_ALERTS);
        for (String alert : alerts) {
            assertThat(firing).as("a promtool test where %s fires", alert).containsKey(alert);
            assertThat(quiet).as("a promtool test where %s stays quiet", alert).containsKey(alert);
        }
        assertThat(firing.keySet()).as("tests only of alerts that exist").isSubsetOf(alerts);
        for (Path rules : rulesFiles()) {
            assertThat(testedRuleFiles)
                    .as("%s is loaded by a unit test", rules)
                    .contains(rules.normalize().toString());
        }
    }

    @Test
    void alertsAreCamelCaseWithSeveritySummaryAndDescription() {
        for (Map.Entry<String, Map<String, Object>> e : alertRules().entrySet()) {
            String name = e.getKey();
            Map<String, Object> rule = e.getValue();
            assertThat(name).as("alert name").matches("([A-Z][a-z0-9]+)+");
            assertThat(Repo.asMap(rule.get("labels")).get("severity"))
                    .as("%s severity", name)
                    .isIn("critical", "warning");
            Map<String, Object> annotations = Repo.asMap(rule.get("annotations"));
            assertThat((String) annotations.get("summary")).as("%s summary", name).isNotBlank();
            assertThat((String) annotations.get("description"))
                    .as("%s description", name)
                    .isNotBlank()
                    .hasSizeGreaterThan(60);
        }
    }

    @Test
    void rulesQueryOnlyMetricsOfTheContract() {
        MetricsContract contract = MetricsContract.load();
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, Map<String, Object>> e : alertRules().entrySet()) {
            for (String metric : PromQl.metricNames((String) e.getValue().get("expr"))) {
                if (!contract.contains(metric)) {
                    unknown.add(e.getKey() + ": " + metric);
                }
            }
        }
        assertThat(unknown).as("metrics not in docs/metrics.md").isEmpty();
    }

    @Test
    void everySeverityHasAnAlertmanagerRouteToAnExistingReceiver() {
        Map<String, Object> am = Repo.yaml("ops/alertmanager/alertmanager.yml");
        Set<String> receivers = new HashSet<>();
        for (Object r : Repo.asList(am.get("receivers"))) {
            Map<String, Object> receiver = Repo.asMap(r);
            receivers.add((String) receiver.get("name"));
            assertThat(receiver.keySet())
                    .as("receiver %s sends somewhere", receiver.get("name"))
                    .anyMatch(k -> k.endsWith("_configs"));
        }
        Map<String, Object> route = Repo.asMap(am.get("route"));
        assertThat(receivers).contains((String) route.get("receiver"));
        Map<String, String> bySeverity = new HashMap<>();
        for (Object r : Repo.asList(route.get("routes"))) {
            Map<String, Object> sub = Repo.asMap(r);
            assertThat(receivers).contains((String) sub.get("receiver"));
            for (Object m : Repo.asList(sub.get("matchers"))) {
                var matcher =
                        java.util.regex.Pattern.compile("severity=\"(\\w+)\"")
                                .matcher(m.toString());
                if (matcher.find()) {
                    bySeverity.put(matcher.group(1), (String) sub.get("receiver"));
                }
            }
        }
        assertThat(bySeverity).containsKeys("critical", "warning");
        // inhibitions name real alerts
        Set<String> alerts = alertRules().keySet();
        for (Object i : Repo.asList(am.get("inhibit_rules"))) {
            for (Object m : Repo.asList(Repo.asMap(i).get("source_matchers"))) {
                String alert = m.toString().replaceAll(".*alertname=~?\"([^\"]+)\".*", "$1");
                for (String a : alert.split("\\|")) {
                    assertThat(alerts).as("inhibit source %s", a).contains(a);
                }
            }
            for (Object m : Repo.asList(Repo.asMap(i).get("target_matchers"))) {
                String alert = m.toString().replaceAll(".*alertname=~?\"([^\"]+)\".*", "$1");
                for (String a : alert.split("\\|")) {
                    assertThat(alerts).as("inhibit target %s", a).contains(a);
                }
            }
        }
    }

    static List<Path> rulesFiles() {
        List<Path> files = Repo.list("ops/prometheus/rules", "*.yml");
        assertThat(files).as("rules in ops/prometheus/rules").isNotEmpty();
        return files;
    }

    /** Every alerting rule of ops/prometheus/rules, by name. */
    static Map<String, Map<String, Object>> alertRules() {
        Map<String, Map<String, Object>> alerts = new java.util.TreeMap<>();
        for (Path file : rulesFiles()) {
            for (Object g : Repo.asList(Repo.yaml(Repo.relative(file)).get("groups"))) {
                for (Object r : Repo.asList(Repo.asMap(g).get("rules"))) {
                    Map<String, Object> rule = Repo.asMap(r);
                    if (rule.containsKey("alert")) {
                        assertThat(alerts.put((String) rule.get("alert"), rule))
                                .as("alert %s defined once", rule.get("alert"))
                                .isNull();
                    }
                }
            }
        }
        return alerts;
    }
}
