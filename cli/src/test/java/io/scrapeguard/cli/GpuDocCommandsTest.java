package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every {@code ./guard} command in docs/gpu.md's code blocks is one ./guard runs. */
class GpuDocCommandsTest {

    @Test
    void everyCommandOfTheGpuGuideParses() throws Exception {
        String launcher = Files.readString(GuardScript.ROOT.resolve("guard"));
        List<List<String>> commands = new ArrayList<>();
        boolean inBlock = false;
        for (String line : Files.readAllLines(GuardScript.ROOT.resolve("docs/gpu.md"))) {
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            int comment = line.indexOf(" #");
            String l = comment >= 0 ? line.substring(0, comment) : line;
            int at = l.indexOf("./guard ");
            if (!inBlock || at < 0) {
                continue;
            }
            commands.add(ReadmeCommands.tokens(l.substring(at + "./guard".length())));
        }
        assertThat(commands)
                .as("./guard lines in docs/gpu.md")
                .hasSizeGreaterThan(5)
                .contains(List.of("doctor"));
        for (List<String> args : commands) {
            if (ReadmeCommands.LAUNCHER_ONLY.contains(args.get(0))) {
                assertThat(launcher).contains("  " + args.get(0) + ")");
                continue;
            }
            assertThatCode(() -> Guard.commandLine().parseArgs(args.toArray(String[]::new)))
                    .as("./guard " + String.join(" ", args))
                    .doesNotThrowAnyException();
        }
    }
}
