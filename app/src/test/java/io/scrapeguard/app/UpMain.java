package io.scrapeguard.app;

import picocli.CommandLine;

/** {@code ./guard up} in a JVM of its own, for UpCommandTest. */
public final class UpMain {
    public static void main(String[] args) {
        System.exit(new CommandLine(new UpCommand()).execute(args));
    }
}
