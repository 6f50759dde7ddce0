package io.scrapeguard.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token the HTTP endpoint asks for on the auditor's pages and actions, from {@code
 * GUARD_HTTP_TOKEN} (the token) or {@code GUARD_HTTP_TOKEN_FILE} (a file holding it). Never
 * printed: {@link #toString()} hides it and a refused request is not told what was expected.
 */
public final class HttpToken {
    public static final String ENV = "GUARD_HTTP_TOKEN";
    public static final String FILE_ENV = "GUARD_HTTP_TOKEN_FILE";
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    private HttpToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public static HttpToken of(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the HTTP token is empty");
        }
        return new HttpToken(token.trim());
    }

    /** The token of {@code GUARD_HTTP_TOKEN} or {@code _FILE}, if either is set. */
    public static Optional<HttpToken> fromEnvironment() {
        return from(System.getenv());
    }

    static Optional<HttpToken> from(Map<String, String> env) {
        String text = env.get(ENV);
        if (text != null && !text.isBlank()) {
            return Optional.of(of(text));
        }
        String file = env.get(FILE_ENV);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(Files.readString(Path.of(file.trim()))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE_ENV + " (" + file + ")", e);
        }
    }

    /** Whether an {@code Authorization} header carries this token (compared in constant time). */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        byte[] given =
                authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    /** The {@code Authorization} header value a client sends. */
    public String authorization() {
        return BEARER + new String(token, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "HttpToken[hidden]";
    }
}
