package io.scrapeguard.bench.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit benchmark's real-photo input and its tables (not its speed: no timed tests). */
class AuditStageBenchmarkTest {
    @TempDir Path tmp;

    private static Image8 photo(int w, int h, int channels, int seed) {
        byte[] px = new byte[w * h * channels];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 + seed * 17);
        }
        return Image8.of(w, h, channels, px);
    }

    @Test
    void photosOfAnyShapeBecomeSquareRgbOfOneSize() throws Exception {
        Path src = tmp.resolve("photos");
        Files.createDirectories(src.resolve("cat"));
        Files.createDirectories(src.resolve("dog"));
        Files.write(src.resolve("cat/a.png"), photo(640, 480, 3, 1).encodePng());
        Files.write(src.resolve("cat/b.jpg"), ImageCodec.encodeJpeg(photo(300, 500, 3, 2), 90));
        Files.write(src.resolve("cat/c.png"), photo(32, 32, 1, 3).encodePng()); // grey
        Files.write(src.resolve("dog/d.png"), photo(32, 32, 3, 4).encodePng());
        Files.write(src.resolve("dog/e.png"), "not an image".getBytes(StandardCharsets.UTF_8));
        Files.writeString(src.resolve("dog/notes.txt"), "ignored");

        PhotoSet.Prepared p = PhotoSet.prepare(src, tmp.resolve("out"), 32, 1000);

        assertThat(p).isEqualTo(new PhotoSet.Prepared(2, 4, 1));
        for (String f : List.of("cat/a.png", "cat/b.png", "cat/c.png", "dog/d.png")) {
            Image8 img = ImageCodec.decode(Files.readAllBytes(tmp.resolve("out").resolve(f)));
            assertThat(List.of(img.width(), img.height(), img.channels())).as(f)
                    .containsExactly(32, 32, 3);
        }
        // a photo already 32x32 RGB keeps its pixels (CIFAR-10 stays CIFAR-10)
        assertThat(ImageCodec.decode(Files.readAllBytes(tmp.resolve("out/dog/d.png"))))
                .isEqualTo(photo(32, 32, 3, 4));
        // the per-label cap takes the first files by name
        PhotoSet.Prepared capped = PhotoSet.prepare(src, tmp.resolve("capped"), 16, 1);
        assertThat(capped.photos()).isEqualTo(2);
        assertThat(tmp.resolve("capped/cat/a.png")).isRegularFile();
        assertThat(tmp.resolve("capped/cat/b.png")).doesNotExist();
    }

    @Test
    void photosNeedTwoLabels() throws Exception {
        Files.createDirectories(tmp.resolve("one/cat"));
        assertThatThrownBy(() -> PhotoSet.prepare(tmp.resolve("one"), tmp.resolve("o"), 32, 10))
                .hasMessageContaining("two or more <label>/ folders");
        assertThatThrownBy(() -> PhotoSet.prepare(tmp.resolve("none"), tmp.resolve("o"), 32, 10))
                .hasMessageContaining("no such folder");
    }

    @Test
    void tablesNameTheDeviceAndShowWhatWasNotMeasured() {
        Map<String, Double> secs = new LinkedHashMap<>();
        secs.put("load", 1.0);
        secs.put("canaries", 120.5);
        var measured = new AuditStageBenchmark.Efficacy(0.931, 0.94, 0.112, 0.203, 0.98, 0.92,
                0.012, 0.853, "PROTECTED");
        var skipped = new AuditStageBenchmark.Efficacy(Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                "SKIPPED: fewer than 20 pairs");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AuditStageBenchmark.print(List.of(
                new AuditStageBenchmark.Row("photos", "paper", 2500, 100, "gpu(0)", secs, measured),
                new AuditStageBenchmark.Row("synthetic", "paper", 10, 100, "cpu", Map.of("load",
                        0.1), skipped)), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines.get(0)).matches("data +profile +pairs +epochs +device +load +canaries"
                + " +total s");
        assertThat(lines.get(1))
                .matches("photos +paper +2500 +100 gpu\\(0\\) +1\\.0 +120\\.5 +121\\.5");
        assertThat(lines.get(2)).matches("synthetic +paper +10 +100 cpu +0\\.1 +- +0\\.1");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("photos +paper +2500 +100"
                + " gpu\\(0\\) +93\\.1/94\\.0 +11\\.2/20\\.3 +0\\.98/0\\.92"
                + " +1\\.2/85\\.3 +PROTECTED"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("synthetic +paper +10 +100 cpu"
                + " +-/- +-/- +-/- +-/- +SKIPPED: fewer than 20 pairs"));
        assertThat(AuditStageBenchmark.device(Device.cpu())).isEqualTo("cpu");
        assertThat(AuditStageBenchmark.device(Device.gpu(1))).isEqualTo("gpu(1)");
    }
}
