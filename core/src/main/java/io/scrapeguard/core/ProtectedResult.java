package io.scrapeguard.core;

import io.scrapeguard.imaging.Image8;

/** A protected image and what was delivered. */
public record ProtectedResult(Image8 image, Delivered delivered) {}
