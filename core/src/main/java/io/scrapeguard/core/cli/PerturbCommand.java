package io.scrapeguard.core.cli;

import io.scrapeguard.core.ArMethods;
import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.ArVariants;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.ProtectedResult;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageQuality;
import io.scrapeguard.imaging.ImageRejectedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./guard perturb}: protects one image, or a folder in the image-folder layout ({@code
 * <label>/<file>}, label = class index) into PNGs of the same names and layout.
 */
@Command(
        name = "perturb",
        mixinStandardHelpOptions = true,
        description = {
            "Protect an image (--class, --id) or a folder <label>/<file> with AR perturbations.",
            "The image id seeds the perturbation with the seeding key ($GUARD_SEEDING_KEY or"
                    + " $GUARD_SEEDING_KEY_FILE); in a folder it is the relative path label/file."
        })
public final class PerturbCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--in", required = true, description = "input image or folder")
    Path in;

    @Option(names = "--out", required = true, description = "output PNG or folder")
    Path out;

    @Option(names = "--bank", description = "bank JSON (default: the paper's ten processes)")
    Path bankFile;

    @Option(names = "--class", description = "class index of a single image")
    Integer classIndex;

    @Option(
            names = "--id",
            description = "stable image id of a single image (default: its file name)")
    String id;

    @Option(
            names = "--budget",
            defaultValue = "l2=1.11",
            description =
                    "l2=EPS (at 32x32x3, scaled with size) or linf=EPS (default: ${DEFAULT-VALUE})")
    String budget;

    @Option(
            names = "--method",
            defaultValue = ArVariants.DEFAULT,
            description =
                    "ar-paper (Algorithm 2 over the whole image), ar-tiled (32x32 tiles) or"
                            + " ar-multiscale (grids of several sizes; survives resizing; a colour"
                            + " photo of at most 32x32 gets its class's chroma wave) (default:"
                            + " ${DEFAULT-VALUE})")
    String method;

    @Option(
            names = "--backend",
            description =
                    "java, djl or auto for ar-paper (default: $GUARD_AR_BACKEND or"
                            + " -Dguard.ar.backend, else java)")
    String backend;

    @Option(
            names = "--tile",
            defaultValue = "0",
            description =
                    "ar-tiled with N x N tiles instead of 32 (0: the --method's own)"
                            + " (default: ${DEFAULT-VALUE})")
    int tile;

    private Protector protector(ProcessBank bank, Budget b, PrintWriter err) {
        SeedingKey key = CommandSupport.key(err);
        if (tile != 0) {
            if (backend != null && !backend.equalsIgnoreCase("java")) {
                throw new IllegalArgumentException("--tile works with the java backend only");
            }
            return new Protector(new ArPerturbationMethod(bank, key, b, tile));
        }
        String onBackend =
                backend != null
                        ? backend
                        : method.equalsIgnoreCase(ArVariants.PAPER)
                                ? ArMethods.configuredBackend()
                                : "java";
        return new Protector(ArVariants.create(method, bank, key, b, onBackend));
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter outw = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(in)) {
            throw new IllegalArgumentException("input not found: " + in);
        }
        ProcessBank bank = CommandSupport.bank(bankFile);
        Budget b = Budget.parse(budget);
        if (Files.isDirectory(in)) {
            if (classIndex != null || id != null) {
                throw new IllegalArgumentException(
                        "--class and --id are for a single image; a folder"
                                + " takes classes from its <label>/ subfolders");
            }
            return folder(protector(bank, b, err), bank, outw, err);
        }
        if (classIndex == null) {
            throw new IllegalArgumentException(
                    "--class is required for a single image (0.." + (bank.size() - 1) + ")");
        }
        Protector protector = protector(bank, b, err);
        String imageId = id != null ? id : in.getFileName().toString();
        Image8 image;
        try {
            image = decode(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(in + ": " + e.getMessage(), e);
        }
        ProtectedResult r = protector.protect(image, classIndex, imageId);
        write(out, r.image().encodePng());
        outw.printf(
                "protected %s (class %d, id %s, %s, bank %s, %s) -> %s%n  %s%n",
                in,
                classIndex,
                imageId,
                protector.method().name(),
                bank.fingerprint(),
                b.describe(),
                out,
                r.delivered());
        outw.printf(
                Locale.ROOT,
                "  PSNR %.2f dB, SSIM %.4f; coverage %s%n",
                r.psnr(),
                ImageQuality.ssim(image, r.image()),
                r.coverage());
        outw.flush();
        return 0;
    }

    /** A file as an image; a file that is not one is a clear error naming it and the reason. */
    private static Image8 decode(Path file) throws IOException {
        try {
            return ImageCodec.decode(Files.readAllBytes(file));
        } catch (ImageRejectedException e) {
            throw new IllegalArgumentException(e.getMessage() + " (" + e.reason() + ")", e);
        }
    }

    private int folder(Protector protector, ProcessBank bank, PrintWriter outw, PrintWriter err)
            throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(in, 2)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> in.relativize(p).getNameCount() == 2)
                    .sorted()
                    .forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(
                    "no images in "
                            + in
                            + "; expected <label>/<file> with"
                            + " label a class index 0.."
                            + (bank.size() - 1));
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        // delivered/requested L2, PSNR, SSIM and covered share, summed over the protected images
        double[] sumRatio = new double[4];
        // what each protected image's perturbation carries (the AR process or the class wave)
        java.util.Map<String, Integer> patterns = new java.util.TreeMap<>();
        CommandSupport.Throttle throttle = new CommandSupport.Throttle(1.0);
        long t0 = System.nanoTime();
        files.parallelStream()
                .forEach(
                        f -> {
                            Path rel = in.relativize(f);
                            String label = rel.getName(0).toString();
                            String relName = label + "/" + rel.getName(1);
                            try {
                                int k = parseLabel(label, bank.size());
                                Image8 image = decode(f);
                                ProtectedResult r = protector.protect(image, k, relName);
                                write(
                                        out.resolve(label)
                                                .resolve(pngName(rel.getName(1).toString())),
                                        r.image().encodePng());
                                double ssim = ImageQuality.ssim(image, r.image());
                                synchronized (sumRatio) {
                                    sumRatio[0] += r.delivered().l2Ratio();
                                    sumRatio[1] += Math.min(r.psnr(), 99);
                                    sumRatio[2] += ssim;
                                    sumRatio[3] += r.coverage().covered();
                                    patterns.merge(protector.pattern(image), 1, Integer::sum);
                                }
                                done.incrementAndGet();
                            } catch (IllegalArgumentException
                                    | IOException
                                    | UncheckedIOException e) {
                                failed.incrementAndGet();
                                synchronized (err) {
                                    err.println(
                                            "guard: skipped " + relName + ": " + e.getMessage());
                                    err.flush();
                                }
                            }
                            if (throttle.due()) {
                                synchronized (err) {
                                    err.printf(
                                            "perturb: %d/%d images%n",
                                            done.get() + failed.get(), files.size());
                                    err.flush();
                                }
                            }
                        });
        double secs = (System.nanoTime() - t0) / 1e9;
        int n = Math.max(1, done.get());
        outw.printf(
                Locale.ROOT,
                "protected %d of %d images (%d failed) into %s in %.1f s; %s, bank %s,"
                        + " mean delivered/requested l2 %.3f%n",
                done.get(),
                files.size(),
                failed.get(),
                out,
                secs,
                protector.method().name(),
                bank.fingerprint(),
                sumRatio[0] / n);
        outw.printf(
                Locale.ROOT,
                "  mean PSNR %.2f dB, mean SSIM %.4f, mean share of 32x32 regions"
                        + " covered %.3f%n",
                sumRatio[1] / n,
                sumRatio[2] / n,
                sumRatio[3] / n);
        if (!patterns.isEmpty()) {
            outw.println(
                    "  what the perturbations carry: "
                            + String.join(
                                    ", ",
                                    patterns.entrySet().stream()
                                            .map(e -> e.getKey() + " " + e.getValue())
                                            .toList()));
        }
        outw.flush();
        return failed.get() == 0 ? 0 : 1;
    }

    private static int parseLabel(String label, int classes) {
        int k;
        try {
            k = Integer.parseInt(label);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("folder '" + label + "' is not a class index");
        }
        if (k < 0 || k >= classes) {
            throw new IllegalArgumentException(
                    "label " + k + " is outside the bank's classes 0.." + (classes - 1));
        }
        return k;
    }

    /** Same base name, PNG extension ("a.jpg" -> "a.png", "a.png" stays). */
    static String pngName(String name) {
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".png";
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
