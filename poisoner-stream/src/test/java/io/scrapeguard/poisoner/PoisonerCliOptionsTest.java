package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.imaging.OutputFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** What ./guard poisoner, up and demo accept for the method, coverage floor and output format. */
class PoisonerCliOptionsTest {
    @Command(name = "poisoner")
    static final class Holder {
        @Mixin PoisonerCliOptions options = new PoisonerCliOptions();
    }

    private static PoisonerCliOptions parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h.options;
    }

    private static final SeedingKey KEY = SeedingKey.of("cli");

    @Test
    void theDefaultIsMultiscaleAndEveryVariantCanBeNamed() {
        assertThat(parse().protection(KEY).method().publishedName()).isEqualTo("ar-multiscale-l2");
        assertThat(parse("--method", "ar-paper").protection(KEY).method().name())
                .isEqualTo("ar-paper");
        assertThat(
                        parse("--method", "ar-tiled", "--budget", "linf=8/255")
                                .protection(KEY)
                                .method()
                                .publishedName())
                .isEqualTo("ar-tiled-linf");
        assertThatThrownBy(() -> parse("--method", "ar-nope").protection(KEY))
                .hasMessageContaining("unknown method 'ar-nope'");
    }

    @Test
    void coverageFloorAndOutputFormatReachTheOptions() {
        PoisonerOptions o =
                parse("--labels", "cats", "--min-coverage", "0.8", "--output-format", "auto")
                        .options("localhost:9092", "http://localhost:8081", Path.of("state"));
        assertThat(o.minCoverage()).isEqualTo(0.8);
        assertThat(o.outputFormat()).isEqualTo(OutputFormat.AUTO);
        assertThat(parse("--labels", "cats").options("b", "r", Path.of("s")).minCoverage())
                .isEqualTo(ImagePipeline.DEFAULT_MIN_COVERAGE);
        assertThatThrownBy(
                        () ->
                                parse("--labels", "cats", "--min-coverage", "1.5")
                                        .options("b", "r", Path.of("s")))
                .hasMessageContaining("--min-coverage must be 0..1");
        assertThatThrownBy(
                        () ->
                                parse("--labels", "cats", "--output-format", "gif")
                                        .options("b", "r", Path.of("s")))
                .hasMessageContaining("png, jpeg or auto");
    }
}
