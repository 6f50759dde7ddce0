package io.scrapeguard.dataset;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./guard dataset}: writes the generated image set in the image-folder layout. */
@Command(
        name = "dataset",
        mixinStandardHelpOptions = true,
        description = {
            "Generates a labelled image set (one shape or texture per class, random colour,"
                    + " position, scale, rotation and background noise) as <out>/<label>/<id>.png."
        })
public final class DatasetCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin DatasetOptions generated;

    @Option(names = "--out", required = true, description = "Folder to write (created).")
    Path out;

    @Option(
            names = "--per-class",
            defaultValue = "200",
            description = "Images per class (default ${DEFAULT-VALUE}).")
    int perClass;

    @Option(
            names = "--numeric-labels",
            description =
                    "Name the label folders by class index"
                            + " (0, 1, ...), as './guard perturb' expects, instead of by shape.")
    boolean numericLabels;

    @Option(names = "--force", description = "Write into a folder that is not empty.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + " exists and is not a folder");
        }
        if (!force && Files.isDirectory(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(
                            out + " is not empty (use --force to write into it)");
                }
            }
        }
        SyntheticDataset dataset =
                new SyntheticDataset(
                        generated.classes, generated.size, generated.seed, numericLabels);
        PrintWriter err = spec.commandLine().getErr();
        SyntheticDataset.Summary s =
                dataset.write(
                        out,
                        perClass,
                        line -> {
                            err.println(line);
                            err.flush();
                        });
        PrintWriter w = spec.commandLine().getOut();
        w.printf(
                "wrote %d images (%d classes x %d, %dx%d) to %s in %.1f s%n",
                s.files(),
                s.classes(),
                s.perClass(),
                s.size(),
                s.size(),
                out.toAbsolutePath(),
                s.millis() / 1000.0);
        w.flush();
        return 0;
    }
}
