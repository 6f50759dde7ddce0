package io.scrapeguard.logging;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where lines go ({@code logFile}: System.err by default, System.out, or a file appended to). The
 * console streams are looked up on every write, as slf4j-simple does, so a redirected System.err (a
 * test capturing output) receives them. One line is written whole before the next starts.
 */
final class LogOutput {
    private final String target;
    private PrintStream file;

    LogOutput(String target) {
        this.target = target;
    }

    synchronized void write(String text) {
        PrintStream stream = stream();
        stream.println(text);
        stream.flush();
    }

    private PrintStream stream() {
        if (target.equalsIgnoreCase("System.err")) {
            return System.err;
        }
        if (target.equalsIgnoreCase("System.out")) {
            return System.out;
        }
        if (file == null) {
            try {
                file =
                        new PrintStream(
                                new FileOutputStream(target, true), true, StandardCharsets.UTF_8);
            } catch (FileNotFoundException e) {
                return System.err; // a log file that cannot be opened must not lose the lines
            }
        }
        return file;
    }
}
