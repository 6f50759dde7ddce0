package io.scrapeguard.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw uploads sit in Kafka's segments and the schemas in H2: another local user must not read them.
 * Checked by modes, the way the kernel decides for a second user: search (x) on every directory
 * from the data dir down, and read (r) on the file, for the group or for others.
 */
class PrivateDataDirTest {

    @Test
    void noFileOfTheStackIsReadableByAnotherLocalUser(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "POSIX modes");
        Path dataDir = tmp.resolve("stack");
        // A data dir from an older version: world-readable dirs and files.
        Path oldFile = dataDir.resolve("registry/old/notes.txt");
        Files.createDirectories(oldFile.getParent());
        Files.writeString(oldFile, "an old raw upload");
        Files.setPosixFilePermissions(oldFile, PosixFilePermissions.fromString("rw-r--r--"));
        for (Path d = oldFile.getParent(); !d.equals(tmp); d = d.getParent()) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dataDir).start()) {
            stack.createTopics("uploads");
            StackClients.produce(
                    stack,
                    new StringSerializer(),
                    new ByteArraySerializer(),
                    List.of(
                            new ProducerRecord<>(
                                    "uploads",
                                    "id",
                                    "a raw image".getBytes(StandardCharsets.UTF_8))));
            assertPrivate(dataDir); // while running: new segments, H2's files
        }
        assertPrivate(dataDir);
        assertThat(Files.getPosixFilePermissions(oldFile))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    private static void assertPrivate(Path dataDir) throws IOException {
        assertThat(Files.getPosixFilePermissions(dataDir))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        List<Path> files;
        try (Stream<Path> all = Files.walk(dataDir)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        assertThat(files)
                .as("a segment of the topic and the registry's database are there to check")
                .anyMatch(f -> f.toString().contains("uploads-0") && f.toString().endsWith(".log"))
                .anyMatch(f -> f.getFileName().toString().startsWith("registry-db"));
        assertThat(files).noneMatch(f -> readableByAnotherUser(dataDir, f));
    }

    /** Whether a user other than the owner (in the group or not) can open {@code file}. */
    static boolean readableByAnotherUser(Path root, Path file) {
        try {
            for (Path d = file.getParent(); d.startsWith(root); d = d.getParent()) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(d);
                if (!p.contains(PosixFilePermission.GROUP_EXECUTE)
                        && !p.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.GROUP_READ)
                    || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException e) {
            return false; // gone meanwhile (a segment rolled or a temp file removed)
        }
    }
}
