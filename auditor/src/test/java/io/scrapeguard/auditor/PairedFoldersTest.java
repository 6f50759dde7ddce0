package io.scrapeguard.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairedFoldersTest {

    @Test
    void pairsByRelativePathAcrossExtensionsAndCountsWhatItSkips(@TempDir Path tmp)
            throws Exception {
        Path raw = tmp.resolve("raw"), prot = tmp.resolve("prot");
        for (int i = 0; i < 4; i++) {
            write(raw.resolve("cat/" + i + ".png"), 8, "png");
            write(prot.resolve("cat/" + i + ".jpg"), 8, "jpg");
        }
        write(raw.resolve("dog/a.png"), 8, "png");
        write(prot.resolve("dog/a.png"), 12, "png"); // size mismatch
        write(prot.resolve("dog/orphan.png"), 8, "png"); // missing original
        write(raw.resolve("dog/unpublished.png"), 8, "png"); // missing protected
        Files.writeString(prot.resolve("dog/broken.png"), "not an image");
        Files.writeString(raw.resolve("dog/broken.png"), "not an image either");
        write(prot.resolve("loose.png"), 8, "png"); // no label folder
        Files.writeString(prot.resolve("cat/notes.txt"), "ignored: not an image");

        PairedFolders.Pairing p = PairedFolders.pair(raw, prot, 100, 1, l -> {});

        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(ImagePair.idOf(Files.readAllBytes(raw.resolve("cat/" + i + ".png"))));
        }
        assertThat(p.pairs()).extracting(ImagePair::id).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(p.pairs()).allMatch(x -> x.label().equals("cat"));
        assertThat(p.skipped().asMap())
                .containsEntry(SkipCounts.SIZE_MISMATCH, 1)
                .containsEntry(SkipCounts.MISSING_ORIGINAL, 1)
                .containsEntry(SkipCounts.MISSING_PROTECTED, 1)
                .containsEntry(SkipCounts.UNREADABLE, 1)
                .containsEntry(SkipCounts.NO_LABEL, 1);
    }

    @Test
    void capsPairsPerLabelAndKeepsOneImageShape(@TempDir Path tmp) throws Exception {
        Path raw = tmp.resolve("raw"), prot = tmp.resolve("prot");
        for (int i = 0; i < 6; i++) {
            write(raw.resolve("a/" + i + ".png"), 8, "png");
            write(prot.resolve("a/" + i + ".png"), 8, "png");
        }
        write(raw.resolve("b/big.png"), 16, "png");
        write(prot.resolve("b/big.png"), 16, "png");
        PairedFolders.Pairing p = PairedFolders.pair(raw, prot, 4, 1, l -> {});
        assertThat(p.pairs()).hasSize(4).allMatch(x -> x.raw().height() == 8);
        assertThat(p.skipped().asMap())
                .containsEntry(SkipCounts.OVER_SAMPLE_CAP, 2)
                .containsEntry(SkipCounts.OTHER_SIZE, 1);
    }

    @Test
    void tooFewPairsIsAnAuditThatDidNotRunAndSaysWhy(@TempDir Path tmp) throws Exception {
        Path raw = tmp.resolve("raw"), prot = tmp.resolve("prot");
        for (int i = 0; i < 3; i++) {
            write(raw.resolve("a/" + i + ".png"), 8, "png");
            write(prot.resolve("a/" + i + ".png"), 8, "png");
        }
        PairedFolders.Pairing p = PairedFolders.pair(raw, prot, 100, 1, l -> {});
        AuditResult r =
                Auditor.audit(
                        p.pairs(),
                        p.skipped(),
                        null,
                        Auditor.Settings.of(AuditProfile.cpuSmall()),
                        l -> {});
        assertThat(r.outcome()).isEqualTo(AuditResult.Outcome.SKIPPED);
        assertThat(r.reason()).contains("label");
        assertThat(r.skipped()).containsEntry(SkipCounts.LABEL_TOO_SMALL, 3);
        assertThat(ReportJson.write(r)).contains("\"outcome\" : \"skipped\"");
        assertThat(HtmlReport.html(r)).contains("SKIPPED", r.reason());
    }

    @Test
    void missingFolderIsAClearError(@TempDir Path tmp) {
        assertThatThrownBy(() -> PairedFolders.pair(tmp.resolve("nope"), tmp, 10, 1, l -> {}))
                .hasMessageContaining("--raw")
                .hasMessageContaining("not a folder");
    }

    static void write(Path file, int size, String format) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, file.getFileName().toString().hashCode() & 0xffffff);
        assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
    }
}
