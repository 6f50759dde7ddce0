package io.scrapeguard.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a ./guard command writes to the console: slf4j-simple's layout, now dated, or JSON. */
class CliLoggingTest {
    @Test
    void plainLinesKeepTheirLayoutWithADatedTimestamp() throws Exception {
        List<String> lines = run("plain");

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .matches(
                        "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})"
                            + " \\[main\\] INFO io\\.scrapeguard\\.poisoner\\.Poisoner - protected"
                            + " image id\\\\n"
                            + "with \"newline\"");
    }

    @Test
    void jsonLinesCarryTheSameEvent() throws Exception {
        List<String> lines = run("json");

        assertThat(lines).hasSize(1);
        JsonNode event = new ObjectMapper().readTree(lines.get(0));
        assertThat(event.get("logger").asText()).isEqualTo("io.scrapeguard.poisoner.Poisoner");
        assertThat(event.get("message").asText()).isEqualTo("protected image id\nwith \"newline\"");
    }

    private static List<String> run(String format) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CliLoggingSample.class.getName());
        builder.environment().put("GUARD_LOG_FORMAT", format);
        Process child = builder.start();
        try {
            child.getOutputStream().close();
            byte[] err = child.getErrorStream().readAllBytes();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
            return new String(err, StandardCharsets.UTF_8).lines().toList();
        } finally {
            child.destroyForcibly();
        }
    }
}
