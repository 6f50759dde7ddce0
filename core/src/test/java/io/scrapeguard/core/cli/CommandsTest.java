package io.scrapeguard.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.core.ArFilterClassifier;
import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.MultiscaleArFilter;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.SyntheticImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands as ./guard runs them: exit codes, tables, one-line errors. */
class CommandsTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    /** Mirrors the cli module's handlers: one line per error, never a stack trace. */
    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler(
                (e, c, p) -> {
                    c.getErr().println("guard: error: " + e.getMessage());
                    return 1;
                });
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void searchTenAtThresholdTenAndItsBankPassesCheck() throws Exception {
        Path bank = dir.resolve("bank.json");
        Run s =
                run(
                        new ProcessesCommand(),
                        "search",
                        "--classes",
                        "10",
                        "--threshold",
                        "10",
                        "--seed",
                        "3",
                        "--out",
                        bank.toString());
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.out()).contains("found 10 processes");
        ProcessBank b = ProcessBank.load(bank);
        assertThat(b.size()).isEqualTo(10);
        assertThat(s.out()).contains(b.fingerprint());

        Run c =
                run(
                        new ProcessesCommand(),
                        "check",
                        bank.toString(),
                        "--samples",
                        "300",
                        "--delivered");
        assertThat(c.code()).as(c.out() + c.err()).isZero();
        assertThat(c.out()).contains("check passed").contains(b.fingerprint());
        assertThat(
                        c.out()
                                .lines()
                                .filter(l -> l.matches("\\s+\\d+\\s+100\\.00%\\s+\\d+\\.\\d+%"))
                                .count())
                .isEqualTo(10);
    }

    @Test
    void checkOfThePaperBankAt96x96() throws Exception {
        Run c = run(new ProcessesCommand(), "check", "--samples", "50", "--size", "96");
        assertThat(c.code()).isZero();
        assertThat(c.out()).contains("at 96x96x3").contains("min accuracy 100.00%");
    }

    @Test
    void showWritesAPictureOfEveryClass() throws Exception {
        Path png = dir.resolve("sheet.png");
        Run r =
                run(
                        new ProcessesCommand(),
                        "show",
                        "--out",
                        png.toString(),
                        "--samples",
                        "4",
                        "--zoom",
                        "2");
        assertThat(r.code()).as(r.err()).isZero();
        Image8 sheet = ImageCodec.decode(Files.readAllBytes(png));
        assertThat(sheet.width()).isEqualTo(4 * (64 + 2) + 2);
        assertThat(sheet.height()).isEqualTo(10 * (64 + 2) + 2);
        // the perturbations are visible: the cells are far from flat grey
        int extreme = 0;
        byte[] px = sheet.pixels();
        for (byte b : px) {
            int v = b & 0xFF;
            if (v < 40 || (v > 215 && v < 255)) {
                extreme++;
            }
        }
        assertThat(extreme).isGreaterThan(100);
    }

    @Test
    void badArgumentsGiveOneLineErrors() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"processes\": [[[1, 2, 3]]]}");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"processes\": [");
        Object[][] cases = {
            {
                new ProcessesCommand(),
                new String[] {"search", "--classes", "0", "--out", "x.json"},
                "classes must be positive"
            },
            {new ProcessesCommand(), new String[] {"check", bad.toString()}, "must have 3 entries"},
            {
                new ProcessesCommand(),
                new String[] {"check", broken.toString()},
                "malformed bank JSON"
            },
            {new ProcessesCommand(), new String[] {"check", "--budget", "l2=-1"}, "positive"},
            {new ProcessesCommand(), new String[] {"check", "--size", "0x5"}, "size '0x5'"},
            {
                new PerturbCommand(),
                new String[] {
                    "--in", dir.resolve("none.png").toString(), "--out", "o.png", "--class", "1"
                },
                "input not found"
            },
        };
        for (Object[] c : cases) {
            Run r = run(c[0], (String[]) c[1]);
            assertThat(r.code()).isNotZero();
            assertThat(r.err()).contains((String) c[2]);
            assertThat(r.err().lines().filter(l -> l.startsWith("guard: error")).count())
                    .isEqualTo(1);
            assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        }
        Path empty = dir.resolve("empty.png");
        Files.write(empty, new byte[0]);
        Run r =
                run(
                        new PerturbCommand(),
                        "--in",
                        empty.toString(),
                        "--out",
                        dir.resolve("o.png").toString(),
                        "--class",
                        "1");
        assertThat(r.err())
                .contains("guard: error: ")
                .contains("empty.png: the image has no bytes (empty-payload)");
        Run noClass = run(new PerturbCommand(), "--in", empty.toString(), "--out", "o.png");
        assertThat(noClass.err()).contains("--class is required");
    }

    @Test
    void perturbsOneImageAndAFolderKeepingNamesAndLayout() throws Exception {
        Image8 img = SyntheticImages.natural(1, 40, 30, 3);
        Path single = dir.resolve("photo.png");
        Files.write(single, img.encodePng());
        Path outFile = dir.resolve("out/protected.png");
        Run one =
                run(
                        new PerturbCommand(),
                        "--in",
                        single.toString(),
                        "--out",
                        outFile.toString(),
                        "--class",
                        "4",
                        "--id",
                        "photo-1");
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.err()).contains("PUBLIC development seeding key");
        assertThat(one.out())
                .contains("delivered l2=")
                .contains("ar-multiscale")
                .containsPattern(
                        "PSNR 3\\d\\.\\d\\d dB, SSIM 0\\.9\\d+; coverage 100\\.0% of 1 regions");
        Image8 prot = ImageCodec.decode(Files.readAllBytes(outFile));
        ArFilterClassifier clf = new ArFilterClassifier(ProcessBank.paperDefault());
        assertThat(clf.classify(Perturbation.delta(img, prot))).isEqualTo(4);
        byte[] first = Files.readAllBytes(outFile);
        run(
                new PerturbCommand(),
                "--in",
                single.toString(),
                "--out",
                outFile.toString(),
                "--class",
                "4",
                "--id",
                "photo-1");
        assertThat(Files.readAllBytes(outFile)).isEqualTo(first);

        Path in = dir.resolve("in");
        for (int k : new int[] {0, 7}) {
            Files.createDirectories(in.resolve(Integer.toString(k)));
            for (int i = 0; i < 3; i++) {
                Files.write(
                        in.resolve(k + "/img" + i + ".png"),
                        SyntheticImages.natural(10 * k + i, 32, 32, 3).encodePng());
            }
        }
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(SyntheticImages.natural(99, 32, 32, 3).toBufferedImage(), "jpg", jpg);
        Files.write(in.resolve("7/camera.jpg"), jpg.toByteArray());
        Files.createDirectories(in.resolve("12"));
        Files.write(in.resolve("12/x.png"), img.encodePng());
        Files.write(in.resolve("0/notes.png"), "not an image".getBytes());
        Path out = dir.resolve("protected");
        Run f = run(new PerturbCommand(), "--in", in.toString(), "--out", out.toString());
        assertThat(f.code()).isEqualTo(1); // two inputs could not be protected
        assertThat(f.out()).contains("protected 7 of 9 images (2 failed)");
        assertThat(f.err())
                .contains("skipped 12/x.png: label 12 is outside")
                .contains("skipped 0/notes.png: not a PNG or JPEG image");
        for (int k : new int[] {0, 7}) {
            for (int i = 0; i < 3; i++) {
                Image8 clean =
                        ImageCodec.decode(Files.readAllBytes(in.resolve(k + "/img" + i + ".png")));
                Image8 p =
                        ImageCodec.decode(Files.readAllBytes(out.resolve(k + "/img" + i + ".png")));
                assertThat(clf.classify(Perturbation.delta(clean, p))).isEqualTo(k);
            }
        }
        assertThat(out.resolve("7/camera.png")).exists();
        assertThat(f.out()).containsPattern("mean PSNR 3\\d\\.\\d\\d dB, mean SSIM 0\\.9");
        // the summary says how many got the class wave (a photo's texture) and how many the AR
        // process, as the default decides it for each
        io.scrapeguard.core.MultiscaleArMethod method =
                (io.scrapeguard.core.MultiscaleArMethod)
                        ArVariants.create(
                                null,
                                ProcessBank.paperDefault(),
                                SeedingKey.developmentDefault(),
                                Budget.defaultL2());
        int waves =
                method.wavesOn(ImageCodec.decode(Files.readAllBytes(in.resolve("7/camera.jpg"))))
                        ? 1
                        : 0;
        for (int k : new int[] {0, 7}) {
            for (int i = 0; i < 3; i++) {
                waves += method.wavesOn(SyntheticImages.natural(10 * k + i, 32, 32, 3)) ? 1 : 0;
            }
        }
        java.util.regex.Matcher carry =
                java.util.regex.Pattern.compile(
                                "what the perturbations carry: (?:ar (\\d+))?(?:, )?(?:class-wave"
                                        + " (\\d+))?")
                        .matcher(f.out());
        assertThat(carry.find()).isTrue();
        int ar = carry.group(1) == null ? 0 : Integer.parseInt(carry.group(1));
        int wave = carry.group(2) == null ? 0 : Integer.parseInt(carry.group(2));
        assertThat(ar + wave).isEqualTo(7);
        assertThat(wave).isEqualTo(waves);
    }

    @Test
    void perturbUsesTheNamedMethodAndRejectsAnUnknownOne() throws Exception {
        Image8 img = SyntheticImages.natural(3, 128, 128, 3);
        Path single = dir.resolve("large.png");
        Files.write(single, img.encodePng());
        Path paperOut = dir.resolve("paper.png");
        Path multiOut = dir.resolve("multi.png");
        Run paper =
                run(
                        new PerturbCommand(),
                        "--in",
                        single.toString(),
                        "--out",
                        paperOut.toString(),
                        "--class",
                        "2",
                        "--method",
                        "ar-paper");
        Run multi =
                run(
                        new PerturbCommand(),
                        "--in",
                        single.toString(),
                        "--out",
                        multiOut.toString(),
                        "--class",
                        "2",
                        "--method",
                        "ar-multiscale");
        assertThat(paper.code()).as(paper.err()).isZero();
        assertThat(multi.code()).as(multi.err()).isZero();
        // the paper's process 2 leaves most of a 128x128 image untouched; multiscale covers it
        assertThat(paper.out()).containsPattern("coverage [1-8]?\\d\\.\\d% of 16 regions");
        assertThat(multi.out()).contains("coverage 100.0% of 16 regions");
        Image8 prot = ImageCodec.decode(Files.readAllBytes(multiOut));
        PerturbationMethod ms =
                ArVariants.create(
                        "ar-multiscale",
                        ProcessBank.paperDefault(),
                        SeedingKey.of("x"),
                        Budget.defaultL2());
        assertThat(
                        MultiscaleArFilter.of(ms, ProcessBank.paperDefault())
                                .classify(Perturbation.delta(img, prot)))
                .isEqualTo(2);
        Run bad =
                run(
                        new PerturbCommand(),
                        "--in",
                        single.toString(),
                        "--out",
                        multiOut.toString(),
                        "--class",
                        "2",
                        "--method",
                        "ar-nope");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err())
                .contains("unknown method 'ar-nope'; use ar-paper, ar-tiled, ar-multiscale");
    }
}
