package io.scrapeguard.dataset;

import picocli.CommandLine.Option;

/**
 * What defines a generated set on the command line ({@code dataset} and {@code demo}): the same
 * options give the same images.
 */
public final class DatasetOptions {
    @Option(
            names = "--classes",
            defaultValue = "10",
            description = "Classes of the generated set, 2-16 (default ${DEFAULT-VALUE}).")
    public int classes;

    @Option(
            names = "--size",
            defaultValue = "32",
            description =
                    "Width and height of the generated images in pixels, 16-1024 (default"
                            + " ${DEFAULT-VALUE}).")
    public int size;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description =
                    "Seed; the same seed gives the same images (and, in the demo, the same sample"
                            + " and audit) (default ${DEFAULT-VALUE}).")
    public long seed;
}
