package io.scrapeguard.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The {@code ./guard} commands the README and the documentation in {@code docs/} show, for the
 * tests that run them. Each method reads one file, so failures can name it.
 */
final class ReadmeCommands {
    /** Commands of the launcher script itself (not picocli): run by .ci/run and the IT. */
    static final Set<String> LAUNCHER_ONLY = Set.of("test", "build");

    private static final Pattern MENTION = Pattern.compile("\\./guard((?: [a-z][a-z-]*)*)");

    private ReadmeCommands() {}

    static Path readme() {
        return GuardScript.ROOT.resolve("README.md");
    }

    /** Every {@code docs/*.md}, by name. */
    static List<Path> docs() {
        try (Stream<Path> files = Files.list(GuardScript.ROOT.resolve("docs"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files whose commands are checked: the README first, then every docs file. */
    static List<Path> files() {
        List<Path> out = new ArrayList<>();
        out.add(readme());
        out.addAll(docs());
        return out;
    }

    /** A file as the failure messages name it: relative to the repository root. */
    static String name(Path file) {
        return GuardScript.ROOT.relativize(file).toString();
    }

    /** Every {@code ./guard ...} line of a file's code blocks, comments removed. */
    static List<List<String>> codeBlockCommands(Path file) {
        List<List<String>> out = new ArrayList<>();
        boolean inBlock = false;
        for (String line : lines(file)) {
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            String l = line.strip();
            if (!inBlock || !l.startsWith("./guard")) {
                continue;
            }
            int comment = l.indexOf(" #");
            if (comment >= 0) {
                l = l.substring(0, comment);
            }
            out.add(tokens(l.substring("./guard".length())));
        }
        return out;
    }

    /**
     * Every subcommand path a file names anywhere ({@code demo}, {@code processes search}, ...), in
     * order; the root itself as the empty path.
     */
    static Set<List<String>> mentionedSubcommands(Path file) {
        CommandLine root = Guard.commandLine();
        Set<List<String>> out = new LinkedHashSet<>();
        for (String line : lines(file)) {
            Matcher m = MENTION.matcher(line);
            while (m.find()) {
                List<String> path = new ArrayList<>();
                CommandLine cmd = root;
                for (String word : m.group(1).strip().split(" ")) {
                    if (word.isEmpty()) {
                        continue;
                    }
                    if (path.isEmpty() && LAUNCHER_ONLY.contains(word)) {
                        path.add(word);
                        break;
                    }
                    CommandLine sub = cmd.getSubcommands().get(word);
                    if (sub == null) {
                        if (path.isEmpty()) {
                            path.add(word); // unknown: the test reports it
                        }
                        break;
                    }
                    path.add(word);
                    cmd = sub;
                }
                out.add(List.copyOf(path));
            }
        }
        return out;
    }

    /** Whitespace-separated words; single or double quotes group. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
