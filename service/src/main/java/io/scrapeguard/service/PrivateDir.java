package io.scrapeguard.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data dir holds raw uploads, the streams' state, audits and the endpoints file: it is made
 * 0700 so no other local user can reach anything in it, whatever modes the files inside get.
 */
public final class PrivateDir {
    private PrivateDir() {}

    /** Creates {@code dir} (and missing parents) or tightens an existing one to 0700. */
    public static Path ensure(Path dir) {
        try {
            Files.createDirectories(dir);
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot make the data dir "
                            + dir
                            + " private ("
                            + e
                            + "); run as the user who owns it or choose another --data-dir",
                    e);
        }
    }
}
