package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command the README names runs through the real script: {@code ./guard <command> --help}
 * answers with its usage and exit 0 (the cheap run for commands whose real runs live in their
 * modules' tests; {@code ./guard test} is what .ci/run runs, {@code ./guard demo} DemoScriptIT).
 */
class ReadmeHelpIT {
    @TempDir Path tmp;

    @Test
    void everyReadmeCommandAnswersHelp() {
        List<String> failures = new ArrayList<>();
        int ran = 0;
        for (List<String> path : ReadmeCommands.mentionedSubcommands()) {
            if (!path.isEmpty() && ReadmeCommands.LAUNCHER_ONLY.contains(path.get(0))) {
                continue;
            }
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            GuardScript.Result r = GuardScript.of(tmp, args.toArray(String[]::new))
                    .run(Duration.ofMinutes(1));
            ran++;
            String usage = "Usage: guard" + (path.isEmpty() ? "" : " " + String.join(" ", path));
            if (r.exitCode() != 0 || !r.stdout().contains(usage)) {
                failures.add("./guard " + String.join(" ", args) + ": " + r);
            }
        }
        assertThat(ran).isGreaterThan(8);
        assertThat(failures).isEmpty();
    }
}
