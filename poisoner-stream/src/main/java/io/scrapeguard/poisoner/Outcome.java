package io.scrapeguard.poisoner;

import io.scrapeguard.schemas.ProtectedImage;

/** What became of one raw record: published, or dead-lettered (its original bytes). */
sealed interface Outcome {
    record Published(ProtectedImage image) implements Outcome {}

    record DeadLettered(byte[] original) implements Outcome {}
}
