package io.scrapeguard.producer;

import java.nio.file.Path;

/** One file to publish and its label (the protection class). */
public record PublishItem(Path path, String label) {}
