package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command the README and {@code docs/*.md} name runs through the real script: {@code ./guard
 * <command> --help} answers with its usage and exit 0 (the cheap run for commands whose real runs
 * live in their modules' tests; {@code ./guard test} is what .ci/run runs, {@code ./guard demo}
 * DemoScriptIT). Each command runs once, where it is first named.
 */
class ReadmeHelpIT {
    @TempDir Path tmp;

    @Test
    void everyDocumentedCommandAnswersHelp() {
        List<String> failures = new ArrayList<>();
        Set<List<String>> ran = new HashSet<>();
        for (Path file : ReadmeCommands.files()) {
            for (List<String> path : ReadmeCommands.mentionedSubcommands(file)) {
                boolean launcherOnly =
                        !path.isEmpty() && ReadmeCommands.LAUNCHER_ONLY.contains(path.get(0));
                if (launcherOnly || !ran.add(path)) {
                    continue;
                }
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                GuardScript.Result r =
                        GuardScript.of(tmp, args.toArray(String[]::new)).run(Duration.ofMinutes(1));
                String usage =
                        "Usage: guard" + (path.isEmpty() ? "" : " " + String.join(" ", path));
                if (r.exitCode() != 0 || !r.stdout().contains(usage)) {
                    String command = "./guard " + String.join(" ", args);
                    failures.add(ReadmeCommands.name(file) + ": " + command + ": " + r);
                }
            }
        }
        assertThat(ran).hasSizeGreaterThan(8);
        assertThat(failures).isEmpty();
    }
}
