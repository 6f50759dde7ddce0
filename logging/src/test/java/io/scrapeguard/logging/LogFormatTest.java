package io.scrapeguard.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The binding as ./guard runs it: a child JVM, found through SLF4J's service loader, switched by
 * GUARD_LOG_FORMAT or -Dguard.log.format, logging an image id that tries to forge a line.
 */
class LogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISO_TIME =
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})";

    @Test
    void jsonModeWritesOneParsableObjectPerLineWithTheIdIntact() throws Exception {
        List<String> lines = runSample(Map.of("GUARD_LOG_FORMAT", "json"));

        assertThat(lines).as("one line per event, none forged, the debug line filtered").hasSize(2);
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            events.add(JSON.readTree(line));
        }
        JsonNode info = events.get(0);
        assertThat(info.get("level").asText()).isEqualTo("INFO");
        assertThat(info.get("logger").asText()).isEqualTo("io.scrapeguard.sample");
        assertThat(info.get("thread").asText()).isEqualTo("main");
        assertThat(info.get("message").asText())
                .isEqualTo("published image " + LogSample.HOSTILE_ID);
        assertThat(info.has("exception")).isFalse();
        assertThat(OffsetDateTime.parse(info.get("time").asText())).isNotNull();
        assertThat(info.get("time").asText()).matches(ISO_TIME);

        JsonNode warn = events.get(1);
        assertThat(warn.get("level").asText()).isEqualTo("WARN");
        assertThat(warn.get("message").asText()).isEqualTo("could not poison img-8");
        assertThat(warn.get("exception").asText())
                .startsWith("java.lang.IllegalStateException: bad id " + LogSample.HOSTILE_ID)
                .contains("\tat io.scrapeguard.logging.LogSample.main(")
                .contains("Caused by: java.lang.RuntimeException: cause");
    }

    @Test
    void theSystemPropertyWinsOverTheEnvironment() throws Exception {
        List<String> lines =
                runSample(Map.of("GUARD_LOG_FORMAT", "plain"), "-Dguard.log.format=json");

        assertThat(lines).hasSize(2).allMatch(line -> line.startsWith("{\"time\":\""));
    }

    @Test
    void plainModeDatesEachLineAndEscapesNewlinesInMessagesAndExceptions() throws Exception {
        List<String> lines =
                runSample(
                        Map.of(),
                        "-Dorg.slf4j.simpleLogger.showDateTime=true",
                        "-Dorg.slf4j.simpleLogger.dateTimeFormat=" + LogSettings.ISO_PATTERN);

        String escapedId = LogSample.HOSTILE_ID.replace("\n", "\\n");
        String prefix = ISO_TIME + " \\[main\\] %s io\\.scrapeguard\\.sample - .*";
        assertThat(lines.get(0))
                .matches(prefix.formatted("INFO"))
                .endsWith(" - published image " + escapedId);
        assertThat(lines.get(1))
                .matches(prefix.formatted("WARN"))
                .endsWith(" - could not poison img-8");
        assertThat(lines.get(2)).isEqualTo("java.lang.IllegalStateException: bad id " + escapedId);
        assertThat(lines)
                .as("every line is a log line or part of its stack trace")
                .allMatch(
                        line ->
                                line.matches(ISO_TIME + " .*")
                                        || line.startsWith("java.lang.IllegalStateException")
                                        || line.startsWith("\t")
                                        || line.startsWith("Caused by: "))
                .noneMatch(line -> line.contains("ERROR forged") && !line.contains("\\n"));
    }

    @Test
    void levelsComeFromTheSimpleLoggerPropertiesAsBefore() throws Exception {
        List<String> lines =
                runSample(
                        Map.of("GUARD_LOG_FORMAT", "json"),
                        "-Dorg.slf4j.simpleLogger.log.io.scrapeguard=warn");

        assertThat(lines).hasSize(1);
        assertThat(JSON.readTree(lines.get(0)).get("level").asText()).isEqualTo("WARN");
    }

    @Test
    void anUnknownFormatIsSaidOnceAndPlainIsUsed() throws Exception {
        List<String> lines = runSample(Map.of("GUARD_LOG_FORMAT", "xml"));

        assertThat(lines.get(0))
                .isEqualTo(
                        "guard: warning: GUARD_LOG_FORMAT is plain or json,"
                                + " not 'xml'; logging plain lines");
        assertThat(lines.get(1)).contains(" [main] INFO io.scrapeguard.sample - published image ");
    }

    /** The sample's stderr lines; the child gets no inherited GUARD_LOG_FORMAT but the given. */
    private static List<String> runSample(Map<String, String> env, String... jvmOptions)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(
                List.of("-cp", System.getProperty("java.class.path"), LogSample.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("GUARD_LOG_FORMAT");
        builder.environment().putAll(env);
        Process child = builder.start();
        try {
            child.getOutputStream().close();
            byte[] err = child.getErrorStream().readAllBytes();
            byte[] out = child.getInputStream().readAllBytes();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the sample ends").isTrue();
            assertThat(child.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
            assertThat(out).as("nothing on stdout").isEmpty();
            return new String(err, StandardCharsets.UTF_8).lines().toList();
        } finally {
            child.destroyForcibly();
        }
    }
}
