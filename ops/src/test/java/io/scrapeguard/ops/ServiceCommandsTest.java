package io.scrapeguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.auditor.AuditorCommand;
import io.scrapeguard.auditor.AuditorConfig;
import io.scrapeguard.poisoner.PoisonerCommand;
import io.scrapeguard.producer.PublishCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command lines compose and the images run are accepted by the real ./guard commands. */
class ServiceCommandsTest {
    private static final Pattern VAR = Pattern.compile("\\$\\{(\\w+)}");
    private final Map<String, String> env = Repo.dotEnv();

    @Test
    void composeRunsThePoisonerTheAuditorAndThePublisherWithOptionsTheyAccept() {
        assertAccepted(new PoisonerCommand(), composeCommand("poisoner"));
        assertAccepted(new AuditorCommand(), composeCommand("auditor"));
        assertAccepted(new PublishCommand(), composeCommand("producer"));
    }

    @Test
    void theAuditorSettingsOfComposeAreValid() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : composeCommand("auditor")) {
            if (arg.startsWith("--set=")) {
                String[] kv = arg.substring("--set=".length()).split("=", 2);
                settings.put(kv[0], kv[1]);
            }
        }
        assertThat(settings).containsKeys("auditor.profile", "auditor.interval", "auditor.bank");
        AuditorConfig config = AuditorConfig.from(settings);
        assertThat(config.settings().profile().name()).isEqualTo(env.get("AUDIT_PROFILE"));
        // AuditStale allows 3 of the exported intervals; an interval of 0 would turn it off
        assertThat(config.interval()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
        assertThat(settings.get("auditor.bank")).isEqualTo("/run/secrets/ar-bank");
    }

    @Test
    void imageDefaultCommandsAreAcceptedToo() {
        String dockerfile = Repo.read("ops/docker/Dockerfile");
        assertAccepted(new PoisonerCommand(), cmdOf(dockerfile, "poisoner"));
        assertAccepted(new AuditorCommand(), cmdOf(dockerfile, "auditor"));
        assertAccepted(new PublishCommand(), cmdOf(dockerfile, "producer"));
    }

    private static void assertAccepted(Object command, List<String> line) {
        CommandLine cli = new CommandLine(command);
        assertThat(line).as("command line").isNotEmpty();
        assertThat(line.get(0)).as("subcommand of %s", line).isEqualTo(cli.getCommandName());
        try {
            CommandLine.ParseResult parsed =
                    cli.parseArgs(line.subList(1, line.size()).toArray(String[]::new));
            assertThat(parsed.unmatched()).as("unknown arguments in %s", line).isEmpty();
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(
                    "./guard " + String.join(" ", line) + " is rejected: " + e.getMessage(), e);
        }
    }

    private List<String> composeCommand(String service) {
        Map<String, Object> s =
                Repo.asMap(
                        Repo.asMap(Repo.yaml("docker-compose.yml").get("services")).get(service));
        List<String> out = new ArrayList<>();
        for (Object arg : Repo.asList(s.get("command"))) {
            Matcher m = VAR.matcher(arg.toString());
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, Matcher.quoteReplacement(env.get(m.group(1))));
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }

    private static List<String> cmdOf(String dockerfile, String target) {
        int stage = dockerfile.indexOf(" AS " + target + "\n");
        assertThat(stage).as("stage %s", target).isPositive();
        Matcher m = Pattern.compile("(?m)^CMD \\[(.*)]$").matcher(dockerfile);
        assertThat(m.find(stage)).as("CMD of %s", target).isTrue();
        List<String> out = new ArrayList<>();
        Matcher arg = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
        while (arg.find()) {
            out.add(arg.group(1));
        }
        return out;
    }
}
