package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's commands are real: every {@code ./guard} line of its code blocks parses, options
 * and all, with the command tree {@code ./guard} runs, and every command it names exists.
 * (ReadmeHelpIT runs each through the script; the commands' own tests run them for real.)
 */
class ReadmeCommandsTest {

    @Test
    void everyCodeBlockCommandParses() {
        List<List<String>> commands = ReadmeCommands.codeBlockCommands();
        assertThat(commands).as("./guard lines in the README's code blocks").hasSizeGreaterThan(10);
        for (List<String> args : commands) {
            if (!args.isEmpty() && ReadmeCommands.LAUNCHER_ONLY.contains(args.get(0))) {
                continue;
            }
            assertThatCode(() -> Guard.commandLine().parseArgs(args.toArray(String[]::new)))
                    .as("./guard " + String.join(" ", args)).doesNotThrowAnyException();
        }
    }

    @Test
    void theTwoCommandsComeFirst() {
        List<List<String>> commands = ReadmeCommands.codeBlockCommands();
        assertThat(commands.subList(0, 2)).containsExactly(List.of("demo"), List.of("test"));
    }

    @Test
    void everyNamedCommandExists() throws Exception {
        String launcher = Files.readString(GuardScript.ROOT.resolve("guard"));
        for (List<String> path : ReadmeCommands.mentionedSubcommands()) {
            if (path.isEmpty()) {
                continue;
            }
            if (ReadmeCommands.LAUNCHER_ONLY.contains(path.get(0))) {
                assertThat(launcher).contains("  " + path.get(0) + ")");
                continue;
            }
            assertThat(Guard.commandLine().getSubcommands()).as("./guard " + path.get(0))
                    .containsKey(path.get(0));
        }
    }

    @Test
    void unknownCommandIsOneLineWithTheNearestNames() {
        StringWriter err = new StringWriter();
        CommandLine cli = Guard.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("dmeo");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("guard: error: unknown command 'dmeo'").contains("demo", "guard --help");
    }
}
