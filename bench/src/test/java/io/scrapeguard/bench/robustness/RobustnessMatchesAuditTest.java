package io.scrapeguard.bench.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapeguard.auditor.AuditCommand;
import io.scrapeguard.bench.robustness.RobustnessBenchmark.Cell;
import io.scrapeguard.bench.robustness.RobustnessSources.Source;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProtectedResult;
import io.scrapeguard.imaging.scraper.ScraperPipeline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One path: the bench's per-pipeline cells are the rows of the offline audit ({@code guard audit
 * --raw --protected}) of the same images with the same seed, figure for figure.
 */
class RobustnessMatchesAuditTest {
    @TempDir Path tmp;

    private static final List<String> PIPELINES = List.of("native", "jpeg:95", "resize:64");

    @Test
    void theBenchCellsAreTheOfflineAuditsRows() throws Exception {
        List<Source> sources = RobustnessSources.load("generated", 60, 32, 32, l -> {});
        List<ScraperPipeline> scrapers = PIPELINES.stream().map(ScraperPipeline::parse).toList();
        Budget budget = Budget.parse("l2=1.0");
        RobustnessBenchmark bench = new RobustnessBenchmark();
        bench.canaries = true;
        bench.epochs = 1;
        bench.seeds = 1;
        RobustnessBenchmark.Row row = bench.measure("ar-paper", budget, sources, scrapers, l -> {});

        // The same originals and protected copies as a folder pair, audited offline.
        List<ProtectedResult> prot = bench.protect("ar-paper", budget, sources);
        Path raw = tmp.resolve("raw"), published = tmp.resolve("protected");
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            String file = s.labelName() + "/" + i + ".png";
            Files.createDirectories(raw.resolve(s.labelName()));
            Files.createDirectories(published.resolve(s.labelName()));
            Files.write(raw.resolve(file), s.image().encodePng());
            Files.write(published.resolve(file), prot.get(i).image().encodePng());
        }
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--raw",
                                raw.toString(),
                                "--protected",
                                published.toString(),
                                "--report-dir",
                                tmp.resolve("report").toString(),
                                "--json",
                                "--quiet",
                                "--profile",
                                "cpu-small",
                                "--epochs",
                                "1",
                                "--seeds",
                                "1",
                                "--seed",
                                Long.toString(RobustnessBenchmark.SEED),
                                "--canary-max-resolution",
                                "64",
                                "--dilution",
                                "1.0",
                                "--no-defences"));
        for (String p : PIPELINES) {
            args.add("--scraper");
            args.add(p);
        }
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute(args.toArray(String[]::new)))
                .isNotEqualTo(AuditCommand.EXIT_NOT_RUN);
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.get("pairs").asInt()).isEqualTo(60);

        assertThat(row.cells()).extracting(Cell::pipeline).containsExactlyElementsOf(PIPELINES);
        for (Cell c : row.cells()) {
            JsonNode r = null;
            for (JsonNode s : report.get("scrapers")) {
                if (s.get("name").asText().equals(c.pipeline())) {
                    r = s;
                }
            }
            assertThat(r).as(c.pipeline()).isNotNull();
            String p = c.pipeline();
            assertThat(num(c.deliveredL2()))
                    .as(p + " L2")
                    .isEqualTo(r.get("delivered_l2").asDouble());
            assertThat(num(c.integrity()))
                    .as(p + " integrity")
                    .isEqualTo(r.at("/integrity/filter_accuracy").asDouble());
            assertThat(num(c.probe()))
                    .as(p + " probe")
                    .isEqualTo(r.at("/separability/probe_accuracy").asDouble());
            assertThat(num(c.control()))
                    .as(p + " control")
                    .isEqualTo(r.at("/separability/control_accuracy").asDouble());
            assertThat(r.has("canary")).as(p + " canaries ran").isTrue();
            assertThat(num(c.cleanAccuracy()))
                    .as(p + " clean canary")
                    .isEqualTo(r.at("/canary/clean/final_accuracy").asDouble());
            assertThat(num(c.protectedAccuracy()))
                    .as(p + " protected canary")
                    .isEqualTo(r.at("/canary/protected/final_accuracy").asDouble());
            assertThat(num(c.cleanFollow()))
                    .as(p + " clean follow")
                    .isEqualTo(r.at("/canary/clean/follow_rate").asDouble());
            assertThat(num(c.protectedFollow()))
                    .as(p + " protected follow")
                    .isEqualTo(r.at("/canary/protected/follow_rate").asDouble());
            assertThat(num(c.score()))
                    .as(p + " score")
                    .isEqualTo(r.at("/efficacy/protection_score_final").asDouble());
            String[] hwc = r.get("image_shape").asText().split("x");
            int values =
                    Integer.parseInt(hwc[0]) * Integer.parseInt(hwc[1]) * Integer.parseInt(hwc[2]);
            assertThat(c.l2Left())
                    .as(p + " L2 at the reference scale")
                    .isEqualTo(
                            c.deliveredL2() * Math.sqrt((double) Budget.REFERENCE_VALUES / values));
        }
        assertThat(row.cells().get(2).side()).isEqualTo(64);
        assertThat(row.cells().get(2).l2Left())
                .isCloseTo(
                        row.cells().get(2).deliveredL2() / 2,
                        org.assertj.core.data.Offset.offset(1e-12));
    }

    /** The report's rounding (ReportJson: 6 decimals). */
    private static double num(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
