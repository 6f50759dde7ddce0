package io.scrapeguard.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourcesTest {
    @TempDir Path dir;

    private Path touch(String rel) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, rel.getBytes());
        return p;
    }

    @Test
    void imageFolderLayoutTakesTheLabelFromTheFolder() throws Exception {
        touch("root/cats/a.png");
        touch("root/cats/sub/b.JPG");
        touch("root/dogs/c.jpeg");
        touch("root/dogs/notes.txt");
        touch("root/.hidden/d.png");
        touch("root/loose.png");
        var listing = ImageSources.list(List.of(dir.resolve("root")), null);
        assertThat(listing.items())
                .extracting(PublishItem::label)
                .containsExactly("cats", "cats", "dogs");
        assertThat(listing.skipped())
                .extracting(ImageSources.Skipped::reason)
                .containsExactlyInAnyOrder(
                        "not an image file",
                        "no label (not inside a <label>/ folder; use --label)");
    }

    @Test
    void singleFilesNeedALabel() throws Exception {
        Path f = touch("one.png");
        assertThat(ImageSources.list(List.of(f), "artist-7").items())
                .containsExactly(new PublishItem(f, "artist-7"));
        assertThatThrownBy(() -> ImageSources.list(List.of(f), null))
                .hasMessageContaining("--label");
        assertThatThrownBy(() -> ImageSources.list(List.of(dir.resolve("missing.png")), "x"))
                .hasMessageContaining("no such file");
    }

    @Test
    void csvManifestResolvesPathsAgainstItsFolder() throws Exception {
        touch("m/imgs/a.png");
        Path csv = dir.resolve("m/manifest.csv");
        Files.writeString(
                csv, "path,label\nimgs/a.png,cats\n\"imgs/with,comma.png\",\"dogs\"\n# comment\n");
        var items = ImageSources.list(List.of(csv), null).items();
        assertThat(items)
                .containsExactly(
                        new PublishItem(dir.resolve("m/imgs/a.png").toAbsolutePath(), "cats"),
                        new PublishItem(
                                dir.resolve("m/imgs/with,comma.png").toAbsolutePath(), "dogs"));
    }

    @Test
    void progressBarShowsRateAndEtaAndSummaryHasTheLastLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar(new PrintStream(bytes), 2, false)) {
            bar.step(10);
            bar.step(10);
        }
        assertThat(bytes.toString()).contains("2/2").contains("img/s").contains("ETA");
        PublishSummary s = new PublishSummary();
        s.sent(5);
        s.skipped("duplicate");
        s.failed("image-too-large");
        s.failed("image-too-large");
        assertThat(s.lastLine()).isEqualTo("sent=1 skipped=1 failed=2");
        assertThat(s.details()).contains("failed   image-too-large: 2");
    }
}
