package io.scrapeguard.core;

/** A protected image and what was delivered. */
public record ProtectedResult(Image8 image, Delivered delivered) {}
