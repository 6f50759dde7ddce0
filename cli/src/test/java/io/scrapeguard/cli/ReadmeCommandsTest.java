package io.scrapeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The documented commands are real: every {@code ./guard} line in the code blocks of the README and
 * of every {@code docs/*.md} parses, options and all, with the command tree {@code ./guard} runs,
 * and every command they name exists. The README stays a short front door that links to every docs
 * file, and the links between the files lead somewhere. (ReadmeHelpIT runs each command through the
 * script; the commands' own tests run them for real.)
 */
class ReadmeCommandsTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

    @Test
    void everyCodeBlockCommandParses() {
        SoftAssertions soft = new SoftAssertions();
        int total = 0;
        for (Path file : ReadmeCommands.files()) {
            for (List<String> args : ReadmeCommands.codeBlockCommands(file)) {
                total++;
                if (!args.isEmpty() && ReadmeCommands.LAUNCHER_ONLY.contains(args.get(0))) {
                    continue;
                }
                soft.assertThatCode(
                                () -> Guard.commandLine().parseArgs(args.toArray(String[]::new)))
                        .as(ReadmeCommands.name(file) + ": ./guard " + String.join(" ", args))
                        .doesNotThrowAnyException();
            }
        }
        soft.assertAll();
        assertThat(total)
                .as("./guard lines in the code blocks of README.md and docs/")
                .isGreaterThan(30);
    }

    @Test
    void theTwoCommandsComeFirst() {
        List<List<String>> commands = ReadmeCommands.codeBlockCommands(ReadmeCommands.readme());
        assertThat(commands.subList(0, 2)).containsExactly(List.of("demo"), List.of("test"));
    }

    @Test
    void everyNamedCommandExists() throws Exception {
        String launcher = Files.readString(GuardScript.ROOT.resolve("guard"));
        SoftAssertions soft = new SoftAssertions();
        for (Path file : ReadmeCommands.files()) {
            for (List<String> path : ReadmeCommands.mentionedSubcommands(file)) {
                if (path.isEmpty()) {
                    continue;
                }
                String where = ReadmeCommands.name(file) + ": ./guard " + path.get(0);
                if (ReadmeCommands.LAUNCHER_ONLY.contains(path.get(0))) {
                    soft.assertThat(launcher).as(where).contains("  " + path.get(0) + ")");
                    continue;
                }
                soft.assertThat(Guard.commandLine().getSubcommands())
                        .as(where)
                        .containsKey(path.get(0));
            }
        }
        soft.assertAll();
    }

    /** A front door, not a notebook: short, and every docs file is reachable from it. */
    @Test
    void theReadmeIsShortAndLinksToEveryDocsFile() {
        List<String> lines = ReadmeCommands.lines(ReadmeCommands.readme());
        assertThat(lines).as("README.md lines (move details to docs/)").hasSizeLessThan(220);
        String readme = String.join("\n", lines);
        List<Path> docs = ReadmeCommands.docs();
        assertThat(docs).isNotEmpty();
        for (Path doc : docs) {
            assertThat(readme)
                    .as("README.md links to " + ReadmeCommands.name(doc))
                    .containsAnyOf(
                            "](docs/" + doc.getFileName() + ")",
                            "](docs/" + doc.getFileName() + "#");
        }
    }

    /** Relative links in README.md and docs/ lead to a file, and anchors to a heading there. */
    @Test
    void everyRelativeLinkResolves() {
        SoftAssertions soft = new SoftAssertions();
        for (Path file : ReadmeCommands.files()) {
            for (String target : links(file)) {
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path to = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                String where = ReadmeCommands.name(file) + ": link " + target;
                soft.assertThat(to).as(where).exists();
                if (hash >= 0 && Files.isRegularFile(to) && to.toString().endsWith(".md")) {
                    soft.assertThat(anchors(to)).as(where).contains(target.substring(hash + 1));
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void unknownCommandIsOneLineWithTheNearestNames() {
        StringWriter err = new StringWriter();
        CommandLine cli = Guard.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("dmeo");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines().toList())
                .singleElement()
                .asString()
                .startsWith("guard: error: unknown command 'dmeo'")
                .contains("demo", "guard --help");
    }

    private static List<String> links(Path file) {
        Matcher m = LINK.matcher(String.join("\n", outsideCodeBlocks(file)));
        return m.results().map(r -> r.group(1)).toList();
    }

    /** The anchors GitHub gives a file's headings (lower case, punctuation dropped, dashes). */
    private static Set<String> anchors(Path file) {
        Set<String> out = new HashSet<>();
        for (String line : outsideCodeBlocks(file)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String heading = m.group(1).strip().toLowerCase(Locale.ROOT);
                String base = heading.replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
                String anchor = base;
                for (int n = 1; !out.add(anchor); n++) {
                    anchor = base + "-" + n; // a repeated heading: GitHub numbers it
                }
            }
        }
        return out;
    }

    private static List<String> outsideCodeBlocks(Path file) {
        List<String> out = new ArrayList<>();
        boolean inBlock = false;
        for (String line : ReadmeCommands.lines(file)) {
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
            } else if (!inBlock) {
                out.add(line);
            }
        }
        return out;
    }
}
