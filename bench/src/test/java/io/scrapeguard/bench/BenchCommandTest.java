package io.scrapeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmarks' output format (not their speed: no timed tests). */
class BenchCommandTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute(args)).isZero();
        return out.toString().split("\n");
    }

    @Test
    void generationPrintsARowAndImagesPerSecondLast() {
        String[] lines =
                run("generation", "--size", "16x8x1", "--threads", "1", "--seconds", "0.3");
        assertThat(List.of(lines)).anyMatch(l -> l.startsWith("java") && l.contains("16x8x1"));
        String last = lines[lines.length - 1];
        assertThat(last).matches("images_per_second=\\d+");
        assertThat(Long.parseLong(last.substring(last.indexOf('=') + 1))).isPositive();
    }

    @Test
    void searchPrintsWallTime() {
        String[] lines = run("search", "--classes", "3", "--threshold", "5", "--threads", "1");
        assertThat(lines[lines.length - 1]).matches("search_seconds=\\d+\\.\\d\\d");
        assertThat(List.of(lines)).anyMatch(l -> l.trim().startsWith("3 ") && l.contains(" 5 "));
    }
}
