package io.scrapeguard.embedded;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Keeps the broker's and the registry's files (raw uploads in Kafka's segments, schemas in H2) to
 * their owner. A JVM cannot set its umask, so Kafka and Apicurio create 0644 files: the tree is
 * made 0700/0600 at start, and the private directories keep what they create later unreachable for
 * other local users.
 */
public final class PrivateTree {
    static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateTree() {}

    /** Creates {@code dir} if missing; every directory in it becomes 0700, every file 0600. */
    public static void restrict(Path dir) {
        try {
            Files.createDirectories(dir);
            if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                return; // no POSIX modes to set (e.g. Windows: the user's profile is private)
            }
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
                                throws IOException {
                            Files.setPosixFilePermissions(d, DIR);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs)
                                throws IOException {
                            // a link's target is not ours to change
                            if (attrs.isRegularFile()) {
                                Files.setPosixFilePermissions(f, FILE);
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new EmbeddedStackException(
                    "Cannot make "
                            + dir
                            + " private to its owner ("
                            + e
                            + "); run as the user who owns the data directory",
                    e);
        }
    }
}
