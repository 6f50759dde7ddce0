package io.scrapeguard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data dir and the endpoints file are the user's alone. */
class PrivateDirTest {

    @Test
    void anExistingOpenDataDirIsTightenedAndTheEndpointsFileIsOwnerOnly(@TempDir Path tmp)
            throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "POSIX modes");
        Path dataDir = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));

        new Endpoints("127.0.0.1:9092", "http://127.0.0.1:8080/apis/ccompat/v7", "").write(dataDir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(Endpoints.file(dataDir))))
                .isEqualTo("rw-------");
    }

    @Test
    void aServiceHostMakesItsNewDataDirPrivate(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "POSIX modes");
        Path dataDir = tmp.resolve("new/data");
        try (ServiceHost host =
                new ServiceHost(
                        "127.0.0.1:1", "http://127.0.0.1:1", dataDir, "127.0.0.1", 0, Map.of())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                    .isEqualTo("rwx------");
        }
    }
}
